import type { SQSRecord } from 'aws-lambda';
import { withBatchedIo } from '../../shared/app/workflows/batched-io';
import { handleContactEvent } from '../../shared/app/workflows/handle-contact-event.use-case';
import { handleLinkClicks } from '../../shared/app/workflows/handle-link-clicks.use-case';
import { createWorkflowDeps } from '../../shared/config/workflow-deps.factory';
import type { LinkClickedEvent } from '../../shared/domain/links/link-clicked-event';
import { type WorkflowEvent, workflowEventSchema } from '../../shared/domain/workflows/workflow-event.schema';
import { mapConcurrent } from '../../shared/lib/map-concurrent';
import { logger } from '../../shared/middleware/logger';
import { parseSqsBody, sqsBatchHandler } from '../../shared/middleware/sqs-handler';

const deps = withBatchedIo(createWorkflowDeps());

/** Records of one batch handled at once: their reads and counter writes are gathered into batch requests. */
const RECORD_CONCURRENCY = 64;

/**
 * Consumer of the `events` queue: contact changes and inbound texts enroll, re-plan and exit workflow runs; people's
 * link clicks are counted. The clicks of a batch are counted together, first (batch writes for them all: the hottest
 * event); the other records then run concurrently (each is safe on its own: the enrollment lock and revisions make
 * a repeat act once), the events of one contact in their order. A failed record alone goes back to the queue (the
 * clicks of a batch together: counting one twice is impossible, so they are safe to repeat).
 */
export const { lambdaHandler, handler } = sqsBatchHandler(async (records) => {
  const failed: string[] = [];
  const clicks: { record: SQSRecord; event: LinkClickedEvent }[] = [];
  const byContact = new Map<string, { record: SQSRecord; event: WorkflowEvent }[]>();
  for (const record of records) {
    let event: WorkflowEvent;
    try {
      event = parseSqsBody(record, workflowEventSchema);
    } catch (error) {
      fail(record, error, failed);
      continue;
    }
    if (event.kind === 'linkClicked') {
      clicks.push({ record, event });
      continue;
    }
    const key = event.contactId ? `${event.tenantId}\u0000${event.contactId}` : record.messageId;
    byContact.set(key, [...(byContact.get(key) ?? []), { record, event }]);
  }
  const countClicks = async () => {
    if (clicks.length === 0) return;
    const recordOf = new Map(clicks.map(({ record, event }) => [event, record]));
    await handleLinkClicks([...recordOf.keys()], deps, (event, error) =>
      fail(recordOf.get(event) as SQSRecord, error, failed),
    ).catch((error: unknown) => {
      for (const { record } of clicks) fail(record, error, failed);
    });
  };
  // Clicks first: a contact's opt-out in the same batch then ends whatever a click enrolled it in (and a workflow's
  // texts check consent before each send anyway).
  await countClicks();
  await mapConcurrent([...byContact.values()], RECORD_CONCURRENCY, async (group) => {
    for (const { record, event } of group) {
      await handleContactEvent(event, deps).catch((error: unknown) => fail(record, error, failed));
    }
  });
  return failed;
});

function fail(record: SQSRecord, error: unknown, failed: string[]): void {
  logger.error('record failed', {
    messageId: record.messageId,
    receiveCount: record.attributes?.ApproximateReceiveCount,
    error: error as Error,
  });
  failed.push(record.messageId);
}
