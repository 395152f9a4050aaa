import type { ConsentSource, Contact, ContactInput } from '../../domain/contacts/contact.schema';
import { buildNewContact, normalizePhone } from '../../domain/contacts/contact-rules';
import { ConflictError } from '../../domain/errors';
import { publishContactEvents } from './contact-events';
import type { ContactsDeps } from './contacts-deps';
import { findPhoneOwner } from './phone-ownership';

function phoneTaken(phone: string, contactId: string | undefined): ConflictError {
  return new ConflictError('CONTACT.PHONE_EXISTS', `A contact with phone ${phone} already exists`, {
    ...(contactId ? { contactId } : {}),
  });
}

/**
 * Creates one contact. The phone is claimed first with a conditional write, so of two concurrent
 * creates of one number (API or import) exactly one wins and the other gets a 409 with its id.
 * `source` is where the consent given was captured (the API, or a form). Announces `contactCreated`.
 */
export async function createContact(
  tenantId: string,
  input: ContactInput,
  deps: ContactsDeps,
  source: ConsentSource = 'api',
): Promise<Contact> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const phone = normalizePhone(input.phone, settings);
  const now = deps.clock.now();
  const record = (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone) ?? {};
  const ownership = await findPhoneOwner(deps.contacts, tenantId, phone, record, now);
  if (ownership.kind === 'owned' || ownership.kind === 'pending') throw phoneTaken(phone, ownership.contactId);

  const id = deps.ids.next();
  const takeOverFrom = ownership.kind === 'stale' ? ownership.contactId : undefined;
  if (!(await deps.contacts.claimPhone(tenantId, phone, id, takeOverFrom))) {
    const winner = (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone);
    throw phoneTaken(phone, winner?.contactId);
  }
  const change = buildNewContact(
    { ...input, phone },
    { id, now: now.toISOString(), settings, source, phoneRecord: record },
  );
  await deps.contacts.createContact(tenantId, change);
  await publishContactEvents(deps, [{ kind: 'contactCreated', tenantId, contactId: id }]);
  return change.contact;
}
