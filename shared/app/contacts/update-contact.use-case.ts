import type { Contact, ContactPatch } from '../../domain/contacts/contact.schema';
import { contactChangeEvents } from '../../domain/contacts/contact-events';
import { applyContactPatch, normalizePhone, type PhoneRecord } from '../../domain/contacts/contact-rules';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { retryOnConflict } from '../retry-on-conflict';
import { publishContactEvents } from './contact-events';
import type { ContactsDeps } from './contacts-deps';
import { findPhoneOwner } from './phone-ownership';

/**
 * Applies a PATCH with optimistic concurrency. A new phone is claimed before the contact is
 * written, so the number can never end up on two contacts; consent changes enter the history.
 * Announces what workflows react to: new tags, changed custom fields (date reminders), a consent change.
 */
export async function updateContact(
  tenantId: string,
  contactId: string,
  patch: ContactPatch,
  deps: ContactsDeps,
): Promise<Contact> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const phone = patch.phone === undefined ? undefined : normalizePhone(patch.phone, settings);
  let before: Contact | undefined;
  const updated = await retryOnConflict(async () => {
    const stored = await deps.contacts.getContact(tenantId, contactId);
    before = stored?.contact;
    if (!stored) throw new NotFoundError('Contact', contactId);
    const newPhone = phone !== undefined && phone !== stored.contact.phone ? phone : undefined;
    let phoneRecord: PhoneRecord | undefined;
    let takeOver: string | undefined;
    if (newPhone) {
      phoneRecord = (await deps.contacts.getPhoneRecords(tenantId, [newPhone])).get(newPhone);
      const ownership = await findPhoneOwner(deps.contacts, tenantId, newPhone, phoneRecord, deps.clock.now());
      if ((ownership.kind === 'owned' || ownership.kind === 'pending') && ownership.contactId !== contactId) {
        throw new ConflictError('CONTACT.PHONE_EXISTS', `A contact with phone ${newPhone} already exists`, {
          contactId: ownership.contactId,
        });
      }
      takeOver = ownership.kind === 'stale' && ownership.contactId !== contactId ? ownership.contactId : undefined;
    }
    // The rules first (a refused consent change claims nothing), then the number's claim.
    const change = applyContactPatch(
      stored.contact,
      { ...patch, ...(phone !== undefined ? { phone } : {}) },
      deps.clock.now().toISOString(),
      settings,
      phoneRecord,
    );
    if (newPhone && !(await deps.contacts.claimPhone(tenantId, newPhone, contactId, takeOver))) {
      throw new ConflictError('CONTACT.PHONE_EXISTS', `A contact with phone ${newPhone} already exists`);
    }
    return (await deps.contacts.saveContact(tenantId, stored, change)).contact;
  });
  if (before) await publishContactEvents(deps, contactChangeEvents(tenantId, before, updated));
  return updated;
}
