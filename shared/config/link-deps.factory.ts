import { z } from 'zod';
import { createDocumentClient } from '../adapters/aws/dynamo/document-client';
import { DynamoLinkStore } from '../adapters/aws/dynamo/dynamo-link-store';
import type { LinkDeps } from '../app/links/link-deps';
import { systemClock } from '../ports/clock.port';
import type { Queue } from '../ports/queue.port';
import { createEventsQueue } from './aws-messaging.factory';
import { localAdapters } from './local-adapters';

/** Wires the short-link redirect: the links in the campaigns table, the clock, and the events queue for `linkClicked`. */
export function createLinkDeps(env: NodeJS.ProcessEnv = process.env): LinkDeps & { queue: Queue | undefined } {
  const tableName = z
    .string()
    .min(1)
    .parse(env.CAMPAIGNS_TABLE_NAME, { error: () => 'CAMPAIGNS_TABLE_NAME is required' });
  const client = createDocumentClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION });
  return {
    links: new DynamoLinkStore(client, tableName),
    clock: localAdapters()?.clock ?? systemClock,
    shortLinkBaseUrl: () => env.SHORT_LINK_BASE_URL,
    queue: createEventsQueue(env, localAdapters()?.queue),
  };
}
