import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { createDocumentClient } from '../adapters/aws/dynamo/document-client';
import { DynamoCampaignStore } from '../adapters/aws/dynamo/dynamo-campaign-store';
import { EndUserMessagingSmsGateway } from '../adapters/aws/end-user-messaging-sms-gateway';
import { EventBridgeScheduler } from '../adapters/aws/eventbridge-scheduler';
import { SqsQueue } from '../adapters/aws/sqs-queue';
import type { CampaignDeps, SendDeps } from '../app/campaigns/campaign-deps';
import type { InboundDeps } from '../app/inbound/process-inbound.use-case';
import { TokenBucketPacer } from '../lib/token-bucket';
import { createContactsDeps } from './contacts-deps.factory';
import { localAdapters } from './local-adapters';

const awsMessagingEnv = z.object({
  SEND_QUEUE_URL: z.string().min(1),
  LAUNCH_QUEUE_URL: z.string().min(1),
  RECEIPTS_QUEUE_URL: z.string().min(1),
  INBOUND_QUEUE_URL: z.string().min(1),
  EVENTS_QUEUE_URL: z.string().min(1),
  SCHEDULE_GROUP_NAME: z.string().min(1),
  LAUNCH_QUEUE_ARN: z.string().min(1),
  SCHEDULER_ROLE_ARN: z.string().min(1),
  SCHEDULER_DLQ_ARN: z.string().min(1),
  SMS_CONFIGURATION_SET_NAME: z.string().min(1).optional(),
});

/** Wires the campaign use cases: DynamoDB everywhere, local adapters when the local runtime installed them. */
export function createCampaignDeps(env: NodeJS.ProcessEnv = process.env): SendDeps & CampaignDeps & InboundDeps {
  const base = createContactsDeps(env);
  const tableName = z
    .string()
    .min(1)
    .parse(env.CAMPAIGNS_TABLE_NAME, { error: () => 'CAMPAIGNS_TABLE_NAME is required' });
  const client = createDocumentClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION });
  const campaigns = new DynamoCampaignStore(client, tableName);
  // On AWS up to SEND_WORKER_CONCURRENCY workers send at once, each with its own bucket: each gets
  // its share of the tenant's rate. Locally every worker shares this process's one bucket.
  const bucket = new TokenBucketPacer();
  const share = Math.max(1, Number(env.SEND_WORKER_CONCURRENCY ?? 1) || 1);
  const pacer = { acquire: (tenantId: string, mps: number) => bucket.acquire(tenantId, mps / share) };
  const local = localAdapters();
  if (local) return { ...base, campaigns, ...local, pacer };

  const config = awsMessagingEnv.parse(env);
  return {
    ...base,
    campaigns,
    pacer,
    queue: new SqsQueue({
      client: new SQSClient({}),
      queueUrls: {
        send: config.SEND_QUEUE_URL,
        launch: config.LAUNCH_QUEUE_URL,
        receipts: config.RECEIPTS_QUEUE_URL,
        inbound: config.INBOUND_QUEUE_URL,
        events: config.EVENTS_QUEUE_URL,
      },
    }),
    scheduler: new EventBridgeScheduler({
      client: new SchedulerClient({}),
      groupName: config.SCHEDULE_GROUP_NAME,
      targets: {
        launcher: {
          arn: config.LAUNCH_QUEUE_ARN,
          roleArn: config.SCHEDULER_ROLE_ARN,
          deadLetterArn: config.SCHEDULER_DLQ_ARN,
        },
        workflows: {
          arn: config.LAUNCH_QUEUE_ARN,
          roleArn: config.SCHEDULER_ROLE_ARN,
          deadLetterArn: config.SCHEDULER_DLQ_ARN,
        },
      },
    }),
    gateway: new EndUserMessagingSmsGateway({
      ...(config.SMS_CONFIGURATION_SET_NAME ? { defaultConfigurationSetName: config.SMS_CONFIGURATION_SET_NAME } : {}),
    }),
    configurationSetName: config.SMS_CONFIGURATION_SET_NAME,
  };
}
