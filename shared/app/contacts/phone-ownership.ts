import type { PhoneRecord } from '../../domain/contacts/contact-rules';
import type { ContactStore } from '../../ports/contact-store.port';

/** A claim whose contact is still missing after this long was left by a crash between the two writes. */
export const STALE_CLAIM_MS = 60_000;

export type PhoneOwnership =
  | { kind: 'free' }
  | { kind: 'owned'; contactId: string }
  /** Claimed a moment ago by a create whose contact is not written yet. */
  | { kind: 'pending'; contactId: string }
  /** A claim whose contact is gone or moved to another number. */
  | { kind: 'stale'; contactId: string };

/** Tells whether a phone already belongs to a live contact of the tenant. */
export async function findPhoneOwner(
  store: ContactStore,
  tenantId: string,
  phone: string,
  record: PhoneRecord | undefined,
  now: Date,
): Promise<PhoneOwnership> {
  const claimedBy = record?.contactId;
  if (!claimedBy) return { kind: 'free' };
  const owner = await store.getContact(tenantId, claimedBy);
  if (owner) {
    return owner.contact.phone === phone
      ? { kind: 'owned', contactId: claimedBy }
      : { kind: 'stale', contactId: claimedBy };
  }
  const claimedAt = record.claimedAt ? Date.parse(record.claimedAt) : 0;
  return now.getTime() - claimedAt < STALE_CLAIM_MS
    ? { kind: 'pending', contactId: claimedBy }
    : { kind: 'stale', contactId: claimedBy };
}
