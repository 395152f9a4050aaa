import { getContact } from '../../shared/app/contacts/contact-queries.use-case';
import { createContact } from '../../shared/app/contacts/create-contact.use-case';
import { importContacts } from '../../shared/app/contacts/import-contacts.use-case';
import { updateContact } from '../../shared/app/contacts/update-contact.use-case';
import { ConflictError, NotFoundError } from '../../shared/domain/errors';
import { type ContactsHarness, chicagoPhone, listAllContacts, startContactsHarness } from './helpers/contacts-harness';

describe('creating contacts against DynamoDB', () => {
  let harness: ContactsHarness;

  beforeAll(async () => {
    harness = await startContactsHarness();
  });

  afterAll(async () => harness.stop());

  it('stores a created contact so that get returns it', async () => {
    // Arrange
    const tenant = harness.newTenant('create');

    // Act
    const created = await createContact(
      tenant,
      { phone: '(212) 736-5000', firstName: 'Ada', tags: ['vip', 'lead'], customFields: { plan: 'gold' } },
      harness.deps,
    );
    const fetched = await getContact(tenant, created.id, harness.deps);

    // Assert
    expect(fetched).toEqual(created);
    expect(fetched).toMatchObject({
      phone: '+12127365000',
      firstName: 'Ada',
      tags: ['lead', 'vip'],
      timeZone: 'America/New_York',
      smsConsent: { status: 'unknown', source: 'api', at: harness.clock.now().toISOString() },
    });
  });

  it("does not find a contact under another tenant's id", async () => {
    // Arrange
    const owner = harness.newTenant('owner');
    const created = await createContact(owner, { phone: '+13122345678' }, harness.deps);

    // Act
    const lookup = getContact(harness.newTenant('other'), created.id, harness.deps);

    // Assert
    await expect(lookup).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a second contact with the same phone, however it is written, naming the existing contact', async () => {
    // Arrange
    const tenant = harness.newTenant('duplicate');
    const first = await createContact(tenant, { phone: '+1 212 736 5000' }, harness.deps);

    // Act
    const second = createContact(tenant, { phone: '212.736.5000', firstName: 'Twin' }, harness.deps);

    // Assert
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toMatchObject({ code: 'CONTACT.PHONE_EXISTS', meta: { contactId: first.id } });
    expect((await listAllContacts(tenant, harness.deps)).contacts).toHaveLength(1);
  });

  it('lets two tenants hold the same phone', async () => {
    // Arrange
    const first = harness.newTenant('tenant-a');
    const second = harness.newTenant('tenant-b');
    await createContact(first, { phone: '+14254147755' }, harness.deps);

    // Act
    const created = await createContact(second, { phone: '+14254147755' }, harness.deps);

    // Assert
    expect(created.phone).toBe('+14254147755');
  });

  it('gives exactly one contact and 19 conflicts naming it for 20 concurrent creates of one phone', async () => {
    // Arrange
    const tenant = harness.newTenant('race');
    const attempts = Array.from({ length: 20 }, (_, i) =>
      createContact(tenant, { phone: '(312) 234-5678', firstName: `Racer ${i}` }, harness.deps),
    );

    // Act
    const outcomes = await Promise.allSettled(attempts);

    // Assert
    const created = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const error of refused) {
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'CONTACT.PHONE_EXISTS', meta: { contactId: created[0]?.id } });
    }
    const { contacts } = await listAllContacts(tenant, harness.deps);
    expect(contacts.map((c) => c.id)).toEqual([created[0]?.id]);
  });

  it('leaves one contact per phone, with every write kept and an exact tag index, when creates and imports race', async () => {
    // Arrange
    const tenant = harness.newTenant('create-vs-import');
    const phones = Array.from({ length: 10 }, (_, i) => chicagoPhone(i));
    const rows = phones.map((phone) => ({ phone, tags: ['imported'] }));

    // Act
    const outcomes = await Promise.allSettled([
      importContacts(tenant, rows, harness.deps),
      ...phones.map((phone) => createContact(tenant, { phone, tags: ['created'] }, harness.deps)),
    ]);

    // Assert
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'CONTACT.PHONE_EXISTS' });
    }
    const { contacts } = await listAllContacts(tenant, harness.deps);
    expect(contacts.map((c) => c.phone).sort()).toEqual([...phones].sort());
    expect(contacts.filter((c) => !c.tags.includes('imported')).map((c) => c.phone)).toEqual([]);
    const createdPhones = outcomes.flatMap((o) =>
      o.status === 'fulfilled' && 'phone' in o.value ? [o.value.phone] : [],
    );
    const lost = contacts.filter((c) => createdPhones.includes(c.phone) && !c.tags.includes('created'));
    expect(lost.map((c) => c.phone)).toEqual([]);
    for (const tag of ['imported', 'created']) {
      const indexed = (await listAllContacts(tenant, harness.deps, { tag })).contacts.map((c) => c.id).sort();
      const carrying = contacts
        .filter((c) => c.tags.includes(tag))
        .map((c) => c.id)
        .sort();
      expect({ tag, indexed }).toEqual({ tag, indexed: carrying });
    }
  });

  it('lets only one of two contacts move onto the same free phone at once', async () => {
    // Arrange
    const tenant = harness.newTenant('move-race');
    const first = await createContact(tenant, { phone: chicagoPhone(1) }, harness.deps);
    const second = await createContact(tenant, { phone: chicagoPhone(2) }, harness.deps);

    // Act
    const outcomes = await Promise.allSettled([
      updateContact(tenant, first.id, { phone: chicagoPhone(3) }, harness.deps),
      updateContact(tenant, second.id, { phone: chicagoPhone(3) }, harness.deps),
    ]);

    // Assert
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const { contacts } = await listAllContacts(tenant, harness.deps);
    expect(contacts.filter((c) => c.phone === chicagoPhone(3))).toHaveLength(1);
    expect(contacts).toHaveLength(2);
  });
});
