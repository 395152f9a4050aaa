import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { mapConcurrent } from '../../../lib/map-concurrent';

export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];
type Key = Record<string, unknown>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Writes any number of put/delete requests in chunks of 25, resubmitting unprocessed items with
 * backoff until all land (the SDK retries throttled calls; unprocessed items are ours to retry).
 * `beforeEachRequest` may throw to stop before a request goes out (a lease that ran short).
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
  beforeEachRequest?: () => void,
): Promise<void> {
  await mapConcurrent(chunk(requests, 25), 8, async (batch) => {
    let pending: WriteRequest[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt));
      if (attempt > 12) throw new Error(`BatchWrite left ${pending.length} items unprocessed after retries`);
      beforeEachRequest?.();
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] as WriteRequest[] | undefined) ?? [];
    }
  });
}

/** Reads any number of keys in chunks of 100, retrying unprocessed keys; returns the items found. */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: Key[],
  consistent = true,
): Promise<Key[]> {
  const found: Key[] = [];
  await mapConcurrent(chunk(keys, 100), 8, async (batch) => {
    let pending: Key[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt));
      if (attempt > 12) throw new Error(`BatchGet left ${pending.length} keys unprocessed after retries`);
      const out = await client.send(
        // Consistent: consent, phone claims and ledger states are read right before acting on them.
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent } },
        }),
      );
      found.push(...((out.Responses?.[tableName] as Key[] | undefined) ?? []));
      pending = (out.UnprocessedKeys?.[tableName]?.Keys as Key[] | undefined) ?? [];
    }
  });
  return found;
}
