import type { WorkflowMessage } from '../../domain/workflows/workflow-messages';
import { firePlannedTrigger, planDateTrigger } from './date-triggers';
import { type RunOutcome, runEnrollment } from './run-enrollment.use-case';
import type { WorkflowDeps } from './workflow-deps';
import { armTimers, sweepBucket } from './workflow-timers';

/**
 * Handles one message of the `workflows` queue: an enrollment's wake-up (or a start or reply the send window held
 * back), a date trigger's planned time, a minute bucket's sweep, or the re-arming of what a pause held.
 */
export async function handleWorkflowMessage(message: WorkflowMessage, deps: WorkflowDeps): Promise<string> {
  switch (message.kind) {
    case 'enrollmentWake': {
      const { tenantId, workflowId, enrollmentId, dueAt, notBefore, replyAt } = message;
      const outcome: RunOutcome = await runEnrollment(
        tenantId,
        workflowId,
        enrollmentId,
        replyAt ? { type: 'reply', at: replyAt, notBefore } : { type: 'wake', dueAt, notBefore },
        deps,
      );
      return outcome;
    }
    case 'plannedTrigger':
      return firePlannedTrigger(message, deps);
    case 'wakeSweep':
      return `swept ${await sweepBucket(message.tenantId, message.minute, deps)}`;
    case 'workflowResumed':
      return `re-armed ${await rearmHeld(message.tenantId, message.workflowId, deps)}`;
    case 'datePlansBackfill':
      return `planned ${await backfillDatePlans(message.tenantId, message.workflowId, deps)}`;
  }
}

/**
 * A `date_field` workflow just became active: contacts that already carry the date get their plan too (an
 * appointment booked before the reminder workflow existed still gets its reminder). Planning is idempotent, so a
 * redelivered backfill plans nothing twice; a time already past is not planned.
 */
async function backfillDatePlans(tenantId: string, workflowId: string, deps: WorkflowDeps): Promise<number> {
  const workflow = (await deps.workflows.getWorkflow(tenantId, workflowId))?.workflow;
  if (workflow?.status !== 'active' || workflow.trigger.type !== 'date_field') return 0;
  const field = workflow.trigger.field;
  const contacts = await deps.contacts.listAllContacts(tenantId, 4);
  let planned = 0;
  for (const contact of contacts) {
    if (contact.customFields[field] === undefined) continue;
    await planDateTrigger(tenantId, workflow, contact, deps);
    planned++;
  }
  return planned;
}

/** Clears the hold of every enrollment a pause held and arms its wake-up again (at once when it is overdue). */
async function rearmHeld(tenantId: string, workflowId: string, deps: WorkflowDeps): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.workflows.listHeldEnrollments(tenantId, workflowId, cursor);
    for (const stored of page.items) {
      const saved = await deps.workflows
        .saveEnrollment(tenantId, stored, stored.enrollment, false)
        .catch(() => undefined);
      if (!saved) continue;
      const dueAt = stored.enrollment.wakeAt ?? stored.enrollment.enrolledAt ?? deps.clock.now().toISOString();
      await armTimers(
        tenantId,
        [{ kind: 'enrollmentWake', tenantId, workflowId, enrollmentId: stored.id, dueAt }],
        deps,
      );
      count++;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return count;
}
