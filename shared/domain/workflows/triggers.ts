import type { Contact } from '../contacts/contact.schema';
import { durationMs, type Workflow, type WorkflowTrigger } from './workflow.schema';
import type { WorkflowEvent } from './workflow-event.schema';

/**
 * Whether an event enrolls the contact in this workflow: a submission of the trigger's form, the trigger's tag newly
 * added (not by this very workflow, so a workflow cannot feed itself), a new contact, or an inbound reply whose whole
 * text is the keyword (any case, surrounding spaces ignored). `date_field` triggers enroll through their planned time
 * instead (see {@link dateTriggerDueAt}).
 */
export function eventTriggers(workflow: Pick<Workflow, 'id' | 'trigger'>, event: WorkflowEvent): boolean {
  const trigger = workflow.trigger;
  switch (trigger.type) {
    case 'form_submitted':
      return event.kind === 'formSubmitted' && event.formId === trigger.formId;
    case 'tag_added':
      return event.kind === 'tagAdded' && event.tags.includes(trigger.tag) && event.byWorkflowId !== workflow.id;
    case 'contact_created':
      return event.kind === 'contactCreated';
    case 'inbound_keyword':
      return (
        event.kind === 'inboundMessage' &&
        event.type === 'reply' &&
        event.body.trim().toUpperCase() === trigger.keyword.toUpperCase()
      );
    case 'date_field':
      return false;
    case 'link_clicked':
      return (
        event.kind === 'linkClicked' &&
        // A click on this workflow's own text does not enroll the contact in it again.
        !(event.link.source.kind === 'workflow' && event.link.source.workflowId === workflow.id) &&
        (trigger.campaignId === undefined ||
          (event.link.source.kind === 'campaign' && event.link.source.campaignId === trigger.campaignId))
      );
  }
}

/** A custom field value read as an instant: an ISO date or date-time string, or epoch milliseconds. */
export function readDateField(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * When a `date_field` trigger fires for a contact: the field's instant plus the trigger's (signed) offset, or
 * undefined when the field is missing, not a date, or the time has already passed (a past reminder never fires).
 */
export function dateTriggerDueAt(
  trigger: Extract<WorkflowTrigger, { type: 'date_field' }>,
  contact: Pick<Contact, 'customFields'>,
  now: Date,
): Date | undefined {
  const base = readDateField(contact.customFields[trigger.field]);
  if (base === undefined) return undefined;
  const due = base + durationMs(trigger.offset);
  return due > now.getTime() ? new Date(due) : undefined;
}
