import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/adapters/aws/dynamo/document-client';
import { mapConcurrent } from '../shared/lib/map-concurrent';

/**
 * The least DynamoDB work a recipient needs, on the same dynalite as the run it is printed with and with no application
 * code: one batched ledger write (25 items a request) and one conditional update (the status change a receipt makes).
 * Items go under a partition of their own, so they never meet the run's data.
 */
export async function measureDynamoFloor(endpoint: string, tableName: string, recipients: number) {
  const client = createDocumentClient({ endpoint });
  const pk = `T#bench-floor#C#${Date.now()}`;
  const sk = (i: number) => `L#${String(i).padStart(8, '0')}`;
  try {
    const started = performance.now();
    const batches = Array.from({ length: Math.ceil(recipients / 25) }, (_, b) =>
      Array.from({ length: Math.min(25, recipients - b * 25) }, (_, i) => b * 25 + i),
    );
    await mapConcurrent(batches, 8, async (batch) => {
      let requests = batch.map((i) => ({
        PutRequest: { Item: { pk, sk: sk(i), status: 'queued', phone: `+1555${String(i).padStart(7, '0')}` } },
      }));
      while (requests.length > 0) {
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    });
    const written = performance.now();
    await mapConcurrent(
      Array.from({ length: recipients }, (_, i) => i),
      16,
      async (i) => {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk, sk: sk(i) },
            UpdateExpression: 'SET #s = :to',
            ConditionExpression: '#s = :from',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':to': 'delivered', ':from': 'queued' },
          }),
        );
      },
    );
    const updated = performance.now();
    return {
      recipientsPerSecond: Math.round(recipients / ((updated - started) / 1000)),
      conditionalUpdatesPerSecond: Math.round(recipients / ((updated - written) / 1000)),
    };
  } finally {
    client.destroy();
  }
}
