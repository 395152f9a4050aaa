import type { ConsentEvent, Contact, TagSummary } from '../../domain/contacts/contact.schema';
import { NotFoundError } from '../../domain/errors';
import type { Page, PageRequest } from '../../ports/page';
import { retryOnConflict } from '../retry-on-conflict';
import { publishContactEvents } from './contact-events';
import type { ContactsDeps } from './contacts-deps';

/** One contact of the tenant, or a 404 (also for another tenant's id). */
export async function getContact(tenantId: string, contactId: string, deps: Pick<ContactsDeps, 'contacts'>) {
  const stored = await deps.contacts.getContact(tenantId, contactId);
  if (!stored) throw new NotFoundError('Contact', contactId);
  return stored.contact;
}

/** Contacts of the tenant in creation order, optionally only those carrying a tag. */
export async function listContacts(
  tenantId: string,
  query: PageRequest & { tag?: string | undefined },
  deps: Pick<ContactsDeps, 'contacts'>,
): Promise<Page<Contact>> {
  const page = { limit: query.limit, cursor: query.cursor };
  return query.tag === undefined
    ? deps.contacts.listContacts(tenantId, page)
    : deps.contacts.listContactsByTag(tenantId, query.tag, page);
}

/** The tags the tenant's contacts carry, by name, with how many carry each (for choosing an audience). */
export async function listTags(
  tenantId: string,
  page: PageRequest,
  deps: Pick<ContactsDeps, 'contacts'>,
): Promise<Page<TagSummary>> {
  return deps.contacts.listTags(tenantId, page);
}

/** The consent history of a contact, oldest first. */
export async function listConsentHistory(
  tenantId: string,
  contactId: string,
  page: PageRequest,
  deps: Pick<ContactsDeps, 'contacts'>,
): Promise<Page<ConsentEvent>> {
  await getContact(tenantId, contactId, deps);
  return deps.contacts.listConsentHistory(tenantId, contactId, page);
}

/**
 * Deletes a contact; its number keeps any opt-out so a later re-import cannot text it. Announces `contactDeleted`,
 * which ends the contact's workflow enrollments.
 */
export async function deleteContact(
  tenantId: string,
  contactId: string,
  deps: Pick<ContactsDeps, 'contacts' | 'queue'>,
) {
  await retryOnConflict(async () => {
    const stored = await deps.contacts.getContact(tenantId, contactId);
    if (!stored) throw new NotFoundError('Contact', contactId);
    await deps.contacts.deleteContact(tenantId, stored);
  });
  await publishContactEvents(deps, [{ kind: 'contactDeleted', tenantId, contactId }]);
}
