import { randomUUID } from 'node:crypto';
import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import {
  afternoonZone,
  contactIdsByPhone,
  createCampaign,
  importAll,
  openWindowSettings,
  resultsOf,
  tollFree,
  waitFor,
} from '../campaigns/campaign-e2e-helpers';
import { expectError } from '../helpers/api';

/** Numbers the operator assigns: one each to A and B, one in a pool both share. */
const NUMBER_A = '+18885550101';
const NUMBER_B = '+18885550102';
const POOL_NUMBER = '+18885550199';
const UNASSIGNED = '+18885550150';

const ONLY_A = tollFree(10);
const ONLY_B = tollFree(20);
/** A phone both tenants have as a contact, and text from the shared pool number. */
const SHARED = tollFree(30);

let test: TestStack;
let a: HttpClient;
let b: HttpClient;
let idsA: Map<string, string>;
let idsB: Map<string, string>;

async function tenant(name: string, own: string, phones: string[]) {
  const api = await test.clientFor(name);
  await test.assignNumber(name, own);
  await test.assignNumber(name, POOL_NUMBER, { pool: 'shared' });
  const zone = afternoonZone(test);
  expect((await api.patch('/v1/settings', openWindowSettings(zone))).status).toBe(200);
  const rows = phones.map((phone) => ({ phone, tags: ['all'], smsConsent: 'opted_in', timeZone: zone }));
  expect((await importAll(api, rows)).rejected).toEqual([]);
  return api;
}

/** Sends a campaign to every contact of the tenant from `from`, and waits until it is out. */
async function blastFrom(api: HttpClient, from: string) {
  expect((await api.patch('/v1/settings', { originationIdentity: from })).status).toBe(200);
  const campaign = await createCampaign(api, {
    name: `from ${from}`,
    audience: { tags: { any: ['all'] } },
    body: 'Hi',
  });
  expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
  await waitFor(
    () => resultsOf(api, campaign.id),
    (r) => r.status === 'sent',
    { what: `the blast from ${from}` },
  );
}

/** A two-way payload exactly as AWS publishes it; `answers` names the message it answers, if any. */
async function texts(from: string, to: string, body: string, answers: string | null = null) {
  const inboundMessageId = randomUUID();
  const response = await test.anonymous.post('/local/inbound-raw', {
    originationNumber: from,
    destinationNumber: to,
    messageBody: body,
    inboundMessageId,
    previousPublishedMessageId: answers,
  });
  expect(response.status).toBe(202);
  await test.stack.messaging.queue.drain();
  return inboundMessageId;
}

const confirmationsTo = (phone: string) =>
  test.stack.messaging.carrier.outbox({ to: phone }).filter((r) => r.context.purpose === 'optOutReply').length;

async function consentOf(api: HttpClient, id: string) {
  return (await api.get<{ smsConsent: { status: string; source: string } }>(`/v1/contacts/${id}`)).body.smsConsent;
}

async function lastInboundOf(api: HttpClient, id: string): Promise<string | null | undefined> {
  return (await api.get<{ lastInboundAt?: string | null }>(`/v1/contacts/${id}`)).body.lastInboundAt;
}

async function inboundOf(api: HttpClient, id: string): Promise<unknown[]> {
  const history = await api.get<{ items: unknown[] }>(`/v1/contacts/${id}/consent`);
  return history.body.items;
}

beforeAll(async () => {
  test = await startTestStack({ carrier: { mps: 1000, receiptDelayMs: 20 } });
  a = await tenant('numbers-a', NUMBER_A, [ONLY_A, SHARED]);
  b = await tenant('numbers-b', NUMBER_B, [ONLY_B, SHARED]);
  idsA = await contactIdsByPhone(a);
  idsB = await contactIdsByPhone(b);
  await blastFrom(a, POOL_NUMBER);
  await blastFrom(b, POOL_NUMBER);
});

afterAll(async () => test.stop());

describe('sender numbers are assigned, not claimed', () => {
  it('GET /v1/numbers lists what the tenant holds: its own, its pool and its simulated number', async () => {
    const response = await a.get<{ items: { number: string; assignment: string; pool: string | null }[] }>(
      '/v1/numbers',
    );
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ number: NUMBER_A, assignment: 'own', pool: null }),
        expect.objectContaining({ number: POOL_NUMBER, assignment: 'pool', pool: 'shared', selected: true }),
      ]),
    );
    expect(response.body.items.map((n) => n.number)).not.toContain(NUMBER_B);
  });

  it.each([
    ["another tenant's number", NUMBER_A],
    ['the same number written another way', '(888) 555-0101'],
    ['a number nobody holds', UNASSIGNED],
  ])('a tenant cannot pick %s as its sender (422 naming originationIdentity)', async (_label, number) => {
    const error = expectError(
      await b.patch('/v1/settings', { originationIdentity: number }),
      422,
      'SETTINGS.NUMBER_NOT_ASSIGNED',
    );
    expect(error.details.map((d) => d.path)).toEqual(['originationIdentity']);
  });

  it("the operator's assignment of a held number to another tenant is a 409", async () => {
    const response = await test.anonymous.post('/local/numbers', { tenantId: 'numbers-b', number: NUMBER_A });
    expectError(response, 409, 'NUMBER.TAKEN');
  });

  it('a number written in any format is kept as its E.164 form', async () => {
    const response = await a.patch<{ originationIdentity: string }>('/v1/settings', {
      originationIdentity: '888-555-0101',
    });
    expect(response.status).toBe(200);
    expect(response.body.originationIdentity).toBe(NUMBER_A);
    expect((await a.patch('/v1/settings', { originationIdentity: POOL_NUMBER })).status).toBe(200);
  });
});

describe('inbound texts reach the tenant they are for, and only it', () => {
  it("a reply to a tenant's own number reaches that tenant, not the other", async () => {
    const before = await lastInboundOf(a, idsA.get(ONLY_A) as string);
    await texts(ONLY_A, NUMBER_A, 'Is it available?');
    expect(await lastInboundOf(a, idsA.get(ONLY_A) as string)).not.toBe(before);
    expect(await consentOf(a, idsA.get(ONLY_A) as string)).toMatchObject({ status: 'opted_in' });
    expect(idsB.has(ONLY_A)).toBe(false);
  });

  it("a STOP to B's number opts out B's contact, and nothing of A's", async () => {
    await texts(ONLY_B, NUMBER_B, 'STOP');
    expect(await consentOf(b, idsB.get(ONLY_B) as string)).toMatchObject({
      status: 'opted_out',
      source: 'inbound_keyword',
    });
    expect(await consentOf(a, idsA.get(SHARED) as string)).toMatchObject({ status: 'opted_in' });
  });

  it('a STOP to the shared pool number, answering one tenant’s text, opts the phone out for every tenant, each in its own history, with one confirmation', async () => {
    // The carrier names the last message the phone got from the pool number: B's
    const lastFromB = test.stack.messaging.carrier
      .outbox({ to: SHARED })
      .find((r) => r.context.tenantId === 'numbers-b');
    expect(lastFromB).toBeDefined();
    const confirmationsBefore = confirmationsTo(SHARED);
    await texts(SHARED, POOL_NUMBER, 'STOP', lastFromB?.messageId ?? null);
    expect(confirmationsTo(SHARED)).toBe(confirmationsBefore + 1);
    for (const [api, ids] of [
      [a, idsA],
      [b, idsB],
    ] as const) {
      const id = ids.get(SHARED) as string;
      expect(await consentOf(api, id)).toMatchObject({ status: 'opted_out', source: 'inbound_keyword' });
      expect(await inboundOf(api, id)).toEqual(
        expect.arrayContaining([expect.objectContaining({ status: 'opted_out', source: 'inbound_keyword' })]),
      );
    }
  });

  it('a STOP to the pool from a phone no member knows is kept by every member: a later import of it is opted out', async () => {
    // Arrange
    const stranger = tollFree(40);

    // Act
    await texts(stranger, POOL_NUMBER, 'STOP');
    const imported = await importAll(a, [{ phone: stranger, tags: ['all'], smsConsent: 'opted_in' }]);
    const id = (await contactIdsByPhone(a)).get(stranger) as string;

    // Assert
    expect(imported.rejected).toEqual([]);
    expect(await consentOf(a, id)).toMatchObject({ status: 'opted_out', source: 'suppression_list' });
  });

  it("an answer naming A's message but sent to B's own number goes to B, who holds the number, not to A", async () => {
    const sent = test.stack.messaging.carrier.outbox({ to: ONLY_A }).find((r) => r.context.tenantId === 'numbers-a');
    const before = await lastInboundOf(a, idsA.get(ONLY_A) as string);
    await texts(ONLY_A, NUMBER_B, 'Hello?', sent?.messageId ?? null);
    expect(await lastInboundOf(a, idsA.get(ONLY_A) as string)).toBe(before);
  });

  it('an answer naming a message of ours reaches the tenant that sent it, on a number it shares in a pool', async () => {
    // Arrange: the last text A sent to its own-number contact, as the carrier would name it
    const sent = test.stack.messaging.carrier.outbox({ to: ONLY_A }).find((r) => r.context.tenantId === 'numbers-a');
    expect(sent).toBeDefined();

    const before = await lastInboundOf(a, idsA.get(ONLY_A) as string);

    // Act: a reply from the phone, to the pool number (a number both tenants use)
    const id = await texts(ONLY_A, POOL_NUMBER, 'Sounds good', sent?.messageId ?? null);

    // Assert: A got it; it was not kept unrouted
    expect(await lastInboundOf(a, idsA.get(ONLY_A) as string)).not.toBe(before);
    expect(await test.stack.numbers.numbers.getUnrouted(id)).toBeUndefined();
  });

  it('a reply to the pool number that two tenants could own, naming no message, is kept unrouted, not guessed', async () => {
    const id = await texts(SHARED, POOL_NUMBER, 'Who is this?');
    expect(await test.stack.numbers.numbers.getUnrouted(id)).toMatchObject({
      inboundMessageId: id,
      reason: expect.stringContaining('pool shared'),
    });
  });

  it('a text to a number nobody holds is kept unrouted for the operator', async () => {
    const id = await texts(ONLY_A, UNASSIGNED, 'STOP');
    expect(await test.stack.numbers.numbers.getUnrouted(id)).toMatchObject({ message: { messageBody: 'STOP' } });
    expect(await consentOf(a, idsA.get(ONLY_A) as string)).toMatchObject({ status: 'opted_in' });
  });
});
