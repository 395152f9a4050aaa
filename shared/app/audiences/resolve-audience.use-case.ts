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

type ResolverDeps = Pick<AudienceDeps, 'contacts' | 'smartLists' | 'clock'>;

/** A predicate that says whether a contact belongs to the audience (a Smart List is loaded, a 404 if missing). */
export async function audienceMatcher(
  tenantId: string,
  audience: Audience,
  deps: ResolverDeps,
): Promise<(contact: Contact) => boolean> {
  if ('tags' in audience) {
    const group = audience.tags;
    return (contact) => matchesTagGroup(contact.tags, group);
  }
  if ('filter' in audience) return compileFilter(audience.filter, deps.clock.now());
  const list = await deps.smartLists.getSmartList(tenantId, audience.smartListId);
  if (!list) throw new NotFoundError('SmartList', audience.smartListId);
  return compileFilter(list.filter, deps.clock.now());
}

/** One page of an audience with the cursor that resumes right after it (null at the end). */
export interface AudiencePage {
  contacts: Contact[];
  cursor: string | null;
}

/**
 * Streams an audience's candidate pages with resumable cursors, for the campaign launcher: a
 * launch that stops part-way continues from its checkpoint. Pages are filtered to the audience;
 * a contact in several tag partitions can appear twice (the launcher's ledger dedupes).
 */
export async function* resolveAudiencePages(
  tenantId: string,
  audience: Audience,
  deps: ResolverDeps,
  startCursor: string | null = null,
): AsyncGenerator<AudiencePage> {
  const matches = await audienceMatcher(tenantId, audience, deps);
  const start = startCursor
    ? (JSON.parse(startCursor) as { tags: string[] | null; source: number; page: string | null })
    : undefined;
  // The tag plan is part of the cursor: tag counts may move before a launch resumes.
  let tags: string[] | null = start ? start.tags : null;
  if (!start && 'tags' in audience) {
    const group = audience.tags;
    const tagsToSize = [...(group.all ?? []), ...(group.any ?? [])];
    const sizes = tagsToSize.length > 0 ? await deps.contacts.tagSizes(tenantId, tagsToSize) : new Map();
    const plan = planTagAudience(group, (tag) => sizes.get(tag) ?? 0);
    tags = plan.scan === 'tags' ? plan.tags : null;
  }
  const fetchers: ((page: PageRequest) => Promise<Page<Contact>>)[] = tags
    ? tags.map((tag) => (page: PageRequest) => deps.contacts.listContactsByTag(tenantId, tag, page))
    : [(page) => deps.contacts.listContacts(tenantId, page)];
  for (let source = start?.source ?? 0; source < fetchers.length; source++) {
    const fetchPage = fetchers[source] as (page: PageRequest) => Promise<Page<Contact>>;
    let cursor: string | undefined = source === start?.source ? (start.page ?? undefined) : undefined;
    do {
      const page = await fetchPage({ limit: AUDIENCE_PAGE_SIZE, cursor });
      cursor = page.nextCursor ?? undefined;
      const next = cursor
        ? JSON.stringify({ tags, source, page: cursor })
        : source + 1 < fetchers.length
          ? JSON.stringify({ tags, source: source + 1, page: null })
          : null;
      yield { contacts: page.items.filter(matches), cursor: next };
    } while (cursor);
  }
}

/**
 * Streams the contacts of an audience page by page from the store; the preview and the campaign
 * launcher share it. A tag group reads only the tag partitions its plan names (work in proportion
 * to the audience, not the tenant) and re-checks each contact's current tags; a filter or Smart
 * List reads the tenant. Each contact is yielded once.
 */
export async function* resolveAudience(
  tenantId: string,
  audience: Audience,
  deps: ResolverDeps,
): AsyncGenerator<Contact[]> {
  const matches = await audienceMatcher(tenantId, audience, deps);
  let sources: AsyncGenerator<Contact[]>[] = [pages((page) => deps.contacts.listContacts(tenantId, page))];
  let seen: Set<string> | undefined;
  if ('tags' in audience) {
    const group = audience.tags;
    const tagsToSize = [...(group.all ?? []), ...(group.any ?? [])];
    const sizes = tagsToSize.length > 0 ? await deps.contacts.tagSizes(tenantId, tagsToSize) : new Map();
    const plan = planTagAudience(group, (tag) => sizes.get(tag) ?? 0);
    if (plan.scan === 'tags') {
      sources = plan.tags.map((tag) => pages((page) => deps.contacts.listContactsByTag(tenantId, tag, page)));
      // A contact in several scanned partitions is met more than once.
      if (plan.tags.length > 1) seen = new Set<string>();
    }
  }
  for (const source of sources) {
    for await (const page of source) {
      const members = page.filter((contact) => {
        if (!matches(contact)) return false;
        if (!seen) return true;
        if (seen.has(contact.id)) return false;
        seen.add(contact.id);
        return true;
      });
      if (members.length > 0) yield members;
    }
  }
}

/**
 * The audience for a live preview: from the warm snapshot of the tenant when it is current (one
 * consistent read of the contacts stamp), else the snapshot is (re)built first: a person choosing
 * an audience asks for a count at every change, and one tenant read then serves them all in
 * milliseconds (a tag group read through the tag index costs a query and batch gets at every change:
 * 0.4 s for 3,000 of 10,000 contacts on dynalite, against 0.6 s once for all of them).
 * Only a tenant too large to keep is resolved from the store: a tag group from its partitions.
 */
export async function* resolveAudienceForPreview(
  tenantId: string,
  audience: Audience,
  deps: ResolverDeps & Pick<AudienceDeps, 'snapshots'>,
): AsyncGenerator<Contact[]> {
  const { snapshots } = deps;
  if (!snapshots) {
    yield* resolveAudience(tenantId, audience, deps);
    return;
  }
  const [matches, stamp] = await Promise.all([
    audienceMatcher(tenantId, audience, deps),
    deps.contacts.contactsStamp(tenantId),
  ]);
  const now = deps.clock.now().getTime();
  let contacts = snapshots.current(tenantId, stamp, now);
  if (!contacts && 'tags' in audience && !snapshots.fits(tenantId, now)) {
    yield* resolveAudience(tenantId, audience, deps);
    return;
  }
  contacts ??= await snapshots.load(tenantId, stamp, deps.contacts, now);
  const members = contacts.filter(matches);
  for (let i = 0; i < members.length; i += AUDIENCE_PAGE_SIZE) yield members.slice(i, i + AUDIENCE_PAGE_SIZE);
}
