import type { ContactStore } from '../../ports/contact-store.port';

/**
 * Whether the number itself opted out (a STOP from it, the carrier's list, a suppression), whatever the contact now
 * holding it says: read right before every send, as the last word on whether a text may go.
 */
export async function numberOptedOut(
  tenantId: string,
  phone: string,
  deps: { contacts: Pick<ContactStore, 'getPhoneRecords'> },
): Promise<boolean> {
  return (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone)?.optedOutAt !== undefined;
}
