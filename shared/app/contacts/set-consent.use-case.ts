import type { ConsentSource, ConsentStatus, Contact } from '../../domain/contacts/contact.schema';
import { setConsent } from '../../domain/contacts/contact-rules';
import { retryOnConflict } from '../retry-on-conflict';
import type { ContactsDeps } from './contacts-deps';

/**
 * Records a consent change that did not come from the API (STOP texted in, the carrier's opt-out
 * list, a form). It lands in the contact's history with its source and note, and an opt-out also
 * marks the number so that no later contact with it is texted. Undefined when the contact is gone.
 */
export async function changeConsent(
  tenantId: string,
  contactId: string,
  status: ConsentStatus,
  source: ConsentSource,
  note: string | undefined,
  deps: Pick<ContactsDeps, 'contacts' | 'clock'>,
  options: { flaggedForReview?: boolean; at?: string } = {},
): Promise<Contact | undefined> {
  return retryOnConflict(async () => {
    const stored = await deps.contacts.getContact(tenantId, contactId);
    if (!stored) return undefined;
    const at = options.at ?? deps.clock.now().toISOString();
    const change = setConsent(stored.contact, status, source, at, note, options.flaggedForReview);
    if (!change) return stored.contact;
    return (await deps.contacts.saveContact(tenantId, stored, change)).contact;
  });
}

/** Notes that the contact texted in at `at` (later times only; drives `lastInboundAt` filters). */
export async function recordInboundAt(
  tenantId: string,
  contactId: string,
  at: string,
  deps: Pick<ContactsDeps, 'contacts'>,
): Promise<void> {
  await retryOnConflict(async () => {
    const stored = await deps.contacts.getContact(tenantId, contactId);
    if (!stored || (stored.contact.lastInboundAt ?? '') >= at) return;
    await deps.contacts.saveContact(tenantId, stored, { contact: { ...stored.contact, lastInboundAt: at } });
  });
}
