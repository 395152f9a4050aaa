import type { ContactStore } from '../../ports/contact-store.port';

export type PhoneOwnership =
  | { kind: 'free' }
  | { kind: 'owned'; contactId: string }
  /** A claim whose contact is gone or moved to another number (a crash mid-write left it). */
  | { kind: 'stale'; contactId: string };

/** Tells whether a phone already belongs to a live contact of the tenant. */
export async function findPhoneOwner(
  store: ContactStore,
  tenantId: string,
  phone: string,
  claimedBy: string | undefined,
): Promise<PhoneOwnership> {
  if (!claimedBy) return { kind: 'free' };
  const owner = await store.getContact(tenantId, claimedBy);
  if (owner && owner.contact.phone === phone) return { kind: 'owned', contactId: claimedBy };
  return { kind: 'stale', contactId: claimedBy };
}
