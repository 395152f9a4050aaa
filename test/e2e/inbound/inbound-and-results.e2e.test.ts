import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import {
  advanceToAfternoonIn,
  afternoonZone,
  type Campaign,
  contactIdsByPhone,
  createCampaign,
  importAll,
  ledgerOf,
  type OutboxRecord,
  openWindowSettings,
  outboxOf,
  type Results,
  resultsOf,
  tollFree,
  waitFor,
} from '../campaigns/campaign-e2e-helpers';
import { expectError } from '../helpers/api';

const SIM_DELIVERS = '+14254147755';
const SIM_FAILS = '+14254147167';
/** Besides the AWS simulator's failing number, the carrier is told to fail this one. */
const ALSO_FAILS = tollFree(100);
const HELP_TEXT = 'For help call 312-555-0100. Msg & data rates may apply.';
const NUMBER_A = '+12065550181';
const NUMBER_B = '+12065550182';

interface FullResults extends Results {
  replies: number;
  responseRate: number | null;
  optOuts: number;
  optOutRate: number | null;
  deliveryRate: number | null;
  flags: { code: string; message: string }[];
  flagRule: string;
  byTag: Record<string, { recipients: number; delivered: number; replies: number; optOuts: number }>;
  reconciledAt: string | null;
}

let test: TestStack;
let zone: string;

beforeAll(async () => {
  test = await startTestStack({
    carrier: { mps: 2000, receiptDelayMs: 50, outcomeFor: (to) => (to === ALSO_FAILS ? 'failed' : undefined) },
  });
  // The simulator numbers are in the Pacific zone by their prefix: their quiet hours are judged there.
  await advanceToAfternoonIn(test, 'America/Los_Angeles');
  zone = afternoonZone(test);
});

afterAll(async () => test.stop());

const fullResults = async (api: HttpClient, id: string) => (await resultsOf(api, id)) as FullResults;

/** Everything the carrier accepted for a phone (campaign messages and automatic answers). */
const outboxTo = (phone: string): OutboxRecord[] => test.stack.messaging.carrier.outbox({ to: phone, limit: 100 });
const answersTo = (phone: string, purpose: string) => outboxTo(phone).filter((r) => r.context.purpose === purpose);

async function consentOf(api: HttpClient, contactId: string): Promise<string> {
  const response = await api.get<{ smsConsent: { status: string } }>(`/v1/contacts/${contactId}`);
  expect(response.status).toBe(200);
  return response.body.smsConsent.status;
}

async function texts(from: string, body: string, to?: string) {
  const response = await test.anonymous.post('/local/inbound', { from, body, ...(to ? { to } : {}) });
  expect(response.status).toBe(202);
}

describe('a blast with failures, replies and a STOP', () => {
  let api: HttpClient;
  let campaign: Campaign;
  let ids: Map<string, string>;
  const buyers = Array.from({ length: 5 }, (_, i) => tollFree(i));
  const sellers = [...Array.from({ length: 4 }, (_, i) => tollFree(5 + i)), SIM_DELIVERS, SIM_FAILS, ALSO_FAILS];
  const [replierBuyer, stopper] = buyers as [string, string];
  const replierSeller = sellers[0] as string;
  const outsiders = [tollFree(300), tollFree(301)];

  beforeAll(async () => {
    // Arrange: a tenant with its own number, 12 recipients (2 fail) and 2 contacts outside the audience
    api = await test.clientFor('inbound-results');
    await test.assignNumber('inbound-results', NUMBER_A);
    const settings = { ...openWindowSettings(zone), businessName: 'Acme Homes', helpText: HELP_TEXT };
    expect((await api.patch('/v1/settings', { ...settings, originationIdentity: NUMBER_A })).status).toBe(200);
    const rows = [
      ...buyers.map((phone) => ({ phone, tags: ['vip', 'buyer'] })),
      ...sellers.map((phone) => ({ phone, tags: ['vip', 'seller'] })),
      ...outsiders.map((phone) => ({ phone, tags: ['other'] })),
    ].map((row) => ({ ...row, timeZone: zone, smsConsent: 'opted_in' }));
    expect((await importAll(api, rows)).created).toBe(rows.length);
    ids = await contactIdsByPhone(api);
    campaign = await createCampaign(api, {
      name: 'Open house',
      audience: { tags: { any: ['vip'] } },
      body: 'Open house Sat',
    });
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    await waitFor(
      () => fullResults(api, campaign.id),
      (r) => r.status === 'sent' && r.delivered + r.failed === 12,
      { what: 'the blast to finish with every receipt in' },
    );

    // Act: two people reply (one of them twice), one texts STOP
    await texts(replierBuyer, 'Is it still available?');
    await texts(replierBuyer, 'And is there parking?');
    await texts(replierSeller, 'Call me please');
    await texts(stopper, 'STOP');
    await waitFor(
      () => fullResults(api, campaign.id),
      (r) => r.replies === 2 && r.optOuts === 1 && answersTo(stopper, 'optOutReply').length === 1,
      { what: 'the replies and the opt-out to be counted' },
    );
    await test.stack.messaging.queue.drain();
  });

  it('gives exact results over HTTP: counts, rates, flags and figures by tag', async () => {
    // Act
    const results = await fullResults(api, campaign.id);

    // Assert
    expect(results).toMatchObject({
      status: 'sent',
      audience: 12,
      sent: 12,
      delivered: 10,
      failed: 2,
      failedByReason: { carrierUnreachable: 2 },
      pending: 0,
      replies: 2,
      responseRate: 0.2,
      optOuts: 1,
      optOutRate: 0.1,
      deliveryRate: 10 / 12,
    });
    // 12 recipients are under the flags' sample (the rule is stated with the results): no flag, however the rates look.
    expect(results.flags).toEqual([]);
    expect(results.flagRule).toContain('20 messages');
    expect(results.byTag).toEqual({
      vip: { recipients: 12, delivered: 10, replies: 2, optOuts: 1 },
      buyer: { recipients: 5, delivered: 5, replies: 1, optOuts: 1 },
      seller: { recipients: 7, delivered: 5, replies: 1, optOuts: 0 },
    });
    expect(answersTo(stopper, 'optOutReply')).toHaveLength(1);
    expect(await consentOf(api, ids.get(stopper) as string)).toBe('opted_out');
  });

  it('GET /messages shows repliedAt on the responders only', async () => {
    // Act
    const ledger = await ledgerOf(api, campaign.id);

    // Assert
    const replied = ledger.filter((e) => (e as { repliedAt?: string }).repliedAt).map((e) => e.phone);
    expect(replied.sort()).toEqual([replierBuyer, replierSeller].sort());
    expect(
      ledger
        .filter((e) => e.status === 'failed')
        .map((e) => e.phone)
        .sort(),
    ).toEqual([SIM_FAILS, ALSO_FAILS].sort());
  });

  it('POST /responders-list saves a Smart List whose audience is exactly the responders', async () => {
    // Act
    const saved = await api.post<{ smartList: { id: string }; responders: number; created: boolean }>(
      `/v1/campaigns/${campaign.id}/responders-list`,
      { name: 'Open house responders' },
    );
    const preview = await api.post<{ matched: number; eligible: number; sample: { id: string }[] }>(
      '/v1/audiences/preview',
      { audience: { smartListId: saved.body.smartList.id } },
    );

    // Assert
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ responders: 2, created: true });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ matched: 2, eligible: 2 });
    expect(preview.body.sample.map((c) => c.id).sort()).toEqual([ids.get(replierBuyer), ids.get(replierSeller)].sort());
  });

  it('HELP gets the help text, once', async () => {
    // Arrange
    const asker = outsiders[0] as string;

    // Act
    await texts(asker, 'Help', NUMBER_A);
    const answers = await waitFor(
      () => answersTo(asker, 'helpReply'),
      (a) => a.length > 0,
      { what: 'the HELP answer' },
    );
    await test.stack.messaging.queue.drain();

    // Assert
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ from: NUMBER_A, body: `Acme Homes: ${HELP_TEXT}` });
    expect(await consentOf(api, ids.get(asker) as string)).toBe('opted_in');
  });

  it('the same two-way payload posted twice to /local/inbound-raw acts once: one confirmation', async () => {
    // Arrange
    const sender = outsiders[1] as string;
    const payload = {
      originationNumber: sender,
      destinationNumber: NUMBER_A,
      messageKeyword: 'STOP',
      messageBody: 'Stop',
      inboundMessageId: 'e2e-duplicated-inbound-1',
      previousPublishedMessageId: null,
    };

    // Act
    const responses = [
      await test.anonymous.post('/local/inbound-raw', payload),
      await test.anonymous.post('/local/inbound-raw', [payload, payload]),
    ];
    await waitFor(
      () => consentOf(api, ids.get(sender) as string),
      (status) => status === 'opted_out',
      { what: 'the STOP to take effect' },
    );
    await test.stack.messaging.queue.drain();

    // Assert
    expect(responses.map((r) => r.status)).toEqual([202, 202]);
    expect(answersTo(sender, 'optOutReply')).toHaveLength(1);
    expect(outboxTo(sender)).toHaveLength(1);
  });

  it('POST /reconcile answers 202 and the results show a new reconciledAt, with the same figures', async () => {
    // Arrange
    const before = await fullResults(api, campaign.id);

    // Act
    const response = await api.post(`/v1/campaigns/${campaign.id}/reconcile`);
    const after = await waitFor(
      () => fullResults(api, campaign.id),
      (r) => r.reconciledAt !== null && r.reconciledAt !== before.reconciledAt,
      { what: 'the recount to finish' },
    );

    // Assert
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ campaignId: campaign.id, status: 'recounting' });
    expect(after).toMatchObject({ sent: 12, delivered: 10, failed: 2, replies: 2, optOuts: 1 });
  });

  it('nobody but the person undoes a STOP: the PATCH is refused (422) and the next campaign and workflow skip them', async () => {
    // Arrange: a workflow that texts whoever is tagged
    const stopperId = ids.get(stopper) as string;
    const workflow = await api.post<{ id: string }>('/v1/workflows', {
      name: 'Tagged',
      trigger: { type: 'tag_added', tag: 'followup' },
      steps: [{ id: 'hello', type: 'send_sms', body: 'Following up' }],
    });
    expect((await api.post(`/v1/workflows/${workflow.body.id}/activate`)).status).toBe(200);
    const textsBefore = outboxTo(stopper).length;

    // Act
    const patched = await api.patch(`/v1/contacts/${stopperId}`, { smsConsent: 'opted_in' });
    const tagged = await api.post(`/v1/contacts/${stopperId}/tags`, { tags: ['followup'] });
    const next = await createCampaign(api, { name: 'Again', audience: { tags: { any: ['vip'] } }, body: 'Again' });
    expect((await api.post(`/v1/campaigns/${next.id}/send`)).status).toBe(202);
    await waitFor(
      () => fullResults(api, next.id),
      (r) => r.status === 'sent',
      { what: 'the next campaign to finish' },
    );
    await test.stack.messaging.queue.drain();

    // Assert
    const error = expectError(patched, 422, 'CONSENT.PERSON_OPTED_OUT');
    expect(error.message).toContain('inbound_keyword');
    expect(error.details).toEqual([{ path: 'smsConsent', message: expect.any(String) }]);
    expect(tagged.status).toBe(200);
    expect(await consentOf(api, stopperId)).toBe('opted_out');
    expect(outboxTo(stopper)).toHaveLength(textsBefore);
    expect((await ledgerOf(api, next.id)).find((e) => e.contactId === stopperId)).toMatchObject({
      status: 'skipped',
      reason: 'optedOut',
    });
  });

  it('an opt-out a tenant user set is theirs to undo', async () => {
    const id = ids.get(replierSeller) as string;
    expect((await api.patch(`/v1/contacts/${id}`, { smsConsent: 'opted_out' })).status).toBe(200);
    expect((await api.patch(`/v1/contacts/${id}`, { smsConsent: 'opted_in' })).status).toBe(200);
    expect(await consentOf(api, id)).toBe('opted_in');
  });
});

describe('a STOP while the campaign is still sending', () => {
  it('means no later message to that contact: skipped as opted out, and one confirmation', async () => {
    // Arrange: 40 recipients at 2 messages a second (the last goes about 20 s after the first: room for the STOP to land
    // first even when the machine is busy)
    const api = await test.clientFor('inbound-midsend');
    await test.assignNumber('inbound-midsend', NUMBER_B);
    expect(
      (await api.patch('/v1/settings', { ...openWindowSettings(zone, 2), originationIdentity: NUMBER_B })).status,
    ).toBe(200);
    const phones = Array.from({ length: 40 }, (_, i) => tollFree(500 + i));
    await importAll(
      api,
      phones.map((phone) => ({ phone, tags: ['slow'], timeZone: zone, smsConsent: 'opted_in' })),
    );
    const ids = await contactIdsByPhone(api);
    const campaign = await createCampaign(api, { name: 'Slow', audience: { tags: { any: ['slow'] } }, body: 'Hello' });
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    const early = await waitFor(
      () => outboxOf(test, campaign.id),
      (records) => records.length > 0,
      { what: 'the first message to go out' },
    );
    const texted = new Set(early.map((r) => r.to));
    const stopper = [...phones].reverse().find((phone) => !texted.has(phone)) as string;
    const contactId = ids.get(stopper) as string;

    // Act: one of the recipients not yet texted sends STOP to the tenant's number
    await texts(stopper, 'STOP', NUMBER_B);
    await waitFor(
      () => consentOf(api, contactId),
      (status) => status === 'opted_out',
      { what: 'the STOP to take effect' },
    );
    const textedBeforeStop = outboxOf(test, campaign.id).some((r) => r.to === stopper);
    const results = await waitFor(
      () => fullResults(api, campaign.id),
      (r) => r.status === 'sent' && r.delivered + r.failed === r.sent,
      { what: 'the campaign to finish', timeoutMs: 60_000 },
    );

    // Assert
    expect(textedBeforeStop).toBe(false);
    expect(outboxOf(test, campaign.id).map((r) => r.to)).not.toContain(stopper);
    expect(outboxOf(test, campaign.id)).toHaveLength(39);
    const entry = (await ledgerOf(api, campaign.id)).find((e) => e.phone === stopper);
    expect(entry).toMatchObject({ status: 'skipped', reason: 'optedOut' });
    expect(results).toMatchObject({ sent: 39, delivered: 39, skipped: expect.objectContaining({ optedOut: 1 }) });
    expect(answersTo(stopper, 'optOutReply')).toHaveLength(1);
    expect(outboxTo(stopper)).toHaveLength(1);
  });
});
