import { z } from 'zod';
import { sendCampaignBatch } from '../../shared/app/campaigns/send-batch.use-case';
import { createCampaignDeps } from '../../shared/config/campaign-deps.factory';
import { parseSqsBody, sqsHandler } from '../../shared/middleware/sqs-handler';

const deps = createCampaignDeps();

export const sendBatchMessageSchema = z.object({
  kind: z.literal('campaignSend'),
  tenantId: z.string().min(1),
  campaignId: z.string().min(1),
  contactIds: z.array(z.string().min(1)).min(1).max(100),
});

export const { lambdaHandler, handler } = sqsHandler(async (record, context) => {
  // Sized to the time left: what this invocation cannot send in time goes back to the queue untouched.
  await sendCampaignBatch(parseSqsBody(record, sendBatchMessageSchema), deps, {
    remainingMs: () => context.getRemainingTimeInMillis(),
  });
});
