import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { knownStageNames, loadStageConfig } from '../../infra/config';
import { acknowledgements, repoRoot, resourcesOfType, type SynthesizedApp, synthApp } from './synth-app';

describe('stage configuration', () => {
  it('defaults to dev, the default of cdk.json too', () => {
    expect(loadStageConfig(undefined).stage).toBe('dev');
    expect(JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')).context.stage).toBe('dev');
  });

  it('knows dev and prod, and nothing else', () => {
    expect([...knownStageNames].sort()).toEqual(['dev', 'prod']);
    for (const stage of knownStageNames) expect(loadStageConfig(stage).stage).toBe(stage);
  });

  it.each([['pr-123'], ['prd'], ['staging'], ['constructor'], ['tostring']])(
    'refuses the unknown stage %p instead of giving it development defaults, naming the known stages',
    (stage) => {
      expect(() => loadStageConfig(stage)).toThrow(`Unknown stage "${stage}": known stages are dev, prod`);
    },
  );

  it('refuses to synth an unknown stage', () => {
    expect(() => synthApp({ stage: 'prd', bundle: false })).toThrow(/Unknown stage "prd": known stages are dev, prod/);
  });

  it('takes the alarm email from context, validated; absent, there is none', () => {
    expect(loadStageConfig('dev').alarmEmail).toBeUndefined();
    expect(loadStageConfig('prod', { alarmEmail: 'ops@example.com' }).alarmEmail).toBe('ops@example.com');
    for (const bad of ['ops', 'ops@', '@example.com', '', 42, ['ops@example.com']]) {
      expect(() => loadStageConfig('dev', { alarmEmail: bad })).toThrow(/alarmEmail/);
    }
  });

  it.each([['Prod'], ['prod!'], ['a'], [''], [42]])('rejects the stage name %p', (stage) => {
    expect(() => loadStageConfig(stage)).toThrow();
  });

  it('takes the origination identities from context, as a comma-separated list or an array', () => {
    const phone = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef';
    const senderId = 'arn:aws:sms-voice:us-east-1:123456789012:sender-id/ACME/GB';
    expect(loadStageConfig('dev').sms.originationIdentityArns).toEqual([]);
    expect(loadStageConfig('dev', { smsOriginationIdentityArns: `${phone}, ${senderId}` }).sms).toEqual({
      originationIdentityArns: [phone, senderId],
      sendWorkerMaxConcurrency: 2,
    });
    expect(loadStageConfig('prod', { smsOriginationIdentityArns: [phone] }).sms.originationIdentityArns).toEqual([
      phone,
    ]);
  });

  it.each([['*'], ['arn:aws:sms-voice:us-east-1:123456789012:*'], ['arn:aws:sns:us-east-1:123456789012:topic']])(
    'rejects %p as an origination identity (the grant would be wider than the stage meant)',
    (arn) => {
      expect(() => loadStageConfig('dev', { smsOriginationIdentityArns: arn })).toThrow(/origination identity/);
    },
  );

  describe('prod', () => {
    let synth: SynthesizedApp;

    beforeAll(() => {
      synth = synthApp({ stage: 'prod', bundle: false });
    });
    afterAll(() => synth?.cleanup());

    it('names every resource after the stage', () => {
      synth.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: 'prod-sms-contacts',
        DeletionProtectionEnabled: true,
      });
      synth.apiTemplate.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'prod-sms-contacts' });
      synth.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'prod-sms-admin-api' });
      synth.statefulTemplate.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'prod-sms-alarms' });
      synth.statefulTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'prod-sms-inbound-unrouted',
      });
      expect(synth.stateful.stackName).toBe('prod-sms-stateful');
      expect(synth.api.stackName).toBe('prod-sms-api');
      expect(synth.messaging.stackName).toBe('prod-sms-messaging');
      for (const table of ['campaigns', 'workflows', 'numbers']) {
        synth.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
          TableName: `prod-sms-${table}`,
          DeletionProtectionEnabled: true,
        });
      }
      synth.statefulTemplate.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'prod-sms-send' });
      synth.messagingTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        ScalingConfig: { MaximumConcurrency: 10 },
      });
    });

    it('runs Cognito threat protection and passes cdk-nag without the dev-only acknowledgement', () => {
      synth.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
      });
      expect(acknowledgements(synth.app).filter((ack) => ack.id === 'AwsSolutions-COG8')).toEqual([]);
      expect(new AwsSolutionsChecks().validateScope(synth.app).violations).toEqual([]);
    });

    it('keeps its logs when the stack goes, and allows no browser origin until one is configured', () => {
      for (const template of [synth.apiTemplate, synth.messagingTemplate]) {
        for (const [, logGroup] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
          expect(logGroup).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
        }
      }
      synth.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
    });
  });
});
