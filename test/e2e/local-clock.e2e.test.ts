import { DateTime } from 'luxon';
import type { HttpClient } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/local-stack';
import {
  createCampaign,
  EVERY_DAY,
  importAll,
  outboxOf,
  resultsOf,
  tollFree,
  waitFor,
  zoneAtHour,
} from './campaigns/campaign-e2e-helpers';
import { expectError } from './helpers/api';

let test: TestStack;

beforeAll(async () => {
  test = await startTestStack({ carrier: { mps: 500, receiptDelayMs: 50 } });
});

afterAll(async () => test.stop());

/** A fixed-offset zone where the stack's clock reads `hour`:xx now. */

async function tenant(name: string, zone: string, window = { start: '10:00', end: '17:00', days: EVERY_DAY }) {
  const api = await test.clientFor(name);
  expect((await api.patch('/v1/settings', { defaultTimeZone: zone, sendWindow: window, mps: 500 })).status).toBe(200);
  return api;
}

async function contacts(api: HttpClient, zone: string, from: number, count: number) {
  const phones = Array.from({ length: count }, (_, i) => tollFree(from + i));
  const imported = await importAll(
    api,
    phones.map((phone) => ({ phone, tags: ['club'], smsConsent: 'opted_in', timeZone: zone })),
  );
  expect(imported.rejected).toEqual([]);
  return phones;
}

const textsTo = (phone: string) =>
  test.stack.messaging.carrier
    .outbox({ to: phone, limit: 100 })
    .reverse()
    .map((record) => ({ body: record.body, at: Date.parse(record.acceptedAt) }));

describe('GET and POST /local/clock', () => {
  it('reads the stack clock, which started where the test stack put it', async () => {
    const response = await test.anonymous.get<{ now: string; offsetMs: number }>('/local/clock');
    expect(response.status).toBe(200);
    expect(Date.parse(response.body.now)).toBeGreaterThanOrEqual(test.now().getTime() - 60_000);
    expect(Date.parse(response.body.now)).toBeLessThanOrEqual(test.now().getTime());
    expect(response.body.offsetMs).toEqual(expect.any(Number));
  });

  it('moves forward by a duration or to an instant, and answers where it now stands', async () => {
    const before = test.now().getTime();
    const by = await test.anonymous.post<{ from: string; now: string }>('/local/clock', { advance: 'PT30M' });
    expect(by.status).toBe(200);
    expect(Date.parse(by.body.now) - Date.parse(by.body.from)).toBeGreaterThanOrEqual(30 * 60_000);
    const target = new Date(before + 3_600_000);
    const to = await test.anonymous.post<{ now: string }>('/local/clock', {
      to: DateTime.fromJSDate(target, { zone: 'America/Chicago' }).toISO(),
    });
    expect(to.status).toBe(200);
    expect(Date.parse(to.body.now)).toBeGreaterThanOrEqual(target.getTime());
  });

  it.each([
    ['a duration that does not parse', { advance: 'two hours' }, 'advance'],
    ['a date-time without its offset', { to: '2030-01-01T10:00:00' }, 'to'],
    ['both at once', { advance: 'PT1H', to: '2030-01-01T10:00:00Z' }, '(body)'],
    ['neither', {}, '(body)'],
    ['a key it does not know', { advance: 'PT1H', by: 'PT1H' }, '(body)'],
    ['not an object', ['PT1H'], '(body)'],
  ])('refuses %s with a 400 naming the field', async (_label, body, path) => {
    const before = test.now().getTime();
    const error = expectError(await test.anonymous.post('/local/clock', body), 400, 'VALIDATION_FAILED');
    expect(error.details.map((d) => d.path)).toContain(path);
    expect(test.now().getTime() - before).toBeLessThan(60_000);
  });

  it('refuses to move backward (409), by a negative duration or to an earlier instant, and stays where it was', async () => {
    const before = test.now().getTime();
    const earlier = expectError(
      await test.anonymous.post('/local/clock', { to: new Date(before - 60_000).toISOString() }),
      409,
      'CLOCK.BACKWARD',
    );
    expect(earlier.details).toEqual([{ path: 'to', message: expect.any(String) }]);
    expectError(await test.anonymous.post('/local/clock', { advance: '-PT1H' }), 409, 'CLOCK.BACKWARD');
    expect(test.now().getTime()).toBeGreaterThanOrEqual(before);
    expect(test.now().getTime() - before).toBeLessThan(60_000);
  });

  it('a /local route refuses a body over 1 MB with a 413, as the API does', async () => {
    const huge = JSON.stringify({ from: '+14254147755', body: 'x'.repeat(3 * 1024 * 1024) });
    expectError(await test.anonymous.request('POST', '/local/inbound', { rawBody: huge }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses a body that is not JSON', async () => {
    const response = await test.anonymous.request('POST', '/local/clock', { rawBody: '{advance' });
    expectError(response, 400, 'INVALID_JSON');
  });
});

describe('time travel fires what falls due on the way', () => {
  it("tomorrow's 10:00 blast goes out as soon as the clock is moved there, not before", async () => {
    // Arrange: a campaign scheduled for 10:00 tomorrow in a zone where it is afternoon now
    const zone = zoneAtHour(test, 14);
    const api = await tenant('travel-schedule', zone);
    const phones = await contacts(api, zone, 0, 5);
    const campaign = await createCampaign(api, { name: 'Tomorrow', audience: { tags: { any: ['club'] } }, body: 'Hi' });
    const tomorrow = DateTime.fromJSDate(test.now(), { zone })
      .plus({ days: 1 })
      .set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
    const scheduled = await api.post(`/v1/campaigns/${campaign.id}/schedule`, {
      sendAt: tomorrow.toFormat("yyyy-MM-dd'T'HH:mm"),
      timeZone: zone,
    });
    expect(scheduled.status).toBe(200);

    // Act
    await test.advance({ to: tomorrow.minus({ minutes: 1 }).toUTC().toISO() as string });
    const before = outboxOf(test, campaign.id).length;
    await test.advance('PT2M');

    // Assert: the advance answered once the blast had gone out
    expect(before).toBe(0);
    const outbox = outboxOf(test, campaign.id);
    expect(outbox.map((r) => r.to).sort()).toEqual([...phones].sort());
    for (const record of outbox) expect(Date.parse(record.acceptedAt)).toBeGreaterThanOrEqual(tomorrow.toMillis());
    expect((await resultsOf(api, campaign.id)).status).toBe('sent');
  });

  it('a recipient deferred by quiet hours gets the text at the next opening when the clock passes the night', async () => {
    // Arrange: it is 22:xx where the recipients live, after the 10:00-17:00 window
    const zone = zoneAtHour(test, 22);
    const api = await tenant('travel-deferred', zone);
    const phones = await contacts(api, zone, 100, 3);
    const campaign = await createCampaign(api, { name: 'Night', audience: { tags: { any: ['club'] } }, body: 'Hi' });
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    await waitFor(
      () => resultsOf(api, campaign.id),
      (r) => r.skipped.quietHoursDeferred === 3,
      { what: 'the recipients to be deferred' },
    );
    const opening = DateTime.fromJSDate(test.now(), { zone })
      .plus({ days: 1 })
      .set({ hour: 10, minute: 0, second: 0, millisecond: 0 });

    // The results and the ledger say when the held texts will go
    const held = await api.get<{ nextSendAt: string | null }>(`/v1/campaigns/${campaign.id}/results`);
    const ledger = await api.get<{ items: { status: string; notBefore?: string }[] }>(
      `/v1/campaigns/${campaign.id}/messages`,
    );
    expect(Date.parse(held.body.nextSendAt as string)).toBe(opening.toMillis());
    for (const entry of ledger.body.items) {
      expect(entry).toMatchObject({ status: 'queued', notBefore: held.body.nextSendAt });
    }

    // Act
    await test.advance({ to: opening.minus({ minutes: 1 }).toUTC().toISO() as string });
    const beforeOpening = outboxOf(test, campaign.id).length;
    await test.advance('PT20M');

    // Assert
    expect(beforeOpening).toBe(0);
    const outbox = outboxOf(test, campaign.id);
    expect(outbox.map((r) => r.to).sort()).toEqual([...phones].sort());
    for (const record of outbox) expect(Date.parse(record.acceptedAt)).toBeGreaterThanOrEqual(opening.toMillis());
  });

  it('waits chained in a workflow fire each at its own time, in order, within one advance', async () => {
    // Arrange: three texts an hour apart
    const zone = zoneAtHour(test, 12);
    const api = await tenant('travel-workflow', zone, { start: '08:00', end: '21:00', days: EVERY_DAY });
    const created = await api.post<{ id: string }>('/v1/workflows', {
      name: 'Hourly',
      messageType: 'TRANSACTIONAL',
      trigger: { type: 'tag_added', tag: 'hourly' },
      steps: [
        { id: 'one', type: 'send_sms', body: 'one' },
        { id: 'wait1', type: 'wait', duration: 'PT1H' },
        { id: 'two', type: 'send_sms', body: 'two' },
        { id: 'wait2', type: 'wait', duration: 'PT1H' },
        { id: 'three', type: 'send_sms', body: 'three' },
      ],
    });
    expect(created.status).toBe(201);
    expect((await api.post(`/v1/workflows/${created.body.id}/activate`)).status).toBe(200);
    const [phone] = (await contacts(api, zone, 200, 1)) as [string];
    const contact = await api.get<{ items: { id: string }[] }>('/v1/contacts', { query: { limit: 1 } });
    expect((await api.post(`/v1/contacts/${contact.body.items[0]?.id}/tags`, { tags: ['hourly'] })).status).toBe(200);
    await waitFor(
      () => textsTo(phone),
      (texts) => texts.length === 1,
      { what: 'the first text' },
    );

    // Act: one advance over both waits
    await test.advance('PT2H30M');

    // Assert: each text at its own due time, an hour after the one before
    const texts = textsTo(phone);
    expect(texts.map((t) => t.body)).toEqual(['one', 'two', 'three']);
    const [one, two, three] = texts.map((t) => t.at) as [number, number, number];
    expect(two - one).toBeGreaterThanOrEqual(3_600_000);
    expect(two - one).toBeLessThan(3_600_000 + 5 * 60_000);
    expect(three - two).toBeGreaterThanOrEqual(3_600_000);
    expect(three - two).toBeLessThan(3_600_000 + 5 * 60_000);
  });
});
