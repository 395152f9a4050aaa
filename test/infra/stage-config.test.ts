import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadStageConfig } from '../../infra/config';
import { acknowledgements, resourcesOfType, type SynthesizedApp, synthApp } from './synth-app';

describe('stage configuration', () => {
  it('defaults to dev and gives unknown stages (sandboxes, branches) the development settings', () => {
    expect(loadStageConfig(undefined).stage).toBe('dev');
    expect(loadStageConfig('pr-123')).toEqual({ ...loadStageConfig('dev'), stage: 'pr-123' });
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
      expect(synth.stateful.stackName).toBe('prod-sms-stateful');
      expect(synth.api.stackName).toBe('prod-sms-api');
      expect(synth.messaging.stackName).toBe('prod-sms-messaging');
      for (const table of ['campaigns', 'workflows']) {
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
      synth.apiTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
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
