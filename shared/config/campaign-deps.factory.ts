import { z } from 'zod';
import { createDocumentClient } from '../adapters/aws/dynamo/document-client';
import { DynamoCampaignStore } from '../adapters/aws/dynamo/dynamo-campaign-store';
import { DynamoFilteringStatsStore } from '../adapters/aws/dynamo/dynamo-filtering-stats-store';
import { DynamoLinkStore } from '../adapters/aws/dynamo/dynamo-link-store';
import { DynamoRateBudget } from '../adapters/aws/dynamo/dynamo-rate-budget';
import type { CampaignDeps, SendDeps } from '../app/campaigns/campaign-deps';
import type { InboundDeps } from '../app/inbound/process-inbound.use-case';
import { SHARE_MPS } from '../domain/sending/rate-shares';
import { TokenBucketPacer } from '../lib/token-bucket';
import type { FilteringStatsStore } from '../ports/filtering-stats.port';
import type { RateBudget } from '../ports/rate-budget.port';
import { createAwsMessaging } from './aws-messaging.factory';
import { createContactsDeps } from './contacts-deps.factory';
import { localAdapters } from './local-adapters';

/** Wires the campaign use cases: DynamoDB everywhere, local adapters when the local runtime installed them. */
export function createCampaignDeps(
  env: NodeJS.ProcessEnv = process.env,
): SendDeps & CampaignDeps & InboundDeps & { filtering: FilteringStatsStore } {
  const base = createContactsDeps(env);
  const tableName = z
    .string()
    .min(1)
    .parse(env.CAMPAIGNS_TABLE_NAME, { error: () => 'CAMPAIGNS_TABLE_NAME is required' });
  const client = createDocumentClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION });
  const campaigns = new DynamoCampaignStore(client, tableName);
  const filtering = new DynamoFilteringStatsStore(client, tableName);
  // Read when a text goes: the local stack learns its own address only once it listens.
  const linkDeps = { links: new DynamoLinkStore(client, tableName), shortLinkBaseUrl: () => env.SHORT_LINK_BASE_URL };
  const local = localAdapters();
  // Locally every worker shares this process's one bucket per sender number; on AWS the workers of every Lambda share
  // one budget per number in DynamoDB, so the number's rate holds however many workers send.
  if (local) {
    const pacer: RateBudget = new TokenBucketPacer(base.clock);
    return {
      ...base,
      ...linkDeps,
      campaigns,
      filtering,
      queue: local.queue,
      scheduler: local.scheduler,
      gateway: local.gateway,
      pacer,
    };
  }
  // Only the functions that send have the numbers table (and the budget's rights); the others never pace. A Lambda
  // worker (10 sends in flight) keeps up with about one share: it leases no more, the rest stay for other workers.
  const numbersTable = env.NUMBERS_TABLE_NAME;
  const pacer: RateBudget = numbersTable
    ? new DynamoRateBudget(client, numbersTable, base.clock, { workerMps: SHARE_MPS })
    : {
        acquire: async () => {
          throw new Error('NUMBERS_TABLE_NAME is required to send: this function has no rate budget');
        },
      };
  return { ...base, ...linkDeps, campaigns, filtering, pacer, ...createAwsMessaging(env) };
}
