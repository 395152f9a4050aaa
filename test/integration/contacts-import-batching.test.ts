import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { contactsKeys } from '../../shared/adapters/aws/dynamo/contacts-keys';
import { createDocumentClient } from '../../shared/adapters/aws/dynamo/document-client';
import { DynamoContactStore } from '../../shared/adapters/aws/dynamo/dynamo-contact-store';
import { CLAIM_LOCK_SHARDS, claimLockShard, PhoneClaims } from '../../shared/adapters/aws/dynamo/phone-claims';
import { createContact } from '../../shared/app/contacts/create-contact.use-case';
import { importContacts } from '../../shared/app/contacts/import-contacts.use-case';
import { type ContactsHarness, chicagoPhone, listAllContacts, startContactsHarness } from './helpers/contacts-harness';

/**
 * A document client whose batch writes land only their first half on the first try of each request: the rest comes
 * back as UnprocessedItems, as DynamoDB does when a partition is busy.
 */
function clientLeavingItemsUnprocessed(endpoint: string): { client: DynamoDBDocumentClient; withheld: () => number } {
  const client = createDocumentClient({ endpoint, region: 'us-east-1' });
  let withheld = 0;
  // Each request's items the first time they are sent (resubmitted ones come back as new objects: compared by value).
  const seen = new Set<string>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { RequestItems?: Record<string, object[]> };
      if (context.commandName !== 'BatchWriteItemCommand' || !input.RequestItems) return next(args);
      const [table, requests] = Object.entries(input.RequestItems)[0] as [string, object[]];
      const key = JSON.stringify(requests[0]);
      if (requests.length < 2 || seen.has(key)) return next(args);
      for (const request of requests) seen.add(JSON.stringify(request));
      const kept = requests.slice(0, Math.ceil(requests.length / 2));
      const dropped = requests.slice(kept.length);
      withheld += dropped.length;
      const result = await next({ ...args, input: { ...input, RequestItems: { [table]: kept } } });
      const output = result.output as { UnprocessedItems?: Record<string, object[]> };
      output.UnprocessedItems = { [table]: [...(output.UnprocessedItems?.[table] ?? []), ...dropped] };
      return result;
    },
    { step: 'initialize', name: 'leaveItemsUnprocessed' },
  );
  return { client, withheld: () => withheld };
}

describe('importing contacts with batched phone claims against DynamoDB', () => {
  let harness: ContactsHarness;

  beforeAll(async () => {
    harness = await startContactsHarness();
  });

  afterAll(async () => harness.stop());

  it('writes again the items DynamoDB left unprocessed until every row has landed', async () => {
    // Arrange
    const tenant = harness.newTenant('unprocessed');
    const faulty = clientLeavingItemsUnprocessed(harness.dynamo.endpoint);
    const deps = {
      ...harness.deps,
      contacts: new DynamoContactStore(faulty.client, harness.dynamo.tableNames.contacts),
    };
    const rows = Array.from({ length: 300 }, (_, i) => ({
      phone: chicagoPhone(i),
      tags: ['spring', `group-${i % 3}`],
    }));

    try {
      // Act
      const result = await importContacts(tenant, rows, deps);

      // Assert
      expect(faulty.withheld()).toBeGreaterThan(0);
      expect(result).toEqual({ created: 300, updated: 0, rejected: [] });
      const { contacts } = await listAllContacts(tenant, harness.deps);
      expect(contacts.map((c) => c.phone).sort()).toEqual(rows.map((r) => r.phone).sort());
      expect((await listAllContacts(tenant, harness.deps, { tag: 'spring' })).contacts).toHaveLength(300);
      expect((await listAllContacts(tenant, harness.deps, { tag: 'group-1' })).contacts).toHaveLength(100);
      const records = await harness.store.getPhoneRecords(
        tenant,
        rows.map((r) => r.phone),
      );
      const byPhone = new Map(contacts.map((c) => [c.phone, c.id]));
      for (const [phone, record] of records)
        expect({ phone, claim: record.contactId }).toEqual({ phone, claim: byPhone.get(phone) });
    } finally {
      faulty.client.destroy();
    }
  });

  it('makes one contact per phone when three overlapping imports of one tenant run at once', async () => {
    // Arrange
    const tenant = harness.newTenant('overlap');
    const files = [0, 60, 120].map((start, f) =>
      Array.from({ length: 150 }, (_, i) => ({ phone: chicagoPhone(start + i), tags: [`file-${f}`] })),
    );

    // Act
    const results = await Promise.all(files.map((rows) => importContacts(tenant, rows, harness.deps)));

    // Assert
    const { contacts } = await listAllContacts(tenant, harness.deps);
    expect(contacts).toHaveLength(270);
    expect(new Set(contacts.map((c) => c.phone)).size).toBe(270);
    for (const result of results) expect(result.rejected).toEqual([]);
    const created = results.reduce((sum, r) => sum + r.created, 0);
    const updated = results.reduce((sum, r) => sum + r.updated, 0);
    expect({ created, updated }).toEqual({ created: 270, updated: 180 });
    const both = contacts.find((c) => c.phone === chicagoPhone(130));
    expect(both?.tags).toEqual(['file-0', 'file-1', 'file-2']);
  });

  it('makes one contact per phone when single creates race an import of the same phones', async () => {
    // Arrange
    const tenant = harness.newTenant('create-vs-import');
    const phones = Array.from({ length: 80 }, (_, i) => chicagoPhone(i));

    // Act
    const [imported, ...creates] = await Promise.allSettled([
      importContacts(
        tenant,
        phones.map((phone) => ({ phone, tags: ['imported'] })),
        harness.deps,
      ),
      ...phones.map((phone) => createContact(tenant, { phone, firstName: 'Single' }, harness.deps)),
    ]);

    // Assert
    expect(imported.status).toBe('fulfilled');
    const result = (imported as PromiseFulfilledResult<Awaited<ReturnType<typeof importContacts>>>).value;
    expect(result.rejected).toEqual([]);
    for (const create of creates) {
      if (create.status === 'rejected') expect((create.reason as { code?: string }).code).toBe('CONTACT.PHONE_EXISTS');
    }
    const createdBySingles = creates.filter((c) => c.status === 'fulfilled').length;
    expect(result.created + createdBySingles).toBe(80);
    const { contacts } = await listAllContacts(tenant, harness.deps);
    expect(contacts).toHaveLength(80);
    expect(new Set(contacts.map((c) => c.phone)).size).toBe(80);
    // Every row landed on the one contact of its phone.
    for (const contact of contacts) expect(contact.tags).toContain('imported');
  });

  it('keeps two tenants importing the same phones apart, each with its own opt-outs', async () => {
    // Arrange
    const [first, second] = [harness.newTenant('same-phones-a'), harness.newTenant('same-phones-b')];
    const rows = Array.from({ length: 120 }, (_, i) => ({ phone: chicagoPhone(i), smsConsent: 'opted_in' as const }));
    await harness.store.setNumberOptOut(first, chicagoPhone(7), harness.clock.now().toISOString());

    // Act
    const [a, b] = await Promise.all([
      importContacts(first, rows, harness.deps),
      importContacts(second, rows, harness.deps),
    ]);

    // Assert
    expect(a).toEqual({ created: 120, updated: 0, rejected: [] });
    expect(b).toEqual({ created: 120, updated: 0, rejected: [] });
    const firstContacts = (await listAllContacts(first, harness.deps)).contacts;
    const secondContacts = (await listAllContacts(second, harness.deps)).contacts;
    expect(firstContacts).toHaveLength(120);
    expect(secondContacts).toHaveLength(120);
    const secondIds = new Set(secondContacts.map((c) => c.id));
    expect(firstContacts.filter((c) => secondIds.has(c.id))).toEqual([]);
    const optedOut = (contacts: typeof firstContacts) =>
      contacts.filter((c) => c.smsConsent.status === 'opted_out').map((c) => [c.phone, c.smsConsent.source]);
    expect(optedOut(firstContacts)).toEqual([[chicagoPhone(7), 'suppression_list']]);
    expect(optedOut(secondContacts)).toEqual([]);
  });

  it('waits for a claim lock a crashed import left until its lease runs out', async () => {
    // Arrange
    const tenant = harness.newTenant('crashed-lock');
    const table = harness.dynamo.tableNames.contacts;
    const shards = Array.from({ length: CLAIM_LOCK_SHARDS }, (_, shard) => shard);
    for (const shard of shards) {
      await harness.client.send(
        new PutCommand({
          TableName: table,
          Item: { ...contactsKeys.phoneClaimLock(tenant, shard), holder: 'crashed', expiresAt: Date.now() + 300 },
        }),
      );
    }
    const rows = Array.from({ length: 30 }, (_, i) => ({ phone: chicagoPhone(i) }));

    // Act
    const result = await importContacts(tenant, rows, harness.deps);

    // Assert
    expect(result).toEqual({ created: 30, updated: 0, rejected: [] });
    for (const shard of shards) {
      const lock = await harness.client.send(
        new GetCommand({ TableName: table, Key: contactsKeys.phoneClaimLock(tenant, shard), ConsistentRead: true }),
      );
      expect({ shard, holder: lock.Item?.holder }).toEqual({ shard, holder: undefined });
    }
  });

  describe('a single claim made while an import holds the claim lock', () => {
    const table = () => harness.dynamo.tableNames.contacts;
    const phoneItem = async (tenant: string, phone: string) =>
      (
        await harness.client.send(
          new GetCommand({ TableName: table(), Key: contactsKeys.phone(tenant, phone), ConsistentRead: true }),
        )
      ).Item;

    async function claimWhileLocked(tenant: string, phone: string, importOverwrites: boolean) {
      const claims = new PhoneClaims(harness.client, table());
      const lock = contactsKeys.phoneClaimLock(tenant, claimLockShard(phone));
      await harness.client.send(
        new PutCommand({ TableName: table(), Item: { ...lock, holder: 'import', expiresAt: Date.now() + 60_000 } }),
      );
      const claiming = claims.claimOne(tenant, phone, 'single');
      while ((await phoneItem(tenant, phone))?.contactId !== 'single') await new Promise((r) => setTimeout(r, 5));
      // The import read the phone as free before the single claim: its batched write lands after it.
      if (importOverwrites) {
        await harness.client.send(
          new PutCommand({
            TableName: table(),
            Item: { ...contactsKeys.phone(tenant, phone), contactId: 'imported', phone },
          }),
        );
      }
      await harness.client.send(new DeleteCommand({ TableName: table(), Key: lock }));
      return claiming;
    }

    it('loses when the import overwrote it before letting go of the lock', async () => {
      // Arrange
      const tenant = harness.newTenant('single-loses');

      // Act
      const won = await claimWhileLocked(tenant, chicagoPhone(1), true);

      // Assert
      expect(won).toBe(false);
      expect((await phoneItem(tenant, chicagoPhone(1)))?.contactId).toBe('imported');
    });

    it('wins when the import let go of the lock without touching the phone', async () => {
      // Arrange
      const tenant = harness.newTenant('single-wins');

      // Act
      const won = await claimWhileLocked(tenant, chicagoPhone(1), false);

      // Assert
      expect(won).toBe(true);
      expect((await phoneItem(tenant, chicagoPhone(1)))?.contactId).toBe('single');
    });
  });
});
