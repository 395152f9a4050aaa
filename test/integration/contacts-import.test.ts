import { createContact } from '../../shared/app/contacts/create-contact.use-case';
import { importContacts } from '../../shared/app/contacts/import-contacts.use-case';
import { type ContactsHarness, chicagoPhone, listAllContacts, startContactsHarness } from './helpers/contacts-harness';

describe('importing contacts against DynamoDB', () => {
  let harness: ContactsHarness;

  beforeAll(async () => {
    harness = await startContactsHarness();
  });

  afterAll(async () => harness.stop());

  it('lands the good rows of a 1000-row file and reports each bad row by index and field', async () => {
    // Arrange
    const tenant = harness.newTenant('bulk');
    const badPhone = new Set([7, 300, 999]);
    const badEmail = new Set([12, 512]);
    const unknownField = new Set([45, 800]);
    const rows = Array.from({ length: 1000 }, (_, i) => {
      if (badPhone.has(i)) return { phone: '555-CALL-NOW', firstName: `Row ${i}` };
      if (badEmail.has(i)) return { phone: chicagoPhone(i), email: 'not-an-email' };
      if (unknownField.has(i)) return { phone: chicagoPhone(i), nickname: 'Ace' };
      return { phone: chicagoPhone(i), firstName: `Row ${i}`, tags: ['imported'] };
    });

    // Act
    const result = await importContacts(tenant, rows, harness.deps);

    // Assert
    expect(result.created).toBe(993);
    expect(result.updated).toBe(0);
    expect(result.rejected.map((r) => r.index)).toEqual([7, 12, 45, 300, 512, 800, 999]);
    const pathsByIndex = Object.fromEntries(result.rejected.map((r) => [r.index, r.error.details.map((d) => d.path)]));
    for (const index of badPhone) expect(pathsByIndex[index]).toEqual(['phone']);
    for (const index of badEmail) expect(pathsByIndex[index]).toEqual(['email']);
    for (const index of unknownField) expect(pathsByIndex[index]?.length).toBe(1);
    for (const rejection of result.rejected) {
      expect(rejection.error).toEqual({
        code: expect.any(String),
        message: expect.any(String),
        details: expect.any(Array),
      });
    }
    const { contacts } = await listAllContacts(tenant, harness.deps);
    expect(contacts).toHaveLength(993);
    expect(new Set(contacts.map((c) => c.phone)).size).toBe(993);
    const tagged = await listAllContacts(tenant, harness.deps, { tag: 'imported' });
    expect(tagged.contacts).toHaveLength(993);
  });

  it('updates phones repeated in the file or already in the tenant instead of duplicating them', async () => {
    // Arrange
    const tenant = harness.newTenant('merge');
    const existing = await createContact(
      tenant,
      { phone: chicagoPhone(1), firstName: 'Old', tags: ['customer'], customFields: { plan: 'gold' } },
      harness.deps,
    );
    const rows = [
      { phone: '(312) 200-0001', lastName: 'Known', tags: ['imported'] },
      { phone: chicagoPhone(2), firstName: 'First' },
      { phone: chicagoPhone(3), firstName: 'Solo' },
      { phone: '312-200-0002', lastName: 'Again', tags: ['repeat'] },
      { phone: `+1 312 200 0002`, smsConsent: 'opted_in' },
    ];

    // Act
    const result = await importContacts(tenant, rows, harness.deps);

    // Assert
    expect(result).toEqual({ created: 2, updated: 3, rejected: [] });
    const { contacts } = await listAllContacts(tenant, harness.deps, { limit: 2 });
    expect(contacts).toHaveLength(3);
    const byPhone = new Map(contacts.map((c) => [c.phone, c]));
    expect(byPhone.get(chicagoPhone(1))).toMatchObject({
      id: existing.id,
      firstName: 'Old',
      lastName: 'Known',
      tags: ['customer', 'imported'],
      customFields: { plan: 'gold' },
    });
    expect(byPhone.get(chicagoPhone(2))).toMatchObject({
      firstName: 'First',
      lastName: 'Again',
      tags: ['repeat'],
      smsConsent: { status: 'opted_in', source: 'import' },
    });
  });

  it('creates nothing when the same file is imported again', async () => {
    // Arrange
    const tenant = harness.newTenant('rerun');
    const rows = Array.from({ length: 60 }, (_, i) => ({ phone: chicagoPhone(i), tags: ['spring'] }));
    const first = await importContacts(tenant, rows, harness.deps);
    const before = await listAllContacts(tenant, harness.deps);
    harness.clock.advance(60_000);

    // Act
    const second = await importContacts(tenant, rows, harness.deps);

    // Assert
    expect(first).toEqual({ created: 60, updated: 0, rejected: [] });
    expect(second).toEqual({ created: 0, updated: 60, rejected: [] });
    const after = await listAllContacts(tenant, harness.deps);
    expect(after.contacts).toEqual(before.contacts);
  });

  it('never duplicates a phone when two overlapping imports run at once', async () => {
    // Arrange
    const tenant = harness.newTenant('parallel');
    const first = Array.from({ length: 60 }, (_, i) => ({ phone: chicagoPhone(i), tags: ['first'] }));
    const second = Array.from({ length: 60 }, (_, i) => ({ phone: chicagoPhone(i + 30), tags: ['second'] }));

    // Act
    const [a, b] = await Promise.all([
      importContacts(tenant, first, harness.deps),
      importContacts(tenant, second, harness.deps),
    ]);

    // Assert
    expect(a.rejected).toEqual([]);
    expect(b.rejected).toEqual([]);
    const { contacts } = await listAllContacts(tenant, harness.deps);
    expect(contacts).toHaveLength(90);
    expect(new Set(contacts.map((c) => c.phone)).size).toBe(90);
    for (const tag of ['first', 'second']) {
      const indexed = (await listAllContacts(tenant, harness.deps, { tag })).contacts.map((c) => c.id).sort();
      expect({ tag, indexed }).toEqual({
        tag,
        indexed: contacts
          .filter((c) => c.tags.includes(tag))
          .map((c) => c.id)
          .sort(),
      });
    }
    const overlap = contacts.filter((c) => c.phone >= chicagoPhone(30) && c.phone < chicagoPhone(60));
    expect(overlap.filter((c) => c.tags.includes('first') && c.tags.includes('second'))).toHaveLength(30);
    expect({ created: a.created + b.created, updated: a.updated + b.updated }).toEqual({ created: 90, updated: 30 });
  });
});
