import { buildNewContact, normalizePhone } from '../../domain/contacts/contact-rules';
import type { Contact, ContactInput } from '../../domain/contacts/contact.schema';
import { ConflictError } from '../../domain/errors';
import type { ContactsDeps } from './contacts-deps';
import { findPhoneOwner } from './phone-ownership';

function phoneTaken(phone: string, contactId: string | undefined): ConflictError {
  return new ConflictError('CONTACT.PHONE_EXISTS', `A contact with phone ${phone} already exists`, {
    ...(contactId ? { contactId } : {}),
  });
}

/**
 * Creates one contact. Its id is derived from the phone (and the number's generation), so two
 * concurrent creates of one number (API or import) aim at the same item: one wins, the other
 * gets a 409 carrying the existing id. The phone claim is written after the contact.
 */
export async function createContact(tenantId: string, input: ContactInput, deps: ContactsDeps): Promise<Contact> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const phone = normalizePhone(input.phone, settings);
  const record = (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone) ?? { generation: 0 };
  const ownership = await findPhoneOwner(deps.contacts, tenantId, phone, record.contactId);
  if (ownership.kind === 'owned') throw phoneTaken(phone, ownership.contactId);

  const generation = ownership.kind === 'stale' ? record.generation + 1 : record.generation;
  const id = await deps.contacts.contactIdForPhone(tenantId, phone, generation);
  const change = buildNewContact(
    { ...input, phone },
    { id, now: deps.clock.now().toISOString(), settings, source: 'api', phoneRecord: record },
  );
  if (!(await deps.contacts.createContact(tenantId, change))) throw phoneTaken(phone, id);
  const takeOverFrom = ownership.kind === 'stale' ? ownership.contactId : undefined;
  if (!(await deps.contacts.claimPhone(tenantId, phone, id, generation, takeOverFrom))) {
    // Another contact took the number meanwhile: undo ours rather than leave two.
    await deps.contacts.deleteContact(tenantId, { contact: change.contact, version: 1 });
    const winner = (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone);
    throw phoneTaken(phone, winner?.contactId);
  }
  return change.contact;
}
