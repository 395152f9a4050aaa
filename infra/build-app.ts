import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadStageConfig, resourceName, type StageConfig } from './config';
import { ApiStack } from './stacks/api.stack';
import { MessagingStack } from './stacks/messaging.stack';
import { StatefulStack } from './stacks/stateful.stack';
import { WebStack } from './stacks/web.stack';

export interface SmsApp {
  config: StageConfig;
  stateful: StatefulStack;
  api: ApiStack;
  messaging: MessagingStack;
  web: WebStack;
}

/**
 * Adds the SMS engine's stacks to `app` for the stage named by the `stage` context
 * (default `dev`; an unknown stage throws) and puts cdk-nag's AwsSolutions checks on the whole app, so a finding fails
 * the synth and the infra tests alike. Kept apart from `app.ts` so tests can build the same
 * app into an App they own.
 */
export function buildApp(app: App): SmsApp {
  const config = loadStageConfig(app.node.tryGetContext('stage'), {
    smsOriginationIdentityArns: app.node.tryGetContext('smsOriginationIdentityArns'),
    alarmEmail: app.node.tryGetContext('alarmEmail'),
    shortLinkBaseUrl: app.node.tryGetContext('shortLinkBaseUrl'),
    consoleUrl: app.node.tryGetContext('consoleUrl'),
  });
  const stateful = new StatefulStack(app, 'SmsStateful', {
    stackName: resourceName(config.stage, 'stateful'),
    description:
      'SMS engine: tables, Cognito user pool, queues, SMS event topics, configuration set, schedule group, alarms and their topic (state outlives the stateless stacks)',
    config,
  });
  const tables = {
    contacts: stateful.contactsTable,
    campaigns: stateful.campaignsTable,
    workflows: stateful.workflowsTable,
    numbers: stateful.numbersTable,
  };
  const messagingResources = {
    queues: stateful.queues,
    scheduling: stateful.scheduling,
    configurationSet: stateful.configurationSet,
  };
  const api = new ApiStack(app, 'SmsApi', {
    stackName: resourceName(config.stage, 'api'),
    description: "SMS engine: tenants' HTTP API (Cognito JWT), operators' admin API (IAM) and their functions",
    config,
    tables,
    messaging: messagingResources,
    users: { userPool: stateful.users.userPool, webClient: stateful.users.webClient },
  });
  const messaging = new MessagingStack(app, 'SmsMessaging', {
    stackName: resourceName(config.stage, 'messaging'),
    description:
      'SMS engine: campaign launcher, send worker, receipt and inbound SMS processors, workflow event handler and runner (SQS-driven functions)',
    config,
    tables,
    messaging: messagingResources,
  });
  const web = new WebStack(app, 'SmsWeb', {
    stackName: resourceName(config.stage, 'web'),
    description: 'SMS engine: the web console (S3 behind CloudFront, the API under /v1/*, Cognito sign-in with PKCE)',
    config,
    users: { webClient: stateful.users.webClient, domain: stateful.users.domain },
    httpApi: api.httpApi,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { config, stateful, api, messaging, web };
}
