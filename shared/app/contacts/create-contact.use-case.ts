import { buildNewContact, normalizePhone } from '../../domain/contacts/contact-rules';
import type { Contact, ContactInput } from '../../domain/contacts/contact.schema';
import { ConflictError } from '../../domain/errors';
import type { ContactsDeps } from './contacts-deps';
import { findPhoneOwner } from './phone-ownership';

function phoneTaken(phone: string, contactId: string): ConflictError {
  return new ConflictError('CONTACT.PHONE_EXISTS', `A contact with phone ${phone} already exists`, { contactId });
}

/**
 * Creates one contact. The phone is claimed with a conditional write first, so two concurrent
 * creates of the same number give one contact and one 409 carrying the existing id.
 */
export async function createContact(tenantId: string, input: ContactInput, deps: ContactsDeps): Promise<Contact> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const phone = normalizePhone(input.phone, settings);
  const record = (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone);
  const ownership = await findPhoneOwner(deps.contacts, tenantId, phone, record?.contactId);
  if (ownership.kind === 'owned') throw phoneTaken(phone, ownership.contactId);

  const id = deps.ids.next();
  const takeOverFrom = ownership.kind === 'stale' ? ownership.contactId : undefined;
  if (!(await deps.contacts.claimPhone(tenantId, phone, id, takeOverFrom))) {
    const winner = (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone);
    throw phoneTaken(phone, winner?.contactId ?? 'unknown');
  }
  const change = buildNewContact(
    { ...input, phone },
    { id, now: deps.clock.now().toISOString(), settings, source: 'api', ...(record ? { phoneRecord: record } : {}) },
  );
  await deps.contacts.putNewContacts(tenantId, [change]);
  return change.contact;
}
