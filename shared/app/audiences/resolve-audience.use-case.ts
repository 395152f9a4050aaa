import type { Audience } from '../../domain/audience/audience.schema';
import { compileFilter } from '../../domain/audience/filter-evaluator';
import { matchesTagGroup, planTagAudience } from '../../domain/audience/tag-audience';
import type { Contact } from '../../domain/contacts/contact.schema';
import { NotFoundError } from '../../domain/errors';
import type { Page, PageRequest } from '../../ports/page';
import type { AudienceDeps } from './audience-deps';

/** How many contacts a resolver reads per page (DynamoDB returns at most 1 MB a query anyway). */
export const AUDIENCE_PAGE_SIZE = 500;

async function* pages(fetch: (page: PageRequest) => Promise<Page<Contact>>): AsyncGenerator<Contact[]> {
  let cursor: string | undefined;
  do {
    const page = await fetch({ limit: AUDIENCE_PAGE_SIZE, cursor });
    if (page.items.length > 0) yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/**
 * Streams the contacts of an audience page by page; the preview and the campaign launcher share it.
 * A tag group reads only the tag partitions its plan names (work in proportion to the audience, not
 * the tenant) and re-checks each contact's current tags; a filter or Smart List reads the tenant.
 * Each contact is yielded once.
 */
export async function* resolveAudience(
  tenantId: string,
  audience: Audience,
  deps: Pick<AudienceDeps, 'contacts' | 'smartLists' | 'clock'>,
): AsyncGenerator<Contact[]> {
  if ('tags' in audience) {
    const group = audience.tags;
    const tagsToSize = [...(group.all ?? []), ...(group.any ?? [])];
    const sizes = tagsToSize.length > 0 ? await deps.contacts.tagSizes(tenantId, tagsToSize) : new Map();
    const plan = planTagAudience(group, (tag) => sizes.get(tag) ?? 0);
    const sources =
      plan.scan === 'tenant'
        ? [pages((page) => deps.contacts.listContacts(tenantId, page))]
        : plan.tags.map((tag) => pages((page) => deps.contacts.listContactsByTag(tenantId, tag, page)));
    // A contact in several scanned partitions is met more than once.
    const seen = plan.scan === 'tags' && plan.tags.length > 1 ? new Set<string>() : undefined;
    for (const source of sources) {
      for await (const page of source) {
        const members = page.filter((contact) => {
          if (!matchesTagGroup(contact.tags, group)) return false;
          if (!seen) return true;
          if (seen.has(contact.id)) return false;
          seen.add(contact.id);
          return true;
        });
        if (members.length > 0) yield members;
      }
    }
    return;
  }
  let filter = 'filter' in audience ? audience.filter : undefined;
  if ('smartListId' in audience) {
    const list = await deps.smartLists.getSmartList(tenantId, audience.smartListId);
    if (!list) throw new NotFoundError('SmartList', audience.smartListId);
    filter = list.filter;
  }
  if (!filter) return;
  const matches = compileFilter(filter, deps.clock.now());
  for await (const page of pages((request) => deps.contacts.listContacts(tenantId, request))) {
    const members = page.filter(matches);
    if (members.length > 0) yield members;
  }
}
