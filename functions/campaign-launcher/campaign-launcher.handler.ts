import { z } from 'zod';
import { launchCampaign } from '../../shared/app/campaigns/launch-campaign.use-case';
import { reconcileCampaignCounts } from '../../shared/app/campaigns/reconcile-counts.use-case';
import { createCampaignDeps } from '../../shared/config/campaign-deps.factory';
import { logger } from '../../shared/middleware/logger';
import { parseSqsBody, sqsHandler } from '../../shared/middleware/sqs-handler';

const deps = createCampaignDeps();

/** What the launch queue carries: from "send now", a fired schedule, or a launcher handing over. */
export const launchMessageSchema = z.object({
  kind: z.literal('campaignLaunch'),
  tenantId: z.string().min(1),
  campaignId: z.string().min(1),
  watchdog: z.object({ progress: z.string(), quietLooks: z.number().int().min(0) }).optional(),
});

/** A recount of a campaign's counters from its ledger (on close, and on demand). */
export const recountMessageSchema = z.object({
  kind: z.literal('campaignRecount'),
  tenantId: z.string().min(1),
  campaignId: z.string().min(1),
});

const launchQueueMessage = z.discriminatedUnion('kind', [launchMessageSchema, recountMessageSchema]);

export const { lambdaHandler, handler } = sqsHandler(async (record, context) => {
  const message = parseSqsBody(record, launchQueueMessage);
  if (message.kind === 'campaignRecount') {
    // 'busy': another recount runs; the writers it waits for count themselves, so one is enough.
    const outcome = await reconcileCampaignCounts(message.tenantId, message.campaignId, deps);
    logger.info('campaign recounted', {
      campaignId: message.campaignId,
      outcome: outcome.kind,
      ...(outcome.kind === 'reconciled' ? { corrected: outcome.corrected } : {}),
    });
    return;
  }
  await launchCampaign(message, deps, {
    leaseOwner: `${context.awsRequestId}:${record.messageId}`,
    remainingMs: () => context.getRemainingTimeInMillis(),
  });
});
