import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/adapters/aws/dynamo/document-client';
import type { LaunchMessage } from '../shared/app/campaigns/campaign-deps';
import type { Clock } from '../shared/ports/clock.port';
import type { Queue } from '../shared/ports/queue.port';

/**
 * SQS keeps messages across a crash; the in-process queue does not. On start the local stack
 * therefore kicks every campaign still sending (or scheduled and already due): the launcher resumes from its checkpoint or
 * re-queues whoever still waits, and workers claim each recipient once, so nothing is sent twice.
 * (A scan is fine for the one-machine store; on AWS the queues are durable and this never runs.)
 */
export async function resumeSendingCampaigns(
  endpoint: string,
  tableName: string,
  queue: Queue,
  clock: Clock,
): Promise<number> {
  const client = createDocumentClient({ endpoint });
  const kicks: { body: LaunchMessage }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new ScanCommand({
        TableName: tableName,
        // Sending, or scheduled and due: a fire whose launch message was lost with the in-memory queue.
        FilterExpression:
          'entity = :campaign AND (#status = :sending OR (#status = :scheduled AND scheduledAt <= :now))',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':campaign': 'Campaign',
          ':sending': 'sending',
          ':scheduled': 'scheduled',
          ':now': clock.now().toISOString(),
        },
        ProjectionExpression: 'tenantId, id',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      kicks.push({
        body: { kind: 'campaignLaunch', tenantId: item.tenantId as string, campaignId: item.id as string },
      });
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  await queue.sendMessages('launch', kicks);
  client.destroy();
  return kicks.length;
}
