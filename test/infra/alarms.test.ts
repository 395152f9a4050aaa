import { Match, type Template } from 'aws-cdk-lib/assertions';
import { guardPauseMetrics } from '../../infra/constructs/carrier-filtering-alarm';
import { INBOUND_UNROUTED_PERIOD, inboundMetrics } from '../../infra/constructs/inbound-unrouted-alarm';
import { queueNames } from '../../infra/messaging';
import { type StatefulReferences, stackArn, statefulReferences } from './references';
import { logicalIdOf, resourcesOfType, type SynthesizedApp, synthApp } from './synth-app';

/** Alarms that reach a person: one topic per stage, which every alarm of every stack notifies. */
describe('alarms', () => {
  let synth: SynthesizedApp;
  let stateful: Template;
  let refs: StatefulReferences;

  const topicId = () => logicalIdOf(stateful, 'AWS::SNS::Topic', { TopicName: 'dev-sms-alarms' });
  const stacks = () =>
    [
      ['stateful', synth.statefulTemplate],
      ['api', synth.apiTemplate],
      ['messaging', synth.messagingTemplate],
    ] as const;
  const allAlarms = () =>
    stacks().flatMap(([stack, template]) =>
      resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([id, alarm]) => ({ stack, id, alarm })),
    );

  beforeAll(() => {
    synth = synthApp({ bundle: false });
    stateful = synth.statefulTemplate;
    refs = statefulReferences(synth);
  });
  afterAll(() => synth?.cleanup());

  describe('every alarm notifies the alarm topic', () => {
    it('every AWS::CloudWatch::Alarm of every stack has the alarm topic, and only it, as its alarm action', () => {
      const alarms = allAlarms();
      // Each DLQ (one per queue, and the schedules DLQ), the delivery failure rate and unrouted inbound texts.
      expect(alarms.length).toBeGreaterThanOrEqual(queueNames.length + 1 + 2);
      for (const { stack, id, alarm } of alarms) {
        const topic = stack === 'stateful' ? { Ref: topicId() } : refs.alarmTopicArn;
        expect({ stack, id, actions: alarm.Properties?.AlarmActions }).toEqual({ stack, id, actions: [topic] });
        // Actions switched off would silence it all the same.
        expect({ stack, id, enabled: alarm.Properties?.ActionsEnabled ?? true }).toEqual({ stack, id, enabled: true });
      }
    });

    it.each([...queueNames, 'schedules'].map((name) => [`${name}-dlq`]))(
      'the %s alarm (messages in the DLQ) publishes to the alarm topic',
      (name) => {
        stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `dev-sms-${name}-not-empty`,
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          AlarmActions: [{ Ref: topicId() }],
        });
      },
    );

    it('names every alarm within the pattern the topic and its key admit (dev-sms-*)', () => {
      for (const { id, alarm } of allAlarms()) {
        expect({ id, name: alarm.Properties?.AlarmName }).toEqual({
          id,
          name: expect.stringMatching(/^dev-sms-[a-z0-9-]+$/),
        });
      }
    });
  });

  describe('the unrouted-inbound alarm', () => {
    it('fires on one unrouted text in 5 minutes: SmsEngine/InboundUnrouted, Sum >= 1, quiet without data', () => {
      expect(inboundMetrics).toEqual({ namespace: 'SmsEngine', unrouted: 'InboundUnrouted' });
      expect(INBOUND_UNROUTED_PERIOD.toSeconds()).toBe(300);
      const alarms = resourcesOfType(stateful, 'AWS::CloudWatch::Alarm').filter(
        ([, alarm]) => alarm.Properties?.MetricName === 'InboundUnrouted',
      );
      expect(alarms).toHaveLength(1);
      expect(alarms[0]![1].Properties).toEqual({
        AlarmName: 'dev-sms-inbound-unrouted',
        AlarmDescription: expect.stringContaining('/admin/unrouted'),
        Namespace: 'SmsEngine',
        MetricName: 'InboundUnrouted',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topicId() }],
      });
      // Account-wide: no dimensions.
      expect(alarms[0]![1].Properties).not.toHaveProperty('Dimensions');
    });
  });

  describe('the carrier-filtering alarm', () => {
    it('fires on one campaign paused by the breaker in 5 minutes: SmsEngine/CampaignsPausedByGuard{PauseReason=carrierFiltering}', () => {
      expect(guardPauseMetrics).toEqual({
        namespace: 'SmsEngine',
        paused: 'CampaignsPausedByGuard',
        dimension: 'PauseReason',
        carrierFiltering: 'carrierFiltering',
      });
      const alarms = resourcesOfType(stateful, 'AWS::CloudWatch::Alarm').filter(
        ([, alarm]) => alarm.Properties?.MetricName === 'CampaignsPausedByGuard',
      );
      expect(alarms).toHaveLength(1);
      expect(alarms[0]![1].Properties).toEqual({
        AlarmName: 'dev-sms-carrier-filtering',
        AlarmDescription: expect.stringContaining('pauseEvidence'),
        Namespace: 'SmsEngine',
        MetricName: 'CampaignsPausedByGuard',
        Dimensions: [{ Name: 'PauseReason', Value: 'carrierFiltering' }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topicId() }],
      });
    });
  });

  describe('the alarm topic', () => {
    const keyId = () => {
      const topic = stateful.toJSON().Resources[topicId()];
      return (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    };
    /** What both the key and the topic require of CloudWatch: this account, and alarms of this stage. */
    const fromStageAlarms = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': stackArn('cloudwatch', 'alarm:dev-sms-*') },
    };

    it('is one per stage, encrypted with a customer managed key of its own, with rotation', () => {
      stateful.resourceCountIs('AWS::SNS::Topic', 3);
      stateful.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: 'dev-sms-alarms',
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      });
      expect(stateful.toJSON().Resources[keyId()]).toMatchObject({
        Type: 'AWS::KMS::Key',
        Properties: { EnableKeyRotation: true },
      });
      // Not the key of the SMS topics (phone numbers and message texts).
      for (const topic of ['delivery-events', 'inbound-messages']) {
        const id = logicalIdOf(stateful, 'AWS::SNS::Topic', { TopicName: `dev-sms-${topic}` });
        const smsKey = stateful.toJSON().Resources[id].Properties.KmsMasterKeyId['Fn::GetAtt'][0];
        expect(smsKey).not.toBe(keyId());
      }
    });

    it("lets CloudWatch use the key for this stage's alarms only", () => {
      expect(stateful.toJSON().Resources[keyId()].Properties.KeyPolicy.Statement).toEqual(
        expect.arrayContaining([
          {
            Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Resource: '*',
            Condition: fromStageAlarms,
          },
        ]),
      );
    });

    it("lets CloudWatch publish for this stage's alarms only, over TLS", () => {
      stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId() }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            {
              Sid: 'CloudWatchAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: { Ref: topicId() },
              Condition: fromStageAlarms,
            },
          ],
        },
      });
    });

    it('has no subscription unless alarmEmail is given', () => {
      expect(synth.config.alarmEmail).toBeUndefined();
      const subscriptions = resourcesOfType(stateful, 'AWS::SNS::Subscription').filter(
        ([, subscription]) => JSON.stringify(subscription.Properties?.TopicArn) === JSON.stringify({ Ref: topicId() }),
      );
      expect(subscriptions).toEqual([]);
      stateful.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
    });

    it('subscribes the address of -c alarmEmail=... by email, and only that', () => {
      const withEmail = synthApp({ bundle: false, context: { alarmEmail: 'ops@example.com' } });
      try {
        const template = withEmail.statefulTemplate;
        const id = logicalIdOf(template, 'AWS::SNS::Topic', { TopicName: 'dev-sms-alarms' });
        const subscriptions = resourcesOfType(template, 'AWS::SNS::Subscription').filter(
          ([, subscription]) => JSON.stringify(subscription.Properties?.TopicArn) === JSON.stringify({ Ref: id }),
        );
        expect(subscriptions.map(([, subscription]) => subscription.Properties)).toEqual([
          { TopicArn: { Ref: id }, Protocol: 'email', Endpoint: 'ops@example.com' },
        ]);
      } finally {
        withEmail.cleanup();
      }
    });

    it('refuses an alarmEmail that is not an email address', () => {
      expect(() => synthApp({ bundle: false, context: { alarmEmail: 'ops' } })).toThrow(/alarmEmail/);
      expect(() => synthApp({ bundle: false, context: { alarmEmail: '' } })).toThrow(/alarmEmail/);
    });

    it('publishes its ARN, for other subscribers (a pager, a chat integration)', () => {
      stateful.hasOutput('AlarmTopicArn', { Value: { Ref: topicId() } });
    });
  });
});
