import { ConcurrentModificationError } from '../../domain/errors';
import { exitEnrollment, isFinished } from '../../domain/workflows/enrollment';
import type { StoredEnrollment } from '../../ports/workflow-store.port';
import type { WorkflowDeps } from './workflow-deps';

/**
 * Takes an enrollment out (opt-out, deletion, reply to a stop-on-response workflow): a version-conditional write, so
 * a concurrent advance and the exit cannot both apply; its pending wake-up then finds nothing to do. Frees the
 * contact's lock on the workflow. False when it had already finished.
 */
export async function exitStoredEnrollment(
  tenantId: string,
  workflowId: string,
  enrollmentId: string,
  reason: string,
  deps: Pick<WorkflowDeps, 'workflows' | 'clock'>,
  known?: StoredEnrollment,
): Promise<boolean> {
  let stored = known;
  for (let attempt = 0; attempt < 5; attempt++) {
    stored ??= await deps.workflows.getEnrollment(tenantId, workflowId, enrollmentId);
    if (!stored) return false;
    if (isFinished(stored.enrollment)) {
      await deps.workflows.releaseEnrollmentLock(tenantId, workflowId, stored.enrollment.contactId, enrollmentId);
      return false;
    }
    try {
      await deps.workflows.saveEnrollment(
        tenantId,
        stored,
        exitEnrollment(stored.enrollment, reason, deps.clock.now()),
      );
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError)) throw error;
      stored = undefined;
      continue;
    }
    await deps.workflows.releaseEnrollmentLock(tenantId, workflowId, stored.enrollment.contactId, enrollmentId);
    await deps.workflows.addCounts(tenantId, workflowId, {}, { exited: 1 });
    return true;
  }
  throw new ConcurrentModificationError(`Enrollment ${enrollmentId} kept changing while it was exited`);
}

/** Ends every active enrollment of a contact at once (an opt-out, a deletion). Returns how many were ended. */
export async function exitAllEnrollments(
  tenantId: string,
  contactId: string,
  reason: string,
  deps: Pick<WorkflowDeps, 'workflows' | 'clock'>,
): Promise<number> {
  const active = await deps.workflows.activeEnrollmentsOf(tenantId, contactId);
  const ended = await Promise.all(
    active.map(({ workflowId, enrollmentId }) =>
      exitStoredEnrollment(tenantId, workflowId, enrollmentId, reason, deps),
    ),
  );
  return ended.filter(Boolean).length;
}
