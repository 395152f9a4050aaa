import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { expectError } from '../helpers/api';
import {
  afternoonZone,
  type Campaign,
  contactIdsByPhone,
  createCampaign,
  importAll,
  ledgerOf,
  localTimeIn,
  openWindowSettings,
  outboxOf,
  perPhone,
  type Results,
  resultsOf,
  tollFree,
  waitFor,
} from './campaign-e2e-helpers';

/** Numbers the simulated carrier cannot deliver to: their receipts come back failed. */
const UNDELIVERABLE = new Set(Array.from({ length: 15 }, (_, i) => tollFree(400 + i)));

let test: TestStack;
let api: HttpClient;
let zone: string;

beforeAll(async () => {
  test = await startTestStack({
    carrier: {
      mps: 2000,
      receiptDelayMs: 100,
      outcomeFor: (to) => (UNDELIVERABLE.has(to) ? 'failed' : undefined),
    },
  });
  zone = afternoonZone(test);
  api = await test.clientFor('blast-tenant');
  expect((await api.patch('/v1/settings', openWindowSettings(zone))).status).toBe(200);
});

afterAll(async () => test.stop());

interface Person {
  phone: string;
  firstName?: string;
  kind: 'optedIn' | 'unknown' | 'optedOut' | 'undeliverable' | 'outsider';
}

const PEOPLE: Person[] = [
  ...Array.from({ length: 140 }, (_, i) => ({
    phone: tollFree(i),
    kind: 'optedIn' as const,
    ...(i % 2 === 0 ? { firstName: `Ana${i}` } : {}),
  })),
  ...Array.from({ length: 25 }, (_, i) => ({
    phone: tollFree(200 + i),
    firstName: `Unk${i}`,
    kind: 'unknown' as const,
  })),
  ...Array.from({ length: 20 }, (_, i) => ({
    phone: tollFree(300 + i),
    firstName: `Out${i}`,
    kind: 'optedOut' as const,
  })),
  ...[...UNDELIVERABLE].map((phone, i) => ({ phone, firstName: `Bad${i}`, kind: 'undeliverable' as const })),
  ...Array.from({ length: 10 }, (_, i) => ({
    phone: tollFree(500 + i),
    firstName: `Else${i}`,
    kind: 'outsider' as const,
  })),
];
/** A valid schedule: a week ahead in Chicago. */
const nextWeek = () => ({
  sendAt: localTimeIn('America/Chicago', 7 * 86_400, test),
  timeZone: 'America/Chicago',
});
const BODY = 'Hi {{contact.first_name | default: "there"}}, 20% off this weekend';
const FOOTER = 'Reply STOP to unsubscribe';

const receives = (p: Person) => p.kind === 'optedIn' || p.kind === 'undeliverable';

describe('a blast to imported contacts over HTTP', () => {
  let campaign: Campaign;
  let ids: Map<string, string>;

  beforeAll(async () => {
    // Arrange: the import, with a few rows no one could text
    const rows = [
      ...PEOPLE.map((p) => ({
        phone: p.phone,
        ...(p.firstName ? { firstName: p.firstName } : {}),
        tags: p.kind === 'outsider' ? ['other'] : ['vip'],
        smsConsent: p.kind === 'unknown' ? 'unknown' : 'opted_in',
      })),
      { phone: 'not a phone', firstName: 'Nope', tags: ['vip'], smsConsent: 'opted_in' },
      { phone: '+1 555', firstName: 'Short', tags: ['vip'], smsConsent: 'opted_in' },
      { phone: '+18551000000', firstName: 'NoSuchNumber', tags: ['vip'], smsConsent: 'opted_in' },
    ];
    const imported = await importAll(api, rows);
    expect(imported.created).toBe(PEOPLE.length);
    expect(imported.rejected.map((r) => r.index)).toEqual([PEOPLE.length, PEOPLE.length + 1, PEOPLE.length + 2]);
    ids = await contactIdsByPhone(api);
    const optOuts = PEOPLE.filter((p) => p.kind === 'optedOut').map((p) =>
      api.patch(`/v1/contacts/${ids.get(p.phone)}`, { smsConsent: 'opted_out' }),
    );
    for (const response of await Promise.all(optOuts)) expect(response.status).toBe(200);
    campaign = await createCampaign(api, { name: 'Weekend sale', audience: { tags: { any: ['vip'] } }, body: BODY });
  });

  it('sends now: 202 sending; a second send and a PATCH while it goes are 409s', async () => {
    // Act
    const sent = await api.post<Campaign>(`/v1/campaigns/${campaign.id}/send`);
    const again = await api.post(`/v1/campaigns/${campaign.id}/send`);
    const patch = await api.patch(`/v1/campaigns/${campaign.id}`, { body: 'Changed my mind' });
    const del = await api.delete(`/v1/campaigns/${campaign.id}`);
    const reschedule = await api.post(`/v1/campaigns/${campaign.id}/schedule`, nextWeek());

    // Assert
    expect(sent.status).toBe(202);
    expect(sent.body.status).toBe('sending');
    expectError(again, 409);
    expectError(patch, 409);
    expectError(del, 409);
    expectError(reschedule, 409);
  });

  it('the carrier gets exactly one message per eligible contact, personalised, with the footer', async () => {
    // Act: wait until the queues are empty and every receipt is in
    await test.stack.messaging.queue.drain();
    const results = await waitFor(
      () => resultsOf(api, campaign.id),
      (r) => r.status === 'sent' && r.delivered + r.failed === r.sent,
      { what: 'the blast to finish with every receipt in', timeoutMs: 40_000 },
    );
    const outbox = outboxOf(test, campaign.id);
    const byPhone = perPhone(outbox);

    // Assert: compared by phone with what the test imported, not with the pipeline's counters
    const expected = PEOPLE.filter(receives);
    expect([...byPhone.keys()].sort()).toEqual(expected.map((p) => p.phone).sort());
    for (const person of expected) {
      const records = byPhone.get(person.phone) ?? [];
      expect(records).toHaveLength(1);
      expect(records[0]?.body).toBe(`Hi ${person.firstName ?? 'there'}, 20% off this weekend\n${FOOTER}`);
      expect(records[0]?.context).toEqual({
        tenantId: 'blast-tenant',
        campaignId: campaign.id,
        contactId: ids.get(person.phone),
      });
    }
    for (const person of PEOPLE.filter((p) => !receives(p))) expect(byPhone.has(person.phone)).toBe(false);

    // ...and the results agree with the outbox
    const delivered = outbox.filter((r) => r.outcome === 'delivered').length;
    const failed = outbox.filter((r) => r.outcome === 'failed').length;
    expect(results).toMatchObject<Partial<Results>>({
      status: 'sent',
      audience: 200,
      sent: outbox.length,
      delivered,
      failed,
      failedByReason: { carrierUnreachable: failed },
      unknown: 0,
      cancelled: 0,
      pending: 0,
      segments: outbox.reduce((sum, r) => sum + r.segments, 0),
    });
    expect(results.skipped).toMatchObject({ optedOut: 20, noConsent: 25, invalidPhone: 0, frequencyCapped: 0 });
    expect([delivered, failed]).toEqual([140, 15]);
  });

  it('the ledger (GET /messages) matches the outbox recipient by recipient', async () => {
    // Act
    const ledger = await ledgerOf(api, campaign.id);
    const deliveredOnly = await ledgerOf(api, campaign.id, 'delivered');
    const outbox = perPhone(outboxOf(test, campaign.id));

    // Assert
    expect(ledger).toHaveLength(200);
    expect(new Set(ledger.map((e) => e.contactId)).size).toBe(200);
    const byKind = new Map(PEOPLE.map((p) => [p.phone, p.kind]));
    for (const entry of ledger) {
      expect(entry.contactId).toBe(ids.get(entry.phone));
      const kind = byKind.get(entry.phone);
      const record = outbox.get(entry.phone)?.[0];
      if (kind === 'optedIn' || kind === 'undeliverable') {
        expect(entry).toMatchObject({
          status: record?.outcome,
          segments: record?.segments,
          sentAt: expect.any(String),
        });
        if (kind === 'optedIn') expect(entry.deliveredAt).toEqual(expect.any(String));
      } else {
        expect(record).toBeUndefined();
        expect(entry).toMatchObject({ status: 'skipped', reason: kind === 'optedOut' ? 'optedOut' : 'noConsent' });
      }
    }
    expect(deliveredOnly.map((e) => e.phone).sort()).toEqual(
      PEOPLE.filter((p) => p.kind === 'optedIn')
        .map((p) => p.phone)
        .sort(),
    );
  });

  it('a finished campaign cannot be sent, edited, deleted or cancelled (409)', async () => {
    for (const response of [
      await api.post(`/v1/campaigns/${campaign.id}/send`),
      await api.patch(`/v1/campaigns/${campaign.id}`, { name: 'Renamed' }),
      await api.delete(`/v1/campaigns/${campaign.id}`),
      await api.post(`/v1/campaigns/${campaign.id}/cancel`),
    ]) {
      expectError(response, 409);
    }
  });

  it('flags a low response rate only once people have had a day to answer', async () => {
    // Arrange: delivered to over a hundred, nobody answered
    const soon = await api.get<{ flags: { code: string }[]; delivered: number }>(
      `/v1/campaigns/${campaign.id}/results`,
    );

    // Act
    await test.advance('PT24H');
    const dayAfter = await api.get<{ flags: { code: string }[] }>(`/v1/campaigns/${campaign.id}/results`);

    // Assert
    expect(soon.body.delivered).toBeGreaterThanOrEqual(20);
    expect(soon.body.flags.map((f) => f.code)).not.toContain('LOW_RESPONSE');
    expect(dayAfter.body.flags.map((f) => f.code)).toContain('LOW_RESPONSE');
  });
});

describe('scheduling input', () => {
  let draft: Campaign;

  beforeAll(async () => {
    draft = await createCampaign(api, { name: 'Later', audience: { tags: { any: ['vip'] } }, body: 'Soon' });
  });

  it.each([
    ['earlier this year in Chicago', { sendAt: '2026-01-01T10:00', timeZone: 'America/Chicago' }],
    ['past in every zone, recipient time', { sendAt: '2000-01-01T10:00', recipientTimeZone: true }],
  ])('a send time in the past (%s) is a 422 naming sendAt', async (_label, body) => {
    const response = await api.post(`/v1/campaigns/${draft.id}/schedule`, body);
    const error = expectError(response, 422, 'CAMPAIGN.SEND_TIME_PAST');
    expect(error.details.map((d) => d.path)).toContain('sendAt');
    expect((await api.get<Campaign>(`/v1/campaigns/${draft.id}`)).body.status).toBe('draft');
  });

  it.each([
    ['30 February', { sendAt: '2030-02-30T10:00', timeZone: 'America/Chicago' }, 'sendAt'],
    ['hour 24', { sendAt: '2030-02-01T24:00', timeZone: 'America/Chicago' }, 'sendAt'],
    ['an unknown zone', { sendAt: '2030-02-01T10:00', timeZone: 'Mars/Base' }, 'timeZone'],
  ])('an impossible schedule (%s) is a 400, never a 5xx', async (_label, body, field) => {
    const response = await api.post(`/v1/campaigns/${draft.id}/schedule`, body);
    expect(response.status).toBe(400);
    const error = expectError(response, 400);
    expect(JSON.stringify(error.details)).toContain(field);
  });

  it.each([
    ['a sendAt with an offset', { sendAt: '2030-01-01T10:00:00Z', timeZone: 'America/Chicago' }, 'sendAt'],
    ['no zone at all', { sendAt: '2030-01-01T10:00' }, 'timeZone'],
    [
      'both a zone and recipient time',
      { sendAt: '2030-01-01T10:00', timeZone: 'UTC', recipientTimeZone: true },
      'timeZone',
    ],
    ['recipientTimeZone false', { sendAt: '2030-01-01T10:00', recipientTimeZone: false }, 'recipientTimeZone'],
  ])('a schedule with %s is a 400 whose message and details name the field', async (_label, body, field) => {
    const error = expectError(await api.post(`/v1/campaigns/${draft.id}/schedule`, body), 400, 'VALIDATION_FAILED');
    expect(error.details.map((d) => d.path)).toContain(field);
    expect(error.message).toContain(field);
    expect((await api.get<Campaign>(`/v1/campaigns/${draft.id}`)).body.status).toBe('draft');
  });

  it.each([
    ['a schedule meant for /schedule', { sendAt: '2030-01-01T10:00', recipientTimeZone: true }],
    ['an unknown key', { bogus: 1 }],
  ])('POST /send with %s is a 400 and sends nothing', async (_label, body) => {
    const error = expectError(await api.post(`/v1/campaigns/${draft.id}/send`, body), 400, 'VALIDATION_FAILED');
    expect(error.message).toMatch(/sendAt|bogus|Unrecognized/);
    expect((await api.get<Campaign>(`/v1/campaigns/${draft.id}`)).body.status).toBe('draft');
  });
});

describe('tenant isolation', () => {
  it('another tenant gets a 404 on every campaign route, and changes nothing', async () => {
    // Arrange
    const owner = await createCampaign(api, { name: 'Mine', audience: { tags: { any: ['vip'] } }, body: 'Private' });
    const intruder = await test.clientFor('intruder-tenant');
    const path = `/v1/campaigns/${owner.id}`;

    // Act
    const responses = await Promise.all([
      intruder.get(path),
      intruder.patch(path, { name: 'Hijacked' }),
      intruder.post(`${path}/send`),
      intruder.post(`${path}/schedule`, nextWeek()),
      intruder.post(`${path}/cancel`),
      intruder.get(`${path}/results`),
      intruder.get(`${path}/messages`),
      intruder.delete(path),
    ]);
    const listed = await intruder.get<{ items: Campaign[] }>('/v1/campaigns');

    // Assert
    for (const response of responses) {
      expectError(response, 404);
      expect(JSON.stringify(response.body)).not.toContain('Private');
    }
    expect(listed.body.items.map((c) => c.id)).not.toContain(owner.id);
    const after = await api.get<Campaign>(path);
    expect(after.body).toMatchObject({ status: 'draft', name: 'Mine', body: 'Private' });
    expect(outboxOf(test, owner.id)).toEqual([]);
  });
});
