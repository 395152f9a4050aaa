import { z } from 'zod';
import { recordReceipts } from '../../shared/app/receipts/record-receipts.use-case';
import { createCampaignDeps } from '../../shared/config/campaign-deps.factory';
import { smsEventRecordSchema } from '../../shared/domain/receipts/sms-event.schema';
import { parseSqsBody, sqsHandler } from '../../shared/middleware/sqs-handler';

const deps = createCampaignDeps();

/** One SNS notification carries one event record; the local path may batch several in an array. */
const receiptsBody = z.union([smsEventRecordSchema, z.array(smsEventRecordSchema).min(1)]);

export const { lambdaHandler, handler } = sqsHandler(async (record) => {
  const body = parseSqsBody(record, receiptsBody);
  await recordReceipts(Array.isArray(body) ? body : [body], deps);
});
