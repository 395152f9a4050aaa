import type { Contact } from '../../domain/contacts/contact.schema';
import { addTags, removeTag } from '../../domain/contacts/contact-rules';
import { NotFoundError } from '../../domain/errors';
import { retryOnConflict } from '../retry-on-conflict';
import { publishContactEvents } from './contact-events';
import type { ContactsDeps } from './contacts-deps';

/**
 * Adds tags to a contact (idempotent: tags it already has change nothing) and announces the new ones (`tag_added`
 * triggers). `byWorkflowId` names the workflow whose step added them, so that workflow does not enroll from them.
 */
export async function addContactTags(
  tenantId: string,
  contactId: string,
  tags: string[],
  deps: ContactsDeps,
  byWorkflowId?: string,
): Promise<Contact> {
  let added: string[] = [];
  const contact = await retryOnConflict(async () => {
    const stored = await deps.contacts.getContact(tenantId, contactId);
    if (!stored) throw new NotFoundError('Contact', contactId);
    const updated = addTags(stored.contact, tags, deps.clock.now().toISOString());
    added = updated ? updated.tags.filter((tag) => !stored.contact.tags.includes(tag)) : [];
    if (!updated) return stored.contact;
    return (await deps.contacts.saveContact(tenantId, stored, { contact: updated })).contact;
  });
  if (added.length > 0) {
    await publishContactEvents(deps, [
      { kind: 'tagAdded', tenantId, contactId, tags: added, ...(byWorkflowId ? { byWorkflowId } : {}) },
    ]);
  }
  return contact;
}

/** Removes one tag (idempotent: removing a tag the contact lacks changes nothing). */
export async function removeContactTag(
  tenantId: string,
  contactId: string,
  tag: string,
  deps: ContactsDeps,
): Promise<Contact> {
  return retryOnConflict(async () => {
    const stored = await deps.contacts.getContact(tenantId, contactId);
    if (!stored) throw new NotFoundError('Contact', contactId);
    const updated = removeTag(stored.contact, tag, deps.clock.now().toISOString());
    if (!updated) return stored.contact;
    return (await deps.contacts.saveContact(tenantId, stored, { contact: updated })).contact;
  });
}
