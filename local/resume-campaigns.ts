import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/adapters/aws/dynamo/document-client';
import type { CampaignDeps, LaunchMessage } from '../shared/app/campaigns/campaign-deps';
import { recoverCampaignAfterRestart } from '../shared/app/campaigns/recover-after-restart.use-case';

/**
 * Campaigns the previous run left sending or paused, and scheduled ones already due (their fire died with the queue).
 * Paused ones are recovered (dead claims, counters) but never kicked: only their resume sends again.
 */
async function campaignsToResume(endpoint: string, tableName: string, now: string) {
  const client = createDocumentClient({ endpoint });
  const found: { tenantId: string; campaignId: string; status: string }[] = [];
  let startKey: Record<string, unknown> | undefined;
  try {
    do {
      const out = await client.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression:
            'entity = :campaign AND (#status IN (:sending, :paused) OR (#status = :scheduled AND scheduledAt <= :now))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':campaign': 'Campaign',
            ':sending': 'sending',
            ':paused': 'paused',
            ':scheduled': 'scheduled',
            ':now': now,
          },
          ProjectionExpression: 'tenantId, id, #status',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) {
        found.push({
          tenantId: item.tenantId as string,
          campaignId: item.id as string,
          status: item.status as string,
        });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  } finally {
    client.destroy();
  }
  return found;
}

/**
 * SQS keeps messages across a crash; the in-process queue does not, and no process of the previous run survived. On
 * start, before the API answers and before any worker runs, the local stack therefore recovers every campaign still
 * sending (dead claims end `unknown`, counters are recounted from the ledger), then kicks it and every scheduled
 * campaign already due: the launcher resumes from its checkpoint or re-queues whoever still waits, and workers claim
 * each recipient once, so nothing is sent twice. (A scan is fine for the one-machine store; on AWS this never runs.)
 */
export async function resumeSendingCampaigns(endpoint: string, tableName: string, deps: CampaignDeps): Promise<number> {
  const found = await campaignsToResume(endpoint, tableName, deps.clock.now().toISOString());
  for (const campaign of found) {
    if (campaign.status !== 'scheduled')
      await recoverCampaignAfterRestart(campaign.tenantId, campaign.campaignId, deps);
  }
  const kicks = found
    .filter(({ status }) => status !== 'paused')
    .map(({ tenantId, campaignId }) => ({
      body: { kind: 'campaignLaunch', tenantId, campaignId } satisfies LaunchMessage,
    }));
  await deps.queue.sendMessages('launch', kicks);
  return kicks.length;
}
