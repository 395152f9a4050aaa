import { isFinished } from '../../domain/workflows/enrollment';
import type { Workflow } from '../../domain/workflows/workflow.schema';
import type { InboundMessageEventBody, WorkflowEvent } from '../../domain/workflows/workflow-event.schema';
import { mapConcurrent } from '../../lib/map-concurrent';
import { planDateTrigger } from './date-triggers';
import { activeWorkflows, enrollTriggered } from './enroll-triggered';
import { exitAllEnrollments, exitStoredEnrollment } from './exit-enrollment';
import { handleLinkClicks } from './handle-link-clicks.use-case';
import { runEnrollment } from './run-enrollment.use-case';
import type { WorkflowDeps } from './workflow-deps';

/**
 * Reacts to one contact event: enrolls the contact in the active workflows it triggers, re-plans date reminders when
 * a date field changes, and ends enrollments on an opt-out (STOP, or a PATCH) or a deletion. Safe to repeat: the
 * enrollment lock and the enrollments' own revisions make a redelivered event act once.
 */
export async function handleContactEvent(event: WorkflowEvent, deps: WorkflowDeps): Promise<void> {
  const { tenantId } = event;
  const contactId = event.contactId;
  if (!contactId) return;
  switch (event.kind) {
    case 'contactDeleted':
      await exitAllEnrollments(tenantId, contactId, 'contact_deleted', deps);
      return;
    case 'contactChanged':
      if (event.consent === 'opted_out') {
        await exitAllEnrollments(tenantId, contactId, 'opted_out', deps);
        return;
      }
      if (event.customFields.length > 0) {
        await replanDates(tenantId, contactId, (workflow) => event.customFields.includes(fieldOf(workflow)), deps);
      }
      return;
    case 'inboundMessage':
      if (event.type === 'optOut' || event.type === 'revocation') {
        await exitAllEnrollments(tenantId, contactId, 'opted_out', deps);
        return;
      }
      if (event.type === 'reply') await handleReply(event, contactId, deps);
      break;
    case 'contactCreated':
      await replanDates(tenantId, contactId, () => true, deps);
      break;
    case 'linkClicked':
      await handleLinkClicks([event], deps);
      return;
    case 'tagAdded':
    case 'formSubmitted':
      break;
  }
  await enrollTriggered(event, contactId, deps);
}

const fieldOf = (workflow: Workflow) => (workflow.trigger.type === 'date_field' ? workflow.trigger.field : '');

async function replanDates(
  tenantId: string,
  contactId: string,
  concerns: (workflow: Workflow) => boolean,
  deps: WorkflowDeps,
): Promise<void> {
  const workflows = (await activeWorkflows(tenantId, deps)).filter(
    (workflow) => workflow.trigger.type === 'date_field' && concerns(workflow),
  );
  if (workflows.length === 0) return;
  const contact = await deps.contacts.getContact(tenantId, contactId);
  if (!contact) return;
  for (const workflow of workflows) await planDateTrigger(tenantId, workflow, contact.contact, deps);
}

/**
 * A reply counts for the step whose text it answers, moves every enrollment of the contact that waits for a reply
 * on to its `onReply` branch, and ends the enrollments of workflows that stop on response.
 */
async function handleReply(event: InboundMessageEventBody, contactId: string, deps: WorkflowDeps): Promise<void> {
  const { tenantId } = event;
  if (event.answers?.kind === 'workflow') {
    await deps.workflows.addCounts(tenantId, event.answers.workflowId, { [event.answers.stepId]: { replied: 1 } });
  }
  const active = await deps.workflows.activeEnrollmentsOf(tenantId, contactId);
  await mapConcurrent(active, 4, async ({ workflowId, enrollmentId }) => {
    const head = await deps.workflows.getWorkflow(tenantId, workflowId);
    if (head?.workflow.stopOnResponse) {
      await exitStoredEnrollment(tenantId, workflowId, enrollmentId, 'replied', deps);
      return;
    }
    const stored = await deps.workflows.getEnrollment(tenantId, workflowId, enrollmentId);
    if (!stored || isFinished(stored.enrollment) || stored.enrollment.waitingForReplySince === undefined) return;
    await runEnrollment(tenantId, workflowId, enrollmentId, { type: 'reply', at: event.at }, deps);
  });
}
