import { z } from 'zod';
import type { Contact } from './contact.schema';

/**
 * What the contact use cases announce on the `events` queue once a write has landed, so that workflows can react
 * (enroll, re-plan a date reminder, exit) without the contact API knowing about workflows.
 */
export const contactEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('contactCreated'), tenantId: z.string().min(1), contactId: z.string().min(1) }),
  z.object({
    kind: z.literal('tagAdded'),
    tenantId: z.string().min(1),
    contactId: z.string().min(1),
    tags: z.array(z.string()).min(1),
    /** Set when a workflow step added the tag: that workflow does not enroll the contact again from it. */
    byWorkflowId: z.string().optional(),
  }),
  z.object({
    kind: z.literal('formSubmitted'),
    tenantId: z.string().min(1),
    contactId: z.string().min(1),
    formId: z.string().min(1),
  }),
  z.object({
    kind: z.literal('contactChanged'),
    tenantId: z.string().min(1),
    contactId: z.string().min(1),
    /** Custom fields whose value changed (set, changed or cleared). */
    customFields: z.array(z.string()),
    /** The new consent status, when it changed. */
    consent: z.enum(['opted_in', 'opted_out', 'unknown']).optional(),
  }),
  z.object({ kind: z.literal('contactDeleted'), tenantId: z.string().min(1), contactId: z.string().min(1) }),
]);
export type ContactEvent = z.infer<typeof contactEventSchema>;

/** The names of the custom fields whose values differ between two versions of a contact. */
export function changedCustomFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}

/** The events a contact change gives rise to: `tagAdded` for new tags, `contactChanged` for fields and consent. */
export function contactChangeEvents(tenantId: string, before: Contact, after: Contact): ContactEvent[] {
  const contactId = after.id;
  const events: ContactEvent[] = [];
  const added = after.tags.filter((tag) => !before.tags.includes(tag));
  if (added.length > 0) events.push({ kind: 'tagAdded', tenantId, contactId, tags: added });
  const customFields = changedCustomFields(before.customFields, after.customFields);
  const consentChanged = before.smsConsent.status !== after.smsConsent.status;
  if (customFields.length > 0 || consentChanged) {
    events.push({
      kind: 'contactChanged',
      tenantId,
      contactId,
      customFields,
      ...(consentChanged ? { consent: after.smsConsent.status } : {}),
    });
  }
  return events;
}
