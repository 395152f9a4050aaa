import { deleteContact, listContacts, listTags } from '../../shared/app/contacts/contact-queries.use-case';
import { addContactTags, removeContactTag } from '../../shared/app/contacts/contact-tags.use-case';
import { createContact } from '../../shared/app/contacts/create-contact.use-case';
import { importContacts } from '../../shared/app/contacts/import-contacts.use-case';
import { updateContact } from '../../shared/app/contacts/update-contact.use-case';
import type { TagSummary } from '../../shared/domain/contacts/contact.schema';
import { ValidationError } from '../../shared/domain/errors';
import { type ContactsHarness, chicagoPhone, startContactsHarness } from './helpers/contacts-harness';

/** Every tag of the tenant, read page by page. */
async function allTags(harness: ContactsHarness, tenantId: string, limit = 500) {
  const tags: TagSummary[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTags(tenantId, { limit, cursor }, harness.deps);
    tags.push(...page.items);
    pages.push(page.items.length);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 50);
  return { tags, pages };
}

/** The same figures counted from the contacts themselves: the oracle. */
async function countedFromContacts(harness: ContactsHarness, tenantId: string): Promise<TagSummary[]> {
  const counts = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const page = await listContacts(tenantId, { limit: 500, cursor }, harness.deps);
    for (const contact of page.items) for (const tag of contact.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return [...counts]
    .map(([tag, contacts]) => ({ tag, contacts }))
    .sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

describe('the tenant tag list (GET /v1/tags) against DynamoDB', () => {
  let harness: ContactsHarness;

  beforeAll(async () => {
    harness = await startContactsHarness();
  });

  afterAll(async () => harness.stop());

  it('lists every tag carried now, by name, with the number of contacts carrying it, through every kind of change', async () => {
    // Arrange
    const tenant = harness.newTenant('tags');
    const rows = Array.from({ length: 30 }, (_, i) => ({
      phone: chicagoPhone(i),
      tags: [i % 2 === 0 ? 'VIP' : 'Buyer Lead', ...(i % 5 === 0 ? ['Past Client'] : [])],
    }));
    await importContacts(tenant, rows, harness.deps);
    const single = await createContact(tenant, { phone: chicagoPhone(100), tags: ['Open House'] }, harness.deps);
    const listed = (await listContacts(tenant, { limit: 500 }, harness.deps)).items;
    const [first, second] = listed as [(typeof listed)[number], (typeof listed)[number]];

    // Act: a tag added, one removed, one replaced, and the only carrier of a tag deleted.
    await addContactTags(tenant, first.id, ['Referral'], harness.deps);
    await removeContactTag(tenant, second.id, second.tags[0] as string, harness.deps);
    await updateContact(tenant, first.id, { tags: ['Referral', 'Seller Lead'] }, harness.deps);
    await deleteContact(tenant, single.id, harness.deps);
    const { tags } = await allTags(harness, tenant);

    // Assert: exactly what the contacts carry; Open House (nobody any more) is not listed.
    expect(tags).toEqual(await countedFromContacts(harness, tenant));
    expect(tags.map((t) => t.tag)).not.toContain('Open House');
    expect(tags.map((t) => t.tag)).toContain('Seller Lead');
  });

  it('pages through the list without gaps or repeats, also past tags that nobody carries', async () => {
    // Arrange: 12 tags, every third of them emptied again.
    const tenant = harness.newTenant('tag-pages');
    const names = Array.from({ length: 12 }, (_, i) => `tag-${String(i).padStart(2, '0')}`);
    await importContacts(
      tenant,
      names.map((tag, i) => ({ phone: chicagoPhone(200 + i), tags: [tag] })),
      harness.deps,
    );
    const contacts = (await listContacts(tenant, { limit: 500 }, harness.deps)).items;
    for (const contact of contacts.filter((c) => names.indexOf(c.tags[0] as string) % 3 === 0)) {
      await removeContactTag(tenant, contact.id, contact.tags[0] as string, harness.deps);
    }

    // Act
    const { tags, pages } = await allTags(harness, tenant, 3);

    // Assert: full pages of 3 until the last (the emptied tags are read past, not returned as short pages).
    const kept = names.filter((_, i) => i % 3 !== 0);
    expect(tags.map((t) => t.tag)).toEqual(kept);
    expect(pages.slice(0, -1).every((size) => size === 3)).toBe(true);
    expect(tags.every((t) => t.contacts === 1)).toBe(true);
  });

  it("never shows another tenant's tags, and refuses another tenant's cursor", async () => {
    // Arrange
    const mine = harness.newTenant('tags-mine');
    const theirs = harness.newTenant('tags-theirs');
    await importContacts(mine, [{ phone: chicagoPhone(300), tags: ['Mine'] }], harness.deps);
    await importContacts(
      theirs,
      Array.from({ length: 3 }, (_, i) => ({ phone: chicagoPhone(310 + i), tags: [`Theirs ${i}`] })),
      harness.deps,
    );
    const theirPage = await listTags(theirs, { limit: 1 }, harness.deps);

    // Act
    const { tags } = await allTags(harness, mine);
    const foreign = listTags(mine, { limit: 1, cursor: theirPage.nextCursor ?? '' }, harness.deps);

    // Assert
    expect(tags).toEqual([{ tag: 'Mine', contacts: 1 }]);
    await expect(foreign).rejects.toBeInstanceOf(ValidationError);
  });
});
