import { newEnrollment } from '../../domain/workflows/enrollment';
import type { Workflow } from '../../domain/workflows/workflow.schema';
import { runEnrollment } from './run-enrollment.use-case';
import type { WorkflowDeps } from './workflow-deps';

/** A lock whose enrollment is still missing after this long was left by a crash between the two writes. */
const STALE_LOCK_MS = 60_000;

export type EnrollOutcome = { enrolled: true; enrollmentId: string } | { enrolled: false };

/**
 * Enrolls a contact in the current version of an active workflow and runs its first steps. The per-contact lock
 * (a conditional write) allows one active enrollment per workflow and contact, so overlapping triggers (the same form
 * twice, a tag and a form) never start a second run that would text the lead twice; without `allowReentry` a contact
 * goes through a workflow once.
 */
export async function enrollContact(
  tenantId: string,
  workflow: Workflow,
  contactId: string,
  deps: WorkflowDeps,
): Promise<EnrollOutcome> {
  const now = deps.clock.now();
  const enrollmentId = deps.ids.next();
  const claim = await deps.workflows.claimEnrollment(
    tenantId,
    workflow.id,
    contactId,
    enrollmentId,
    now.toISOString(),
    workflow.allowReentry,
  );
  if (!claim.claimed) {
    const stale =
      claim.activeEnrollmentId !== undefined &&
      claim.lockedAt !== undefined &&
      now.getTime() - Date.parse(claim.lockedAt) > STALE_LOCK_MS &&
      !(await deps.workflows.getEnrollment(tenantId, workflow.id, claim.activeEnrollmentId));
    if (
      !stale ||
      !(await deps.workflows.takeOverEnrollmentLock(
        tenantId,
        workflow.id,
        contactId,
        claim.activeEnrollmentId as string,
        enrollmentId,
        now.toISOString(),
      ))
    ) {
      return { enrolled: false };
    }
  }
  await deps.workflows.createEnrollment(tenantId, enrollmentId, newEnrollment(workflow, contactId, now));
  await deps.workflows.addCounts(tenantId, workflow.id, {}, { enrolled: 1 });
  await runEnrollment(tenantId, workflow.id, enrollmentId, { type: 'start' }, deps);
  return { enrolled: true, enrollmentId };
}
