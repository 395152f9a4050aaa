import { TenantContactsSnapshots } from '../../../shared/app/audiences/tenant-contacts-snapshots';
import { createContact } from '../../../shared/app/contacts/create-contact.use-case';
import { importContacts } from '../../../shared/app/contacts/import-contacts.use-case';
import { updateContact } from '../../../shared/app/contacts/update-contact.use-case';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import { type ContactsHarness, startContactsHarness } from '../helpers/contacts-harness';

const phone = (i: number) => `+1212555${String(1000 + i).padStart(4, '0')}`;

async function pagedContacts(harness: ContactsHarness, tenantId: string): Promise<Contact[]> {
  const all: Contact[] = [];
  let cursor: string | undefined;
  do {
    const page = await harness.store.listContacts(tenantId, { limit: 37, cursor });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

describe('tenant contact snapshots', () => {
  let harness: ContactsHarness;
  beforeAll(async () => {
    harness = await startContactsHarness();
  });
  afterAll(async () => harness.stop());

  it('reads every contact exactly once with parallel range queries, whatever the spread of creation times', async () => {
    // Arrange: contacts created over many different instants, some sharing one instant.
    const tenantId = harness.newTenant('snapshot');
    for (let batch = 0; batch < 12; batch++) {
      harness.clock.advance(batch % 3 === 0 ? 1 : 3_600_000);
      const rows = Array.from({ length: 25 }, (_, i) => ({ phone: phone(batch * 25 + i) }));
      await importContacts(tenantId, rows, harness.deps);
    }
    harness.clock.advance(5);
    await createContact(tenantId, { phone: phone(999) }, harness.deps);

    // Act
    const all = await harness.store.listAllContacts(tenantId, 4);

    // Assert
    const expected = await pagedContacts(harness, tenantId);
    expect(expected).toHaveLength(301);
    expect(all.map((c) => c.id).sort()).toEqual(expected.map((c) => c.id).sort());
  });

  it('reuses a snapshot while the stamp holds and drops it after any contact write', async () => {
    // Arrange
    const tenantId = harness.newTenant('stamp');
    await importContacts(tenantId, [{ phone: phone(1) }, { phone: phone(2) }], harness.deps);
    const snapshots = new TenantContactsSnapshots();
    const now = harness.clock.now().getTime();
    const stamp = await harness.store.contactsStamp(tenantId);
    const loaded = await snapshots.load(tenantId, stamp, harness.store, now);

    // Act
    const contact = loaded[0] as Contact;
    await updateContact(tenantId, contact.id, { firstName: 'Changed' }, harness.deps);
    const newStamp = await harness.store.contactsStamp(tenantId);

    // Assert
    expect(snapshots.current(tenantId, stamp, now)).toBe(loaded);
    expect(newStamp).toBeGreaterThan(stamp);
    expect(snapshots.current(tenantId, newStamp, now)).toBeUndefined();
    expect(snapshots.current(tenantId, stamp, now + 10 * 60_000)).toBeUndefined();
  });

  it('never keeps more contacts than its budget', async () => {
    // Arrange
    const tenantA = harness.newTenant('budget-a');
    const tenantB = harness.newTenant('budget-b');
    await importContacts(tenantA, [{ phone: phone(1) }, { phone: phone(2) }], harness.deps);
    await importContacts(tenantB, [{ phone: phone(3) }, { phone: phone(4) }], harness.deps);
    const snapshots = new TenantContactsSnapshots({ maxContacts: 3, maxAgeMs: 60_000 });
    const now = harness.clock.now().getTime();

    // Act
    const stampA = await harness.store.contactsStamp(tenantA);
    await snapshots.load(tenantA, stampA, harness.store, now);
    const stampB = await harness.store.contactsStamp(tenantB);
    await snapshots.load(tenantB, stampB, harness.store, now);

    // Assert: the least recently used tenant was evicted.
    expect(snapshots.current(tenantA, stampA, now)).toBeUndefined();
    expect(snapshots.current(tenantB, stampB, now)).toHaveLength(2);
  });
  it('keeps the newer stamp when an older load lands last', async () => {
    // Arrange: the first load (stamp before a write) is slowed down so that it lands after the second.
    const tenantId = harness.newTenant('order');
    await importContacts(tenantId, [{ phone: phone(1) }], harness.deps);
    const oldStamp = await harness.store.contactsStamp(tenantId);
    await createContact(tenantId, { phone: phone(2) }, harness.deps);
    const newStamp = await harness.store.contactsStamp(tenantId);
    let slow: (() => void) | undefined;
    const store = new Proxy(harness.store, {
      get(target, property) {
        if (property === 'listAllContacts') {
          return async (id: string, parallelism: number) => {
            const contacts = await target.listAllContacts(id, parallelism);
            if (!slow) await new Promise<void>((resolve) => (slow = resolve));
            return contacts;
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const snapshots = new TenantContactsSnapshots();
    const now = harness.clock.now().getTime();

    // Act
    const older = snapshots.load(tenantId, oldStamp, store, now);
    while (!slow) await new Promise((resolve) => setTimeout(resolve, 5));
    const newer = await snapshots.load(tenantId, newStamp, store, now);
    slow();
    await older;

    // Assert
    expect(newer).toHaveLength(2);
    expect(snapshots.current(tenantId, newStamp, now)).toBe(newer);
    expect(snapshots.current(tenantId, oldStamp, now)).toBeUndefined();
  });
});
