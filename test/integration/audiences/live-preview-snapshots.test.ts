import type { AudienceDeps } from '../../../shared/app/audiences/audience-deps';
import { previewAudience } from '../../../shared/app/audiences/preview-audience.use-case';
import { TenantContactsSnapshots } from '../../../shared/app/audiences/tenant-contacts-snapshots';
import { deleteContact } from '../../../shared/app/contacts/contact-queries.use-case';
import { addContactTags, removeContactTag } from '../../../shared/app/contacts/contact-tags.use-case';
import { createContact } from '../../../shared/app/contacts/create-contact.use-case';
import { updateContact } from '../../../shared/app/contacts/update-contact.use-case';
import { processInboundMessage } from '../../../shared/app/inbound/process-inbound.use-case';
import type { Audience } from '../../../shared/domain/audience/audience.schema';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import { twoWayMessageSchema } from '../../../shared/domain/inbound/two-way-message.schema';
import type { ContactStore } from '../../../shared/ports/contact-store.port';
import stopFixture from '../../fixtures/events/inbound-two-way-stop.json';
import {
  type CampaignHarness,
  chicagoPhone,
  OPEN_WINDOW,
  seedTenant,
  startCampaignHarness,
} from '../campaigns/campaign-harness';

/**
 * The console asks for an audience count at every change, and the counts come from a warm snapshot of the tenant's
 * contacts (tag groups too). These tests hold the snapshot warm and change contacts every way the product can, then
 * compare each count with one read straight from the store: a warm count is never stale.
 */
let h: CampaignHarness;
let phones = 0;
let senders = 0;
let inboundIds = 0;

beforeAll(async () => {
  h = await startCampaignHarness();
});

afterAll(async () => h.stop());

/** The contact store, counting full-tenant reads (a snapshot load is one). */
function counted(store: ContactStore) {
  const calls = { tenantReads: 0, tagListings: 0 };
  const contacts = new Proxy(store, {
    get(target, property) {
      if (property === 'listAllContacts') {
        return (tenantId: string, parallelism: number) => {
          calls.tenantReads++;
          return target.listAllContacts(tenantId, parallelism);
        };
      }
      if (property === 'listContactsByTag') calls.tagListings++;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { contacts, calls };
}

function depsWith(contacts: ContactStore, snapshots?: TenantContactsSnapshots): AudienceDeps {
  return {
    contacts,
    settings: h.deps.settings,
    smartLists: h.deps.smartLists,
    clock: h.clock,
    ...(snapshots ? { snapshots } : {}),
  };
}

const counts = ({ matched, eligible, excluded }: Awaited<ReturnType<typeof previewAudience>>) => ({
  matched,
  eligible,
  excluded,
});

/** A tenant with its number, 40 contacts tagged VIP or Lead (some both), a few without consent. */
async function seededTenant(label: string) {
  const tenantId = h.newTenant(label);
  const number = `+1206777${String(1000 + ++senders)}`;
  const specs = Array.from({ length: 40 }, (_, i) => ({
    phone: chicagoPhone(++phones),
    tags: i % 3 === 0 ? ['VIP', 'Lead'] : i % 2 === 0 ? ['VIP'] : ['Lead'],
    consent: i % 7 === 0 ? ('unknown' as const) : ('opted_in' as const),
  }));
  const byPhone = await seedTenant(h, tenantId, specs, {
    ...OPEN_WINDOW,
    originationIdentity: number,
    marketingRequiresOptIn: true,
  });
  return { tenantId, number, contacts: [...byPhone.values()] };
}

describe('live audience counts from a warm snapshot', () => {
  it('are exact after every kind of contact change, and the tenant is read again only after a change', async () => {
    // Arrange: a warm snapshot, and the audiences a person would flip between.
    const t = await seededTenant('warm');
    const { contacts, calls } = counted(h.deps.contacts);
    const warm = depsWith(contacts, new TenantContactsSnapshots());
    const cold = depsWith(h.deps.contacts);
    const audiences: Audience[] = [
      { tags: { any: ['VIP'] } },
      { tags: { any: ['VIP'], none: ['Lead'] } },
      { tags: { all: ['VIP', 'Lead'] } },
      { tags: { any: ['Open House'] } },
      { filter: { all: [] } },
    ];
    const expectExact = async () => {
      for (const audience of audiences) {
        const fromSnapshot = await previewAudience(t.tenantId, audience, warm);
        const fromStore = await previewAudience(t.tenantId, audience, cold);
        expect(counts(fromSnapshot)).toEqual(counts(fromStore));
      }
    };
    const [first, second, third] = t.contacts.filter((contact) => contact.tags.includes('VIP')) as [
      Contact,
      Contact,
      Contact,
    ];
    const text = (from: string, body: string) =>
      twoWayMessageSchema.parse({
        ...stopFixture,
        originationNumber: from,
        destinationNumber: t.number,
        messageKeyword: '',
        messageBody: body,
        inboundMessageId: `snapshot-inbound-${++inboundIds}`,
        previousPublishedMessageId: null,
      });
    const changes: [string, () => Promise<unknown>][] = [
      ['STOP texted in', () => processInboundMessage(text(first.phone, 'STOP'), h.deps)],
      ['START texted in', () => processInboundMessage(text(first.phone, 'START'), h.deps)],
      ['opted out through the API', () => updateContact(t.tenantId, second.id, { smsConsent: 'opted_out' }, h.deps)],
      ['a tag removed', () => removeContactTag(t.tenantId, third.id, 'VIP', h.deps)],
      ['a tag added', () => addContactTags(t.tenantId, third.id, ['Lead', 'Open House'], h.deps)],
      ['a contact deleted', () => deleteContact(t.tenantId, first.id, h.deps)],
      [
        'a contact created',
        () =>
          createContact(t.tenantId, { phone: chicagoPhone(++phones), tags: ['VIP'], smsConsent: 'opted_in' }, h.deps),
      ],
    ];
    await expectExact();
    expect(calls.tenantReads).toBe(1);

    for (const [name, change] of changes) {
      // Act
      const before = calls.tenantReads;
      await change();

      // Assert: the next counts read the tenant once again and agree with the store, reason by reason.
      await expectExact();
      expect({ name, reads: calls.tenantReads - before }).toEqual({ name, reads: 1 });
    }
    // No count came from the tag index: the snapshot served them all.
    expect(calls.tagListings).toBe(0);
  });

  it('shows the STOP at once: the eligible count drops by one and opted out rises by one', async () => {
    // Arrange
    const t = await seededTenant('stop');
    const deps = depsWith(h.deps.contacts, new TenantContactsSnapshots());
    const vip = t.contacts.find((c) => c.tags.includes('VIP') && c.smsConsent.status === 'opted_in') as Contact;
    const before = await previewAudience(t.tenantId, { tags: { any: ['VIP'] } }, deps);

    // Act
    await processInboundMessage(
      twoWayMessageSchema.parse({
        ...stopFixture,
        originationNumber: vip.phone,
        destinationNumber: t.number,
        messageKeyword: '',
        messageBody: 'STOP',
        inboundMessageId: `snapshot-inbound-${++inboundIds}`,
        previousPublishedMessageId: null,
      }),
      h.deps,
    );
    const after = await previewAudience(t.tenantId, { tags: { any: ['VIP'] } }, deps);

    // Assert
    expect(after.eligible).toBe(before.eligible - 1);
    expect(after.excluded.optedOut).toBe(before.excluded.optedOut + 1);
    expect(after.sample.map((c) => c.id)).not.toContain(vip.id);
  });

  it('scans a cold tenant once for previews that arrive together', async () => {
    // Arrange
    const t = await seededTenant('together');
    const { contacts, calls } = counted(h.deps.contacts);
    const deps = depsWith(contacts, new TenantContactsSnapshots());

    // Act
    const answers = await Promise.all([
      previewAudience(t.tenantId, { filter: { all: [] } }, deps),
      previewAudience(t.tenantId, { tags: { any: ['VIP'] } }, deps),
      previewAudience(t.tenantId, { tags: { any: ['Lead'] } }, deps),
    ]);

    // Assert
    expect(calls.tenantReads).toBe(1);
    expect(answers[0]?.matched).toBe(40);
    expect(answers[1]?.matched).toBe(t.contacts.filter((c) => c.tags.includes('VIP')).length);
  });

  it('counts a tag group of a tenant too large to keep from its tag partitions, without reading the tenant again', async () => {
    // Arrange: a budget smaller than the tenant.
    const t = await seededTenant('large');
    const { contacts, calls } = counted(h.deps.contacts);
    const deps = depsWith(contacts, new TenantContactsSnapshots({ maxContacts: 10, maxAgeMs: 60_000 }));
    const cold = depsWith(h.deps.contacts);

    // Act
    const first = await previewAudience(t.tenantId, { tags: { any: ['VIP'] } }, deps);
    const readsAfterFirst = calls.tenantReads;
    const again = await previewAudience(t.tenantId, { tags: { any: ['Lead'] } }, deps);
    h.clock.advance(61_000);
    const later = await previewAudience(t.tenantId, { tags: { any: ['VIP'] } }, deps);

    // Assert: one read found it too large; tag groups then came from the tag index until the finding aged out.
    expect(readsAfterFirst).toBe(1);
    expect(counts(first)).toEqual(counts(await previewAudience(t.tenantId, { tags: { any: ['VIP'] } }, cold)));
    expect(counts(again)).toEqual(counts(await previewAudience(t.tenantId, { tags: { any: ['Lead'] } }, cold)));
    expect(counts(later)).toEqual(counts(first));
    expect(calls.tenantReads).toBe(2);
    expect(calls.tagListings).toBeGreaterThan(0);
  });
});
