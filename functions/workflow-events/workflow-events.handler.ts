import { withBatchedIo } from '../../shared/app/workflows/batched-io';
import { handleContactEvent } from '../../shared/app/workflows/handle-contact-event.use-case';
import { createWorkflowDeps } from '../../shared/config/workflow-deps.factory';
import { workflowEventSchema } from '../../shared/domain/workflows/workflow-event.schema';
import { mapConcurrent } from '../../shared/lib/map-concurrent';
import { logger } from '../../shared/middleware/logger';
import { parseSqsBody, sqsBatchHandler } from '../../shared/middleware/sqs-handler';

const deps = withBatchedIo(createWorkflowDeps());

/** Records of one batch handled at once: their reads and counter writes are gathered into batch requests. */
const RECORD_CONCURRENCY = 64;

/**
 * Consumer of the `events` queue: contact changes and inbound texts enroll, re-plan and exit workflow runs. The records
 * of a batch run concurrently (each is safe on its own: the enrollment lock and revisions make a repeat act once); the
 * events of one contact run in their order. A failed record alone goes back to the queue.
 */
export const { lambdaHandler, handler } = sqsBatchHandler(async (records) => {
  const byContact = new Map<string, typeof records>();
  for (const record of records) {
    let key = record.messageId;
    try {
      const body = JSON.parse(record.body) as { tenantId?: unknown; contactId?: unknown };
      if (typeof body.contactId === 'string') key = `${String(body.tenantId)}\u0000${body.contactId}`;
    } catch {
      // Not JSON: it fails alone below.
    }
    byContact.set(key, [...(byContact.get(key) ?? []), record]);
  }
  const failed: string[] = [];
  await mapConcurrent([...byContact.values()], RECORD_CONCURRENCY, async (group) => {
    for (const record of group) {
      try {
        await handleContactEvent(parseSqsBody(record, workflowEventSchema), deps);
      } catch (error) {
        logger.error('record failed', {
          messageId: record.messageId,
          receiveCount: record.attributes?.ApproximateReceiveCount,
          error: error as Error,
        });
        failed.push(record.messageId);
      }
    }
  });
  return failed;
});
