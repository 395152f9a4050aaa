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
      for (const [, logGroup] of resourcesOfType(synth.apiTemplate, 'AWS::Logs::LogGroup')) {
        expect(logGroup).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
      }
      synth.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
    });
  });
});
