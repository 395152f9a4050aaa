import type { Contact } from '../../domain/contacts/contact.schema';
import { addTags, removeTag } from '../../domain/contacts/contact-rules';
import { NotFoundError } from '../../domain/errors';
import { retryOnConflict } from '../retry-on-conflict';
import type { ContactsDeps } from './contacts-deps';

/** Adds tags to a contact (idempotent: tags it already has change nothing). */
export async function addContactTags(
  tenantId: string,
  contactId: string,
  tags: string[],
  deps: ContactsDeps,
): Promise<Contact> {
  return retryOnConflict(async () => {
    const stored = await deps.contacts.getContact(tenantId, contactId);
    if (!stored) throw new NotFoundError('Contact', contactId);
    const updated = addTags(stored.contact, tags, deps.clock.now().toISOString());
    if (!updated) return stored.contact;
    return (await deps.contacts.saveContact(tenantId, stored, { contact: updated })).contact;
  });
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
