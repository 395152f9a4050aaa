import { withBatchedIo } from '../../shared/app/workflows/batched-io';
import { handleWorkflowMessage } from '../../shared/app/workflows/handle-workflow-message.use-case';
import { createWorkflowDeps } from '../../shared/config/workflow-deps.factory';
import { workflowMessageSchema } from '../../shared/domain/workflows/workflow-messages';
import { mapConcurrent } from '../../shared/lib/map-concurrent';
import { logger } from '../../shared/middleware/logger';
import { parseSqsBody, sqsBatchHandler } from '../../shared/middleware/sqs-handler';

const deps = withBatchedIo(createWorkflowDeps());

/** Records of one batch handled at once: their reads and counter writes are gathered into batch requests. */
const RECORD_CONCURRENCY = 64;

/**
 * Consumer of the `workflows` queue (and target of the minute-bucket schedules): wake-ups, date triggers, sweeps. The
 * records of a batch run concurrently: each is safe on its own (a wake-up applies through the enrollment's
 * version-conditional write, so a duplicate, even in the same batch, advances once). A failed record alone goes back
 * to the queue.
 */
export const { lambdaHandler, handler } = sqsBatchHandler(async (records) => {
  const failed: string[] = [];
  await mapConcurrent(records, RECORD_CONCURRENCY, async (record) => {
    try {
      const message = parseSqsBody(record, workflowMessageSchema);
      const outcome = await handleWorkflowMessage(message, deps);
      logger.debug('workflow message handled', { kind: message.kind, outcome });
    } catch (error) {
      logger.error('record failed', {
        messageId: record.messageId,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        error: error as Error,
      });
      failed.push(record.messageId);
    }
  });
  return failed;
});
