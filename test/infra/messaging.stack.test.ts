import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { resourceName } from '../../infra/config';
import {
  DELIVERY_FAILURE_RATE_MIN_RECEIPTS,
  DELIVERY_FAILURE_RATE_THRESHOLD,
  receiptMetrics,
} from '../../infra/constructs/delivery-failure-rate-alarm';
import {
  consumerTimeouts,
  MAX_RECEIVE_COUNT,
  type QueueName,
  queueEnvVars,
  queueNames,
  VISIBILITY_TIMEOUT_FACTOR,
} from '../../infra/messaging';
import { type WorkerName, type WorkerSpec, workers } from '../../infra/stacks/messaging.stack';
import { smsEventTypes } from '../../infra/stacks/stateful.stack';
import { BUDGET_KEY_PREFIX, UNROUTED_KEY_PREFIX } from '../../infra/tables';
import { BUDGET_KEY_PREFIX as ADAPTER_BUDGET_KEY_PREFIX } from '../../shared/adapters/aws/dynamo/dynamo-rate-budget';
import type { QueueName as PortQueueName } from '../../shared/ports/queue.port';
import type { ScheduleTarget } from '../../shared/ports/scheduler.port';
import {
  asArray,
  baseStatements,
  expectTableGrants,
  functionStatements,
  messagingEnvironment,
  type StatefulReferences,
  schedulerStatements,
  sendToQueueStatement,
  sortStatements,
  stackArn,
  statefulReferences,
  tableActions,
  tableEnvironment,
} from './references';
import { logicalIdOf, repoRoot, resourcesOfType, type SynthesizedApp, synthApp } from './synth-app';

// The infra's queue list and the port's are the same set (infra may not import shared code).
const portQueues: Record<PortQueueName, true> = {
  send: true,
  launch: true,
  receipts: true,
  inbound: true,
  events: true,
  workflows: true,
};
const sameQueues: [PortQueueName] extends [QueueName] ? ([QueueName] extends [PortQueueName] ? true : never) : never =
  true;
// Every target of the Scheduler port delivers to a queue of the stack.
const scheduleTargetQueues: Record<ScheduleTarget, QueueName> = { launcher: 'launch', workflows: 'workflows' };

const workerEntries = Object.entries(workers) as [WorkerName, WorkerSpec][];

describe('messaging', () => {
  let synth: SynthesizedApp;
  let stateful: Template;
  let messaging: Template;
  let refs: StatefulReferences;

  const queueId = (name: string) => logicalIdOf(stateful, 'AWS::SQS::Queue', { QueueName: `dev-sms-${name}` });
  const queueArn = (name: string) => ({ 'Fn::GetAtt': [queueId(name), 'Arn'] });

  beforeAll(() => {
    synth = synthApp({ bundle: false });
    stateful = synth.statefulTemplate;
    messaging = synth.messagingTemplate;
    refs = statefulReferences(synth);
  });
  afterAll(() => synth?.cleanup());

  it('has the queues of the Queue port', () => {
    expect(sameQueues).toBe(true);
    expect([...queueNames].sort()).toEqual(Object.keys(portQueues).sort());
    expect(Object.values(scheduleTargetQueues).every((queue) => queueNames.includes(queue))).toBe(true);
  });

  describe('queues', () => {
    it.each(queueNames.map((name) => [name]))(
      '%s: encrypted, TLS only, visibility 6x its consumer timeout, DLQ after 5 receives',
      (name) => {
        stateful.hasResourceProperties('AWS::SQS::Queue', {
          QueueName: `dev-sms-${name}`,
          SqsManagedSseEnabled: true,
          VisibilityTimeout: consumerTimeouts[name].toSeconds() * 6,
          RedrivePolicy: { deadLetterTargetArn: queueArn(`${name}-dlq`), maxReceiveCount: 5 },
        });
        expect(VISIBILITY_TIMEOUT_FACTOR).toBe(6);
        expect(MAX_RECEIVE_COUNT).toBe(5);
        stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: queueId(name) }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              {
                Action: 'sqs:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Resource: queueArn(name),
              },
            ]),
          },
        });
      },
    );

    it.each([...queueNames, 'schedules'].map((name) => [`${name}-dlq`]))(
      '%s: encrypted, TLS only, keeps messages 14 days, and alarms as soon as one is visible',
      (name) => {
        stateful.hasResourceProperties('AWS::SQS::Queue', {
          QueueName: `dev-sms-${name}`,
          SqsManagedSseEnabled: true,
          MessageRetentionPeriod: 14 * 24 * 3600,
          RedrivePolicy: Match.absent(),
        });
        stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(name), 'QueueName'] } }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
      },
    );

    it('has no queue without a DLQ, and one alarm per DLQ', () => {
      const queues = resourcesOfType(stateful, 'AWS::SQS::Queue');
      const deadLetterQueues = queues.filter(([, queue]) => String(queue.Properties?.QueueName).endsWith('-dlq'));
      expect(queues).toHaveLength(2 * queueNames.length + 1);
      for (const [, queue] of queues.filter((entry) => !deadLetterQueues.includes(entry))) {
        expect(queue.Properties?.RedrivePolicy).toBeDefined();
      }
      const queueAlarms = resourcesOfType(stateful, 'AWS::CloudWatch::Alarm').filter(
        ([, alarm]) => alarm.Properties?.Namespace === 'AWS/SQS',
      );
      expect(queueAlarms).toHaveLength(deadLetterQueues.length);
    });

    it('has the events queue (contact events for the workflow engine) with its DLQ', () => {
      expect(queueEnvVars.events).toBe('EVENTS_QUEUE_URL');
      stateful.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: 'dev-sms-events',
        VisibilityTimeout: 60 * 6,
        RedrivePolicy: { deadLetterTargetArn: queueArn('events-dlq'), maxReceiveCount: 5 },
      });
      stateful.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'dev-sms-events-dlq' });
    });

    it('has the workflows queue (the runner: wake-ups, date triggers, sweeps) with its DLQ and alarm', () => {
      expect(queueEnvVars.workflows).toBe('WORKFLOWS_QUEUE_URL');
      expect(consumerTimeouts.workflows.toSeconds()).toBe(60);
      stateful.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: 'dev-sms-workflows',
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 60 * 6,
        RedrivePolicy: { deadLetterTargetArn: queueArn('workflows-dlq'), maxReceiveCount: 5 },
      });
      stateful.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: 'dev-sms-workflows-dlq',
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'dev-sms-workflows-dlq-not-empty',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId('workflows-dlq'), 'QueueName'] } }],
        Threshold: 0,
      });
    });
  });

  describe('delivery failure-rate alarm', () => {
    const alarm = () => {
      const alarms = resourcesOfType(stateful, 'AWS::CloudWatch::Alarm').filter(
        ([, resource]) => resource.Properties?.AlarmName === 'dev-sms-delivery-failure-rate',
      );
      expect(alarms).toHaveLength(1);
      return alarms[0]![1].Properties as Record<string, unknown>;
    };
    const sumOf = (id: string, metricName: string) => ({
      Id: id,
      MetricStat: {
        Metric: { Namespace: 'SmsEngine', MetricName: metricName },
        Period: 900,
        Stat: 'Sum',
      },
      ReturnData: false,
    });

    it('fires above 10% failed receipts over 15 minutes, only from 100 receipts on, quiet when no receipts', () => {
      expect(DELIVERY_FAILURE_RATE_THRESHOLD).toBe(0.1);
      expect(DELIVERY_FAILURE_RATE_MIN_RECEIPTS).toBe(100);
      const properties = alarm();
      expect(properties).toMatchObject({
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0.1,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
      });
      const metrics = properties.Metrics as Record<string, unknown>[];
      expect(metrics).toHaveLength(3);
      const rate = metrics.find((metric) => metric.ReturnData !== false);
      expect(rate).toMatchObject({
        Expression: 'IF((delivered + failed) >= 100, failed / (delivered + failed), 0)',
      });
      // Account-wide: no dimensions (one series per campaign would be unbounded cardinality).
      expect(metrics.filter((metric) => metric !== rate)).toEqual(
        expect.arrayContaining([sumOf('delivered', 'ReceiptsDelivered'), sumOf('failed', 'ReceiptsFailed')]),
      );
    });

    it('watches the embedded metrics the receipts function logs (namespace and names, no dimensions)', () => {
      expect(receiptMetrics).toEqual({
        namespace: 'SmsEngine',
        delivered: 'ReceiptsDelivered',
        failed: 'ReceiptsFailed',
      });
      const handler = readFileSync(join(repoRoot, workers.smsReceipts.entry), 'utf8');
      expect(handler).toContain(`Namespace: '${receiptMetrics.namespace}'`);
      expect(handler).toContain('Dimensions: [[]]');
      for (const name of [receiptMetrics.delivered, receiptMetrics.failed]) {
        expect(handler).toContain(`{ Name: '${name}', Unit: 'Count' }`);
      }
    });

    it('notifies the alarm topic, as the DLQ alarms do', () => {
      const topic = { Ref: logicalIdOf(stateful, 'AWS::SNS::Topic', { TopicName: 'dev-sms-alarms' }) };
      const dlqAlarm = resourcesOfType(stateful, 'AWS::CloudWatch::Alarm').find(
        ([, resource]) => resource.Properties?.Namespace === 'AWS/SQS',
      )![1].Properties!;
      expect(alarm().AlarmActions).toEqual([topic]);
      expect(dlqAlarm.AlarmActions).toEqual([topic]);
    });
  });

  describe('SMS events and inbound SMS', () => {
    const topicId = (name: string) => logicalIdOf(stateful, 'AWS::SNS::Topic', { TopicName: `dev-sms-${name}` });

    it.each([
      ['delivery-events', 'receipts'],
      ['inbound-messages', 'inbound'],
    ])('topic %s: KMS-encrypted, delivered raw to the %s queue, undeliverable messages to its DLQ', (topic, queue) => {
      // The SMS topics' key (the alarm topic has a key of its own), found by its alias.
      const alias =
        stateful.toJSON().Resources[logicalIdOf(stateful, 'AWS::KMS::Alias', { AliasName: 'alias/dev-sms-topics' })];
      const keyId = alias.Properties.TargetKeyId['Fn::GetAtt'][0] as string;
      stateful.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `dev-sms-${topic}`,
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
      stateful.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: { Ref: topicId(topic) },
        Protocol: 'sqs',
        Endpoint: queueArn(queue),
        RawMessageDelivery: true,
        RedrivePolicy: { deadLetterTargetArn: queueArn(`${queue}-dlq`) },
      });
      // SNS may write to the queue and its DLQ, for this topic only.
      for (const target of [queue, `${queue}-dlq`]) {
        stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: queueId(target) }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              {
                Action: 'sqs:SendMessage',
                Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId(topic) } } },
                Effect: 'Allow',
                Principal: { Service: 'sns.amazonaws.com' },
                Resource: queueArn(target),
              },
            ]),
          },
        });
      }
    });

    it('lets only this configuration set publish SMS events, over TLS', () => {
      stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId('delivery-events') }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'sms-voice.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: { 'aws:SourceArn': stackArn('sms-voice', 'configuration-set/dev-sms-messages') },
              },
            }),
          ],
        },
      });
    });

    it("lets the account's SMS resources (the phone numbers' two-way channel) publish inbound SMS", () => {
      stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId('inbound-messages') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'sms-voice.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: { 'aws:SourceArn': stackArn('sms-voice', '*') },
              },
            }),
          ]),
        },
      });
    });

    it('lets End User Messaging use the topic key, from this account only, with rotation on', () => {
      stateful.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'sms-voice.amazonaws.com' },
              Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: { 'aws:SourceArn': stackArn('sms-voice', '*') },
              },
            }),
          ]),
        },
      });
    });

    it('publishes every TEXT event of the configuration set to the SMS events topic, once the topic allows it', () => {
      expect(smsEventTypes).toEqual(['TEXT_ALL']);
      stateful.hasResource('AWS::SMSVOICE::ConfigurationSet', {
        Properties: {
          ConfigurationSetName: 'dev-sms-messages',
          EventDestinations: [
            {
              EventDestinationName: Match.stringLikeRegexp('^[A-Za-z0-9_-]+$'),
              Enabled: true,
              MatchingEventTypes: ['TEXT_ALL'],
              SnsDestination: { TopicArn: { Ref: topicId('delivery-events') } },
            },
          ],
        },
        DependsOn: Match.arrayWith([
          logicalIdOf(stateful, 'AWS::SNS::TopicPolicy', { Topics: [{ Ref: topicId('delivery-events') }] }),
        ]),
      });
    });
  });

  describe('schedules', () => {
    const roleEntry = () =>
      resourcesOfType(stateful, 'AWS::IAM::Role').find(([, role]) =>
        JSON.stringify(role.Properties?.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
      )!;

    it('has a schedule group named after the stage', () => {
      stateful.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
      stateful.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'dev-sms-schedules' });
    });

    it("has a role only EventBridge Scheduler assumes, for this account's schedules of the group", () => {
      const [, role] = roleEntry();
      expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': [
                  stackArn('scheduler', 'schedule-group/dev-sms-schedules'),
                  stackArn('scheduler', 'schedule/dev-sms-schedules/*'),
                ],
              },
            },
          },
        ],
      });
    });

    it('lets the role do one thing: sqs:SendMessage to the target queues (launch, workflows) and the schedules DLQ', () => {
      const [roleId, role] = roleEntry();
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties?.Policies).toEqual([
        {
          PolicyName: 'DeliverScheduledMessages',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'sqs:SendMessage',
                Resource: [
                  ...Object.values(scheduleTargetQueues).map((queue) => queueArn(queue)),
                  queueArn('schedules-dlq'),
                ],
              },
            ],
          },
        },
      ]);
      const attached = resourcesOfType(stateful, 'AWS::IAM::Policy').filter(([, policy]) =>
        JSON.stringify(policy.Properties?.Roles).includes(roleId),
      );
      expect(attached).toEqual([]);
    });
  });

  describe.each(workerEntries)('worker %s', (name, spec) => {
    const functionName = resourceName('dev', name);
    const functionId = () => logicalIdOf(messaging, 'AWS::Lambda::Function', { FunctionName: functionName });
    const properties = () => messaging.toJSON().Resources[functionId()].Properties;

    it('runs the house defaults with the timeout its queue was sized for', () => {
      expect(properties()).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: consumerTimeouts[spec.consumes].toSeconds(),
      });
      const visibility = stateful.toJSON().Resources[queueId(spec.consumes)].Properties.VisibilityTimeout;
      expect(visibility).toBeGreaterThanOrEqual(6 * properties().Timeout);
    });

    it('consumes its queue in batches, reporting failed records one by one', () => {
      messaging.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId() },
        EventSourceArn: refs.queues[spec.consumes].arn,
        BatchSize: spec.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: spec.maxConcurrency
          ? { MaximumConcurrency: synth.config.sms.sendWorkerMaxConcurrency }
          : Match.absent(),
        MaximumBatchingWindowInSeconds: spec.maxBatchingWindow?.toSeconds() ?? Match.absent(),
      });
    });

    it('knows its tables and where the messaging resources are', () => {
      expect(properties().Environment.Variables).toEqual({
        POWERTOOLS_SERVICE_NAME: functionName.replace(/^dev-/, ''),
        LOG_LEVEL: synth.config.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...tableEnvironment(refs, spec.tables),
        ...messagingEnvironment(refs, 'dev'),
        // The send worker paces itself to its share of the tenant's rate.
        ...(spec.maxConcurrency ? { SEND_WORKER_CONCURRENCY: String(synth.config.sms.sendWorkerMaxConcurrency) } : {}),
      });
    });

    it('may do exactly what its spec says: tables, consuming its queue, sending to its queues, schedules, SMS', () => {
      const logGroupId = properties().LoggingConfig.LogGroup.Ref;
      const others = expectTableGrants(
        functionStatements(messaging, functionName),
        refs,
        spec.tables,
        spec.writeLeadingKeyPrefixes,
      );
      expect(sortStatements(others)).toEqual(
        sortStatements([
          ...baseStatements(logGroupId),
          {
            Effect: 'Allow',
            Action: [
              'sqs:ReceiveMessage',
              'sqs:ChangeMessageVisibility',
              'sqs:GetQueueUrl',
              'sqs:DeleteMessage',
              'sqs:GetQueueAttributes',
            ],
            Resource: refs.queues[spec.consumes].arn,
          },
          ...spec.sendsTo.map((queue) => sendToQueueStatement(refs, queue)),
          ...(spec.schedules ? schedulerStatements(refs, 'dev') : []),
          ...(spec.sendsSms
            ? [
                {
                  Effect: 'Allow',
                  Action: 'sms-voice:SendTextMessage',
                  // Without origination identities (dev), the configuration set alone.
                  Resource:
                    synth.config.sms.originationIdentityArns.length === 0
                      ? stackArn('sms-voice', 'configuration-set/dev-sms-messages')
                      : [
                          stackArn('sms-voice', 'configuration-set/dev-sms-messages'),
                          ...synth.config.sms.originationIdentityArns,
                        ],
                },
              ]
            : []),
        ]),
      );
    });
  });

  describe('what each worker is for', () => {
    const functionId = (name: WorkerName) =>
      logicalIdOf(messaging, 'AWS::Lambda::Function', { FunctionName: resourceName('dev', name) });
    const statementsOf = (name: WorkerName) => functionStatements(messaging, resourceName('dev', name));

    it('smsInbound consumes the inbound queue 10 records at a time, reporting failed records one by one', () => {
      messaging.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId('smsInbound') },
        EventSourceArn: refs.queues.inbound.arn,
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('smsInbound writes consent and the ledger, publishes contact events, and may answer STOP/HELP by SMS', () => {
      const statements = statementsOf('smsInbound');
      expectTableGrants(
        statements,
        refs,
        { contacts: 'readWrite', campaigns: 'readWrite', numbers: 'readWrite' },
        { numbers: 'UNROUTED#' },
      );
      expect(statements).toContainEqual(sendToQueueStatement(refs, 'events'));
      expect(statements).toContainEqual({
        Effect: 'Allow',
        Action: 'sms-voice:SendTextMessage',
        Resource: stackArn('sms-voice', 'configuration-set/dev-sms-messages'),
      });
      expect(JSON.stringify(statements)).not.toContain(JSON.stringify(refs.queues.send.arn));
    });

    it('smsReceipts takes batches of up to 100, waiting at most a second to fill one', () => {
      messaging.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId('smsReceipts') },
        EventSourceArn: refs.queues.receipts.arn,
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('smsReceipts suppresses invalid numbers (contacts), pauses filtered workflows (workflows) and requests recounts (launch); the send worker too', () => {
      expectTableGrants(statementsOf('smsReceipts'), refs, {
        contacts: 'readWrite',
        campaigns: 'readWrite',
        workflows: 'readWrite',
      });
      expect(statementsOf('smsReceipts')).toContainEqual(sendToQueueStatement(refs, 'launch'));
      expect(statementsOf('sendWorker')).toContainEqual(sendToQueueStatement(refs, 'launch'));
    });

    it('only smsInbound and the workflow workers (tags a step adds) may publish contact events', () => {
      const eventsArn = JSON.stringify(refs.queues.events.arn);
      const publishers = workerEntries
        .filter(([name]) =>
          statementsOf(name).some(
            (statement) =>
              asArray(statement.Action).includes('sqs:SendMessage') &&
              asArray(statement.Resource).some((resource) => JSON.stringify(resource) === eventsArn),
          ),
        )
        .map(([name]) => name);
      expect(publishers).toEqual(['smsInbound', 'workflowEvents', 'workflowRunner']);
    });

    it.each([
      ['workflowEvents', 'events', 'functions/workflow-events/workflow-events.handler.ts'],
      ['workflowRunner', 'workflows', 'functions/workflow-runner/workflow-runner.handler.ts'],
    ] as const)(
      '%s consumes the %s queue 10 records at a time, reporting failed records one by one',
      (name, queue, entry) => {
        expect(workers[name].entry).toBe(entry);
        messaging.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: functionId(name) },
          EventSourceArn: refs.queues[queue].arn,
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
        const timeout = messaging.toJSON().Resources[functionId(name)].Properties.Timeout;
        expect(timeout).toBe(60);
        const visibility = stateful.toJSON().Resources[queueId(queue)].Properties.VisibilityTimeout;
        expect(visibility).toBe(6 * timeout);
      },
    );

    it.each([['workflowEvents'], ['workflowRunner']] as const)(
      '%s writes contacts, the ledger and the workflows, sends texts, re-queues on workflows and events, and arms timer schedules',
      (name) => {
        const statements = statementsOf(name);
        expectTableGrants(
          statements,
          refs,
          { contacts: 'readWrite', campaigns: 'readWrite', workflows: 'readWrite', numbers: 'readWrite' },
          { numbers: 'BUDGET#' },
        );
        expect(statements).toContainEqual(sendToQueueStatement(refs, 'workflows'));
        expect(statements).toContainEqual(sendToQueueStatement(refs, 'events'));
        expect(statements).toContainEqual({
          Effect: 'Allow',
          Action: 'sms-voice:SendTextMessage',
          Resource: stackArn('sms-voice', 'configuration-set/dev-sms-messages'),
        });
        // Schedule actions on the app group's schedules only; the scheduler role passed to EventBridge Scheduler only.
        expect(statements).toContainEqual({
          Effect: 'Allow',
          Action: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
          Resource: stackArn('scheduler', 'schedule/dev-sms-schedules/*'),
        });
        expect(statements).toContainEqual({
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: refs.schedulerRoleArn,
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        });
        for (const queue of ['send', 'launch'] as const) {
          expect(JSON.stringify(statements)).not.toContain(JSON.stringify(sendToQueueStatement(refs, queue)));
        }
      },
    );

    it('lets only the campaign launcher (watchdogs) and the workflow workers manage schedules in this stack', () => {
      const schedulers = workerEntries
        .filter(([name]) =>
          statementsOf(name).some((statement) =>
            asArray(statement.Action).some((action) => action.startsWith('scheduler:') || action === 'iam:PassRole'),
          ),
        )
        .map(([name]) => name);
      expect(schedulers).toEqual(['campaignLauncher', 'workflowEvents', 'workflowRunner']);
    });

    it.each([['workflowEvents'], ['workflowRunner']] as const)(
      '%s gets every variable aws-messaging.factory.ts and workflow-deps.factory.ts read on AWS',
      (name) => {
        const variables = messaging.toJSON().Resources[functionId(name)].Properties.Environment.Variables;
        expect(variables).toMatchObject({
          WORKFLOWS_TABLE_NAME: refs.tables.workflows.name,
          CONTACTS_TABLE_NAME: refs.tables.contacts.name,
          CAMPAIGNS_TABLE_NAME: refs.tables.campaigns.name,
          NUMBERS_TABLE_NAME: refs.tables.numbers.name,
          WORKFLOWS_QUEUE_URL: refs.queues.workflows.url,
          WORKFLOWS_QUEUE_ARN: refs.queues.workflows.arn,
          EVENTS_QUEUE_URL: refs.queues.events.url,
          LAUNCH_QUEUE_ARN: refs.queues.launch.arn,
          SCHEDULE_GROUP_NAME: 'dev-sms-schedules',
          SCHEDULER_ROLE_ARN: refs.schedulerRoleArn,
          SCHEDULER_DLQ_ARN: refs.schedulesDeadLetterArn,
          SMS_CONFIGURATION_SET_NAME: 'dev-sms-messages',
        });
        // The factory's schema, read from its source: a variable it gains must reach these functions too.
        const factory = readFileSync(join(repoRoot, 'shared', 'config', 'aws-messaging.factory.ts'), 'utf8');
        const schema = factory.slice(
          factory.indexOf('z.object({'),
          factory.indexOf('});', factory.indexOf('z.object({')),
        );
        const read = [...schema.matchAll(/^\s+([A-Z][A-Z0-9_]+): z\./gm)].map(([, variable]) => variable!);
        expect(read).toEqual(
          expect.arrayContaining(['WORKFLOWS_QUEUE_URL', 'WORKFLOWS_QUEUE_ARN', 'SCHEDULE_GROUP_NAME']),
        );
        expect(read.filter((variable) => !(variable in variables))).toEqual([]);
      },
    );

    it('tells every worker where the events queue is (the deps factory requires it at cold start)', () => {
      for (const [name] of workerEntries) {
        const variables = messaging.toJSON().Resources[functionId(name)].Properties.Environment.Variables;
        expect({ name, url: variables.EVENTS_QUEUE_URL }).toEqual({ name, url: refs.queues.events.url });
      }
    });
  });

  describe('number registry', () => {
    const statementsOf = (name: WorkerName) => functionStatements(messaging, resourceName('dev', name));
    const variablesOf = (name: WorkerName) =>
      messaging.toJSON().Resources[
        logicalIdOf(messaging, 'AWS::Lambda::Function', { FunctionName: resourceName('dev', name) })
      ].Properties.Environment.Variables as Record<string, unknown>;

    it('is read by every worker that sends or starts sends, and by the inbound processor', () => {
      const access = Object.fromEntries(workerEntries.map(([name, spec]) => [name, spec.tables.numbers]));
      expect(access).toEqual({
        campaignLauncher: 'read',
        sendWorker: 'readWrite',
        smsReceipts: undefined,
        smsInbound: 'readWrite',
        workflowEvents: 'readWrite',
        workflowRunner: 'readWrite',
      });
    });

    it.each(workerEntries.filter(([, spec]) => spec.tables.numbers !== undefined).map(([name]) => [name]))(
      '%s finds it in NUMBERS_TABLE_NAME',
      (name) => {
        expect(variablesOf(name).NUMBERS_TABLE_NAME).toEqual(refs.tables.numbers.name);
      },
    );

    it('is unknown to smsReceipts (no env var, no grant)', () => {
      expect(variablesOf('smsReceipts')).not.toHaveProperty('NUMBERS_TABLE_NAME');
      expect(JSON.stringify(statementsOf('smsReceipts'))).not.toContain(JSON.stringify(refs.tables.numbers.arn));
    });

    it.each([['sendWorker'], ['workflowEvents'], ['workflowRunner']] as const)(
      "%s reads all of it but writes only its numbers' rate budgets, BUDGET# items (dynamodb:LeadingKeys)",
      (name) => {
        expect(BUDGET_KEY_PREFIX).toBe('BUDGET#');
        expect(BUDGET_KEY_PREFIX).toBe(ADAPTER_BUDGET_KEY_PREFIX);
        expect(workers[name].writeLeadingKeyPrefixes).toEqual({ numbers: BUDGET_KEY_PREFIX });
        const numbers = statementsOf(name).filter((statement) =>
          JSON.stringify(statement.Resource).includes(JSON.stringify(refs.tables.numbers.arn)),
        );
        const conditioned = numbers.filter((statement) => statement.Condition !== undefined);
        expect(conditioned).toEqual([
          {
            Effect: 'Allow',
            Action: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
            Resource: refs.tables.numbers.arn,
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BUDGET#*'] } },
          },
        ]);
        const unconditioned = numbers.filter((statement) => statement.Condition === undefined);
        expect(JSON.stringify(unconditioned)).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
      },
    );

    it.each([['campaignLauncher']] as const)('%s may read it (table and indexes) and write nothing in it', (name) => {
      const numbers = statementsOf(name).filter((statement) =>
        JSON.stringify(statement.Resource).includes(JSON.stringify(refs.tables.numbers.arn)),
      );
      expect(numbers.length).toBeGreaterThan(0);
      for (const statement of numbers) {
        expect(statement).toEqual({
          Effect: 'Allow',
          Action: expect.anything(),
          Resource: [refs.tables.numbers.arn, refs.tables.numbers.indexArns],
        });
      }
      expect([...new Set(numbers.flatMap((statement) => asArray(statement.Action)))].sort()).toEqual(tableActions.read);
      expect(JSON.stringify(numbers)).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
    });

    it('smsInbound reads all of it but writes only UNROUTED# items (an IAM condition on dynamodb:LeadingKeys)', () => {
      expect(UNROUTED_KEY_PREFIX).toBe('UNROUTED#');
      expect(workers.smsInbound.writeLeadingKeyPrefixes).toEqual({ numbers: UNROUTED_KEY_PREFIX });
      const numbers = statementsOf('smsInbound').filter((statement) =>
        JSON.stringify(statement.Resource).includes(JSON.stringify(refs.tables.numbers.arn)),
      );
      const unconditioned = numbers.filter((statement) => statement.Condition === undefined);
      const conditioned = numbers.filter((statement) => statement.Condition !== undefined);
      // Reads: everything, table and indexes (routing looks numbers up by any of their aliases).
      for (const statement of unconditioned) {
        expect(statement).toEqual({
          Effect: 'Allow',
          Action: expect.anything(),
          Resource: [refs.tables.numbers.arn, refs.tables.numbers.indexArns],
        });
      }
      expect([...new Set(unconditioned.flatMap((statement) => asArray(statement.Action)))].sort()).toEqual(
        tableActions.read,
      );
      // Writes: on the table, for items whose partition key starts with UNROUTED# only.
      expect(conditioned).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          Resource: refs.tables.numbers.arn,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['UNROUTED#*'] } },
        },
      ]);
    });
  });

  it('has exactly the six workers, and only the send worker, the inbound processor and the workflow workers may send SMS', () => {
    const names = resourcesOfType(messaging, 'AWS::Lambda::Function').map(([, fn]) => fn.Properties?.FunctionName);
    expect(names.sort()).toEqual([
      'dev-sms-campaign-launcher',
      'dev-sms-send-worker',
      'dev-sms-sms-inbound',
      'dev-sms-sms-receipts',
      'dev-sms-workflow-events',
      'dev-sms-workflow-runner',
    ]);
    const senders = workerEntries
      .filter(([name]) =>
        JSON.stringify(functionStatements(messaging, resourceName('dev', name))).includes('sms-voice'),
      )
      .map(([name]) => name);
    expect(senders).toEqual(['sendWorker', 'smsInbound', 'workflowEvents', 'workflowRunner']);
    expect(JSON.stringify(synth.apiTemplate.toJSON())).not.toContain('sms-voice:SendTextMessage');
  });

  it('grants SendTextMessage on the origination identities a stage configures', () => {
    const phone = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef';
    const pool = 'arn:aws:sms-voice:us-east-1:123456789012:pool/pool-0123456789abcdef';
    const configured = synthApp({ bundle: false, context: { smsOriginationIdentityArns: `${phone},${pool}` } });
    try {
      expect(configured.config.sms.originationIdentityArns).toEqual([phone, pool]);
      expect(functionStatements(configured.messagingTemplate, 'dev-sms-send-worker')).toContainEqual({
        Effect: 'Allow',
        Action: 'sms-voice:SendTextMessage',
        Resource: [stackArn('sms-voice', 'configuration-set/dev-sms-messages'), phone, pool],
      });
    } finally {
      configured.cleanup();
    }
  });
});
