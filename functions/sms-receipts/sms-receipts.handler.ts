import { z } from 'zod';
import { type IncomingReceipt, recordReceipts } from '../../shared/app/receipts/record-receipts.use-case';
import { createWorkflowDeps } from '../../shared/config/workflow-deps.factory';
import { smsEventRecordSchema } from '../../shared/domain/receipts/sms-event.schema';
import { logger } from '../../shared/middleware/logger';
import { parseSqsBody, sqsBatchHandler } from '../../shared/middleware/sqs-handler';

// Workflows too: the carrier-filtering breaker pauses a workflow whose texts carriers filter.
const deps = createWorkflowDeps();

/** One SNS notification carries one event record; the local path may batch several in an array. */
const receiptsBody = z.union([smsEventRecordSchema, z.array(smsEventRecordSchema).min(1)]);

export const { lambdaHandler, handler } = sqsBatchHandler(async (records) => {
  const receipts: IncomingReceipt[] = [];
  const failed: string[] = [];
  for (const record of records) {
    try {
      const body = parseSqsBody(record, receiptsBody);
      for (const event of Array.isArray(body) ? body : [body]) receipts.push({ key: record.messageId, record: event });
    } catch (error) {
      // Never valid: it fails every receive and ends in the DLQ with this reason logged.
      logger.error('receipt rejected', { messageId: record.messageId, error: error as Error });
      failed.push(record.messageId);
    }
  }
  const summary = await recordReceipts(receipts, deps);
  logger.info('receipts recorded', {
    applied: summary.applied,
    ignored: summary.ignored,
    delivered: summary.delivered,
    failed: summary.failed,
    retried: summary.failedKeys.length,
  });
  // Figures for the failure-rate alarm, as CloudWatch embedded metrics (no API call).
  logger.info('receipt metrics', {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: 'SmsEngine',
          Dimensions: [[]],
          Metrics: [
            { Name: 'ReceiptsDelivered', Unit: 'Count' },
            { Name: 'ReceiptsFailed', Unit: 'Count' },
          ],
        },
      ],
    },
    ReceiptsDelivered: summary.delivered,
    ReceiptsFailed: summary.failed,
  });
  return [...new Set([...failed, ...summary.failedKeys])];
});
