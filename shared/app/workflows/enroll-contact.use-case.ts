import { isFinished, newEnrollment } from '../../domain/workflows/enrollment';
import type { Workflow } from '../../domain/workflows/workflow.schema';
import { runEnrollment, startClaimedEnrollment } from './run-enrollment.use-case';
import type { WorkflowDeps } from './workflow-deps';

/** A lock whose enrollment is still missing after this long was left by a crash between the two writes. */
const STALE_LOCK_MS = 60_000;

export type EnrollOutcome = { enrolled: true; enrollmentId: string } | { enrolled: false };

/**
 * Enrolls a contact in the current version of an active workflow and runs its first steps. The per-contact lock
 * (a conditional write) allows one active enrollment per workflow and contact, so overlapping triggers (the same form
 * twice, a tag and a form) never start a second run that would text the lead twice; without `allowReentry` a contact
 * goes through a workflow once. The first advance is usually written with the enrollment itself
 * (`startClaimedEnrollment`); when it cannot run at once the enrollment is written as it stands and run as usual.
 */
export async function enrollContact(
  tenantId: string,
  workflow: Workflow,
  contactId: string,
  deps: WorkflowDeps,
): Promise<EnrollOutcome> {
  const now = deps.clock.now();
  const enrollmentId = deps.ids.next();
  if (!(await claimLock(tenantId, workflow, contactId, enrollmentId, now, deps))) return { enrolled: false };
  const fresh = newEnrollment(workflow, contactId, now);
  if (await startClaimedEnrollment(tenantId, workflow, enrollmentId, fresh, deps)) {
    return { enrolled: true, enrollmentId };
  }
  await deps.workflows.createEnrollment(tenantId, enrollmentId, fresh);
  await deps.workflows.addCounts(tenantId, workflow.id, {}, { enrolled: 1 });
  await runEnrollment(tenantId, workflow.id, enrollmentId, { type: 'start' }, deps);
  return { enrolled: true, enrollmentId };
}

/**
 * Takes the contact's lock on the workflow for a new enrollment. A lock whose enrollment is missing after
 * `STALE_LOCK_MS` (a crash between the two writes) is taken over. A workflow without re-entry keeps the lock of a
 * finished enrollment in place (no later claim could succeed anyway), so when re-entry has been turned on since, a
 * lock still naming a finished enrollment is freed and claimed again.
 */
async function claimLock(
  tenantId: string,
  workflow: Workflow,
  contactId: string,
  enrollmentId: string,
  now: Date,
  deps: WorkflowDeps,
): Promise<boolean> {
  const at = now.toISOString();
  for (let attempt = 0; attempt < 2; attempt++) {
    const claim = await deps.workflows.claimEnrollment(
      tenantId,
      workflow.id,
      contactId,
      enrollmentId,
      at,
      workflow.allowReentry,
    );
    if (claim.claimed) return true;
    const holder = claim.activeEnrollmentId;
    if (holder === undefined) return false;
    const old = claim.lockedAt !== undefined && now.getTime() - Date.parse(claim.lockedAt) > STALE_LOCK_MS;
    if (!old && !workflow.allowReentry) return false;
    const stored = await deps.workflows.getEnrollment(tenantId, workflow.id, holder);
    if (!stored) {
      return old && deps.workflows.takeOverEnrollmentLock(tenantId, workflow.id, contactId, holder, enrollmentId, at);
    }
    if (!workflow.allowReentry || !isFinished(stored.enrollment)) return false;
    await deps.workflows.releaseEnrollmentLock(tenantId, workflow.id, contactId, holder);
  }
  return false;
}
