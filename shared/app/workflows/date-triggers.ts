import type { Contact } from '../../domain/contacts/contact.schema';
import { dateTriggerDueAt, readDateField } from '../../domain/workflows/triggers';
import { durationMs, type Workflow } from '../../domain/workflows/workflow.schema';
import { enrollContact } from './enroll-contact.use-case';
import type { WorkflowDeps } from './workflow-deps';
import { armTimers } from './workflow-timers';

/**
 * (Re-)plans a `date_field` workflow for a contact: one plan per workflow and contact, at the field's instant plus
 * the offset. A changed date replaces the plan (the old timer then finds a plan it does not match and does nothing);
 * a cleared field, or a time already past, drops it.
 */
export async function planDateTrigger(
  tenantId: string,
  workflow: Workflow,
  contact: Contact,
  deps: WorkflowDeps,
): Promise<void> {
  if (workflow.trigger.type !== 'date_field') return;
  const due = dateTriggerDueAt(workflow.trigger, contact, deps.clock.now());
  if (!due) {
    await deps.workflows.deleteDatePlan(tenantId, workflow.id, contact.id);
    return;
  }
  const dueAt = due.toISOString();
  if ((await deps.workflows.getDatePlan(tenantId, workflow.id, contact.id)) === dueAt) return;
  await deps.workflows.putDatePlan(tenantId, workflow.id, contact.id, dueAt);
  await armTimers(
    tenantId,
    [{ kind: 'plannedTrigger', tenantId, workflowId: workflow.id, contactId: contact.id, dueAt }],
    deps,
  );
}

/**
 * A planned `date_field` time has come: enrolls the contact if the plan still stands (same time, the field still
 * gives it, the workflow still active). A stale timer (re-planned, cleared) does nothing; an early one re-arms.
 */
export async function firePlannedTrigger(
  message: { tenantId: string; workflowId: string; contactId: string; dueAt: string },
  deps: WorkflowDeps,
): Promise<'enrolled' | 'stale' | 'early' | 'skipped'> {
  const { tenantId, workflowId, contactId, dueAt } = message;
  const plan = await deps.workflows.getDatePlan(tenantId, workflowId, contactId);
  if (plan !== dueAt) return 'stale';
  if (Date.parse(dueAt) > deps.clock.now().getTime()) {
    await armTimers(tenantId, [{ kind: 'plannedTrigger', ...message }], deps);
    return 'early';
  }
  const [head, contact] = await Promise.all([
    deps.workflows.getWorkflow(tenantId, workflowId),
    deps.contacts.getContact(tenantId, contactId),
  ]);
  const trigger = head?.workflow.trigger;
  const base =
    contact && trigger?.type === 'date_field' ? readDateField(contact.contact.customFields[trigger.field]) : undefined;
  const stillDue =
    trigger?.type === 'date_field' && base !== undefined && base + durationMs(trigger.offset) === Date.parse(dueAt);
  await deps.workflows.deleteDatePlan(tenantId, workflowId, contactId);
  if (!head || !contact || !stillDue || head.workflow.status !== 'active') return 'skipped';
  const outcome = await enrollContact(tenantId, head.workflow, contactId, deps);
  return outcome.enrolled ? 'enrolled' : 'skipped';
}
