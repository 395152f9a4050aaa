import { z } from 'zod';
import { launchCampaign } from '../../shared/app/campaigns/launch-campaign.use-case';
import { createCampaignDeps } from '../../shared/config/campaign-deps.factory';
import { parseSqsBody, sqsHandler } from '../../shared/middleware/sqs-handler';

const deps = createCampaignDeps();

/** What the launch queue carries: from "send now", a fired schedule, or a launcher handing over. */
export const launchMessageSchema = z.object({
  kind: z.literal('campaignLaunch'),
  tenantId: z.string().min(1),
  campaignId: z.string().min(1),
  abandonInFlight: z.boolean().optional(),
});

export const { lambdaHandler, handler } = sqsHandler(async (record, context) => {
  const message = parseSqsBody(record, launchMessageSchema);
  await launchCampaign(message, deps, {
    leaseOwner: `${context.awsRequestId}:${record.messageId}`,
    remainingMs: () => context.getRemainingTimeInMillis(),
  });
});
