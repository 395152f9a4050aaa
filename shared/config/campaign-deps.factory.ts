import { z } from 'zod';
import { createDocumentClient } from '../adapters/aws/dynamo/document-client';
import { DynamoCampaignStore } from '../adapters/aws/dynamo/dynamo-campaign-store';
import type { CampaignDeps, SendDeps } from '../app/campaigns/campaign-deps';
import type { InboundDeps } from '../app/inbound/process-inbound.use-case';
import { TokenBucketPacer } from '../lib/token-bucket';
import { createAwsMessaging } from './aws-messaging.factory';
import { createContactsDeps } from './contacts-deps.factory';
import { localAdapters } from './local-adapters';

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
  const bucket = new TokenBucketPacer(base.clock);
  const share = Math.max(1, Number(env.SEND_WORKER_CONCURRENCY ?? 1) || 1);
  const pacer = { acquire: (tenantId: string, mps: number) => bucket.acquire(tenantId, mps / share) };
  const local = localAdapters();
  if (local)
    return { ...base, campaigns, queue: local.queue, scheduler: local.scheduler, gateway: local.gateway, pacer };

  return { ...base, campaigns, pacer, ...createAwsMessaging(env) };
}
