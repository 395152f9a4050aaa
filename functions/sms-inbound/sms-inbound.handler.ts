import { processInboundMessage } from '../../shared/app/inbound/process-inbound.use-case';
import { createCampaignDeps } from '../../shared/config/campaign-deps.factory';
import { twoWayMessageSchema } from '../../shared/domain/inbound/two-way-message.schema';
import { parseSqsBody, sqsHandler } from '../../shared/middleware/sqs-handler';

const deps = createCampaignDeps();

/** Two-way SMS (STOP, START, HELP, replies) published by the phone number's SNS topic. */
export const { lambdaHandler, handler } = sqsHandler(async (record) => {
  await processInboundMessage(parseSqsBody(record, twoWayMessageSchema), deps);
});
