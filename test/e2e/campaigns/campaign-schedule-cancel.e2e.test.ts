import { DateTime } from 'luxon';
import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { expectError } from '../helpers/api';
import {
  type Campaign,
  createCampaign,
  fixedOffsetZone,
  importAll,
  ledgerOf,
  localTimeIn,
  offsetAtHour,
  openWindowSettings,
  outboxOf,
  perPhone,
  resultsOf,
  tollFree,
  waitFor,
  zoneAtHour,
} from './campaign-e2e-helpers';

/** The carrier accepts this many messages a second, and the tenants are paced to it: a blast of 120 takes seconds. */
const MPS = 30;
const SEND_CONCURRENCY = 4;

let test: TestStack;
let tenants = 0;

beforeAll(async () => {
  test = await startTestStack({ carrier: { mps: MPS, receiptDelayMs: 50 }, sendConcurrency: SEND_CONCURRENCY });
  zones = afternoonZones(test);
});

afterAll(async () => test.stop());

/**
 * Two fixed-offset zones an hour apart, both in the afternoon on the stack's clock (so inside an 08:00-21:00 window
 * for hours).
 */
function afternoonZones(stack: TestStack): { west: string; east: string } {
  const offset = offsetAtHour(stack, 14);
  return { west: fixedOffsetZone(offset), east: fixedOffsetZone(offset + 1) };
}
let zones: { west: string; east: string };

/** A fresh tenant with `count` opted-in contacts tagged `tag` (in `zone`), and the open window. */
async function tenantWith(count: number, options: { zone?: string; from?: number; mps?: number } = {}) {
  const api = await test.clientFor(`sched-${++tenants}`);
  const zone = options.zone ?? zones.west;
  expect((await api.patch('/v1/settings', openWindowSettings(zone, options.mps ?? MPS))).status).toBe(200);
  const phones = Array.from({ length: count }, (_, i) => tollFree((options.from ?? 0) + i));
  const imported = await importAll(
    api,
    phones.map((phone, i) => ({ phone, firstName: `S${i}`, tags: ['club'], smsConsent: 'opted_in', timeZone: zone })),
  );
  expect(imported.rejected).toEqual([]);
  return { api, phones };
}

const campaignBody = (name: string) => ({ name, audience: { tags: { any: ['club'] } }, body: `${name}: doors open` });

async function statusOf(api: HttpClient, id: string): Promise<string> {
  return (await api.get<Campaign>(`/v1/campaigns/${id}`)).body.status;
}

describe('scheduled campaigns on the local scheduler', () => {
  // Three campaigns of one tenant are due two hours ahead, so their waits overlap: one scheduled in a named zone, one
  // cancelled before its time, one in each recipient's own zone. The clock is moved, not waited for.
  let api: HttpClient;
  let firePhones: string[];
  const westPhones = Array.from({ length: 5 }, (_, i) => tollFree(200 + i));
  const eastPhones = Array.from({ length: 5 }, (_, i) => tollFree(300 + i));
  let fire: Campaign;
  let cancelled: Campaign;
  let local: Campaign;
  let fireSchedule: { status: number; body: Campaign };
  let cancelResponse: { status: number; body: Campaign };
  let localSchedule: { status: number };
  let westInstant: number;
  let eastBeforeWest: Map<string, unknown[]>;
  let firedBeforeTime: number;

  beforeAll(async () => {
    const tenant = await tenantWith(10, { from: 100 });
    api = tenant.api;
    firePhones = tenant.phones;
    const imported = await importAll(api, [
      ...westPhones.map((phone) => ({ phone, tags: ['local'], smsConsent: 'opted_in', timeZone: zones.west })),
      ...eastPhones.map((phone) => ({ phone, tags: ['local'], smsConsent: 'opted_in', timeZone: zones.east })),
    ]);
    expect(imported.rejected).toEqual([]);
    fire = await createCampaign(api, campaignBody('Fire'));
    cancelled = await createCampaign(api, campaignBody('Cancelled'));
    local = await createCampaign(api, { ...campaignBody('Local time'), audience: { tags: { any: ['local'] } } });

    // Act: schedule all three, then cancel one before its time
    const chicago = { sendAt: localTimeIn('America/Chicago', 2 * 3600, test), timeZone: 'America/Chicago' };
    fireSchedule = await api.post<Campaign>(`/v1/campaigns/${fire.id}/schedule`, chicago);
    expect((await api.post(`/v1/campaigns/${cancelled.id}/schedule`, chicago)).status).toBe(200);
    // The same wall-clock time comes an hour earlier in the eastern zone. The instant is the one the schedule names
    // (the stack's clock runs on while the requests above are answered).
    const westSendAt = localTimeIn(zones.west, 2 * 3600, test);
    westInstant = DateTime.fromISO(westSendAt, { zone: zones.west }).toMillis();
    localSchedule = await api.post(`/v1/campaigns/${local.id}/schedule`, {
      sendAt: westSendAt,
      recipientTimeZone: true,
    });
    cancelResponse = await api.post<Campaign>(`/v1/campaigns/${cancelled.id}/cancel`);
    // An hour on: the eastern recipients' time has come, nobody else's.
    await test.advance({ to: new Date(westInstant - 3_600_000 + 1_000) });
    eastBeforeWest = perPhone(outboxOf(test, local.id));
    firedBeforeTime = outboxOf(test, fire.id).length;
    await test.advance({ to: new Date(westInstant + 1_000) });
    for (const [campaign, count] of [
      [fire, firePhones.length],
      [local, westPhones.length + eastPhones.length],
    ] as const) {
      await waitFor(
        () => resultsOf(api, campaign.id),
        (r) => r.status === 'sent' && r.sent === count && r.delivered === count,
        { what: `campaign ${campaign.name} to fire and finish` },
      );
    }
  });

  it('a campaign scheduled two hours ahead in a zone fires when the clock gets there and reaches everyone once', async () => {
    // Assert
    expect(fireSchedule.status).toBe(200);
    expect(fireSchedule.body).toMatchObject({ status: 'scheduled', schedule: { timeZone: 'America/Chicago' } });
    const fireAt = Date.parse(fireSchedule.body.scheduledAt as string);
    expect(firedBeforeTime).toBe(0);
    const outbox = outboxOf(test, fire.id);
    for (const record of outbox) expect(Date.parse(record.acceptedAt)).toBeGreaterThanOrEqual(fireAt);
    expect(outbox).toHaveLength(firePhones.length);
    expect([...perPhone(outbox).keys()].sort()).toEqual([...firePhones].sort());
    expect(await resultsOf(api, fire.id)).toMatchObject({ sent: firePhones.length, audience: firePhones.length });
  });

  it('cancelled before its time, nothing goes, even after the time has passed and the scheduler fired others', async () => {
    // Assert: the fire campaign, due at the same instant, witnesses that the time came and the scheduler ran
    await test.stack.messaging.queue.drain();
    expect(cancelResponse.status).toBe(200);
    expect(cancelResponse.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    expect(outboxOf(test, cancelled.id)).toEqual([]);
    expect(await statusOf(api, cancelled.id)).toBe('cancelled');
    expect(await ledgerOf(api, cancelled.id)).toEqual([]);
    expectError(await api.post(`/v1/campaigns/${cancelled.id}/send`), 409);
  });

  it('recipientTimeZone: each recipient gets it at the time in their own zone', async () => {
    // Assert
    expect(localSchedule.status).toBe(200);
    const byPhone = perPhone(outboxOf(test, local.id));
    expect(byPhone.size).toBe(10);
    expect([...eastBeforeWest.keys()].sort()).toEqual([...eastPhones].sort());
    // Sub-second digits are cut from sendAt, hence the second of slack.
    for (const phone of westPhones) {
      expect(Date.parse(byPhone.get(phone)?.[0]?.acceptedAt as string)).toBeGreaterThanOrEqual(westInstant - 1000);
    }
    for (const phone of eastPhones) {
      expect(Date.parse(byPhone.get(phone)?.[0]?.acceptedAt as string)).toBeLessThan(westInstant - 1000);
    }
  });
});

describe('cancel while sending', () => {
  it('stops the rest: after cancel returns the outbox stops growing and every recipient ends settled', async () => {
    // Arrange: 90 recipients at 30 a second is three seconds of sending
    const { api, phones } = await tenantWith(90, { from: 1000 });
    const campaign = await createCampaign(api, campaignBody('Stop me'));
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    await waitFor(
      () => outboxOf(test, campaign.id).length,
      (n) => n >= 20,
      { what: 'the first sends' },
    );

    // Act
    const patchWhileSending = await api.patch(`/v1/campaigns/${campaign.id}`, { body: 'too late' });
    const cancel = await api.post<Campaign>(`/v1/campaigns/${campaign.id}/cancel`);
    const atCancel = outboxOf(test, campaign.id).length;
    await test.stack.messaging.queue.drain();
    const ledger = await waitFor(
      () => ledgerOf(api, campaign.id),
      (items) => items.length === phones.length && items.every((e) => e.status !== 'queued'),
      { what: 'every recipient to settle' },
    );
    const finalOutbox = outboxOf(test, campaign.id);

    // Assert
    expectError(patchWhileSending, 409);
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('cancelled');
    // At most the sends already past their last look at the campaign land after the cancel returned: a worker
    // has up to ten recipients of a send message (50 recipients) in flight, so 10 per message, 20 here.
    expect(finalOutbox.length - atCancel).toBeLessThanOrEqual(10 * Math.ceil(phones.length / 50));
    expect(finalOutbox.length).toBeLessThan(phones.length);
    for (const entry of ledger) expect(['sent', 'delivered', 'failed', 'cancelled', 'skipped']).toContain(entry.status);
    const handedOver = ledger.filter((e) => ['sent', 'delivered', 'failed'].includes(e.status)).map((e) => e.phone);
    expect(handedOver.sort()).toEqual([...perPhone(finalOutbox).keys()].sort());
    expect(Math.max(...[...perPhone(finalOutbox).values()].map((r) => r.length))).toBe(1);
    const results = await resultsOf(api, campaign.id);
    expect(results).toMatchObject({
      status: 'cancelled',
      sent: finalOutbox.length,
      cancelled: phones.length - finalOutbox.length,
    });
    // Later deliveries of anything still around change nothing.
    await test.stack.messaging.queue.drain();
    expect(outboxOf(test, campaign.id)).toHaveLength(finalOutbox.length);
  });
});

describe('cancel while recipients wait for the window', () => {
  it('settles every waiting recipient and the counters at once: cancelled, nothing pending, nothing sent later', async () => {
    // Arrange: 6 recipients where it is 22:xx, after the 08:00-21:00 window: all deferred to the morning
    const night = zoneAtHour(test, 22);
    const { api } = await tenantWith(6, { zone: night, from: 2000 });
    const campaign = await createCampaign(api, campaignBody('Night'));
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    await waitFor(
      () => resultsOf(api, campaign.id),
      (r) => r.skipped.quietHoursDeferred === 6,
      { what: 'the recipients to be deferred' },
    );

    // Act
    const cancel = await api.post<Campaign>(`/v1/campaigns/${campaign.id}/cancel`);
    const rightAfter = await resultsOf(api, campaign.id);
    await test.advance('PT14H');

    // Assert
    expect(cancel.status).toBe(200);
    expect(rightAfter).toMatchObject({ status: 'cancelled', cancelled: 6, pending: 0, sent: 0 });
    expect((await ledgerOf(api, campaign.id)).map((e) => e.status)).toEqual(Array(6).fill('cancelled'));
    expect(outboxOf(test, campaign.id)).toEqual([]);
  });
});
