import { listContacts } from '../../shared/app/contacts/contact-queries.use-case';
import { createContact } from '../../shared/app/contacts/create-contact.use-case';
import { importContacts } from '../../shared/app/contacts/import-contacts.use-case';
import { ValidationError } from '../../shared/domain/errors';
import { type ContactsHarness, chicagoPhone, startContactsHarness } from './helpers/contacts-harness';

describe('paging contacts against DynamoDB', () => {
  let harness: ContactsHarness;
  let tenant: string;

  beforeAll(async () => {
    harness = await startContactsHarness();
    tenant = harness.newTenant('paging');
    const rows = Array.from({ length: 120 }, (_, i) => ({
      phone: chicagoPhone(i),
      tags: i % 3 === 0 ? ['third'] : [],
    }));
    const result = await importContacts(tenant, rows, harness.deps);
    expect(result.created).toBe(120);
  });

  afterAll(async () => harness.stop());

  async function collectPages(tag?: string) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listContacts(tenant, { limit: 50, cursor, tag }, harness.deps);
      pages.push(page.items.map((c) => c.phone));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 10);
    return pages;
  }

  it('lists 120 contacts in 3 pages of at most 50, without duplicates or gaps', async () => {
    // Act
    const pages = await collectPages();

    // Assert
    expect(pages.map((page) => page.length)).toEqual([50, 50, 20]);
    const phones = pages.flat();
    expect(new Set(phones).size).toBe(120);
    expect(new Set(phones)).toEqual(new Set(Array.from({ length: 120 }, (_, i) => chicagoPhone(i))));
  });

  it('pages a tag list the same way', async () => {
    // Act
    const pages = await collectPages('third');

    // Assert
    const phones = pages.flat();
    expect(phones).toHaveLength(40);
    expect(new Set(phones)).toEqual(new Set(Array.from({ length: 40 }, (_, i) => chicagoPhone(i * 3))));
  });

  it("refuses a cursor from another tenant's list", async () => {
    // Arrange
    const other = harness.newTenant('paging-other');
    await importContacts(other, [{ phone: chicagoPhone(1) }, { phone: chicagoPhone(2) }], harness.deps);
    const foreign = await listContacts(other, { limit: 1 }, harness.deps);

    // Act
    const attempt = listContacts(tenant, { limit: 50, cursor: foreign.nextCursor ?? undefined }, harness.deps);

    // Assert
    expect(foreign.nextCursor).not.toBeNull();
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a cursor of the contact list on a tag list (and the other way round) with a 400', async () => {
    // Arrange
    const all = await listContacts(tenant, { limit: 1 }, harness.deps);
    const tagged = await listContacts(tenant, { limit: 1, tag: 'third' }, harness.deps);

    // Act
    const tagWithListCursor = listContacts(
      tenant,
      { limit: 5, tag: 'third', cursor: all.nextCursor ?? '' },
      harness.deps,
    );
    const listWithTagCursor = listContacts(tenant, { limit: 5, cursor: tagged.nextCursor ?? '' }, harness.deps);

    // Assert
    await expect(tagWithListCursor).rejects.toBeInstanceOf(ValidationError);
    await expect(listWithTagCursor).rejects.toBeInstanceOf(ValidationError);
  });

  it('lists contacts in creation order', async () => {
    // Arrange
    const ordered = harness.newTenant('paging-order');
    const created = [];
    for (const phone of ['+14254147755', '+12127365000', '+13122345678', '+16175550123']) {
      harness.clock.advance(1_000);
      created.push(await createContact(ordered, { phone }, harness.deps));
    }

    // Act
    const first = await listContacts(ordered, { limit: 3 }, harness.deps);
    const second = await listContacts(ordered, { limit: 3, cursor: first.nextCursor ?? undefined }, harness.deps);

    // Assert
    expect([...first.items, ...second.items].map((c) => c.id)).toEqual(created.map((c) => c.id));
  });
});
