import type { Contact } from '../../domain/contacts/contact.schema';
import type { ContactStore } from '../../ports/contact-store.port';

/**
 * Whether the number itself opted out (a STOP from it, the carrier's list, a suppression), whatever the contact now
 * holding it says: read right before every send, as the last word on whether a text may go.
 */
async function numberOptedOut(
  tenantId: string,
  phone: string,
  deps: { contacts: Pick<ContactStore, 'getPhoneRecords'> },
): Promise<boolean> {
  return (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone)?.optedOutAt !== undefined;
}

/**
 * The last look before a send: the contact as it is now and whether the number it now has opted out as a number, in
 * one read (two when the phone changed since `expectedPhone`, the number the caller planned with).
 */
export async function lastLookBeforeSend(
  tenantId: string,
  contactId: string,
  expectedPhone: string,
  deps: { contacts: Pick<ContactStore, 'getContactAndNumberOptOut' | 'getPhoneRecords'> },
): Promise<{ contact: Contact | undefined; numberOptedOut: boolean }> {
  const look = await deps.contacts.getContactAndNumberOptOut(tenantId, contactId, expectedPhone);
  const contact = look.stored?.contact;
  if (!contact || contact.phone === expectedPhone) return { contact, numberOptedOut: look.numberOptedOut };
  return { contact, numberOptedOut: await numberOptedOut(tenantId, contact.phone, deps) };
}
