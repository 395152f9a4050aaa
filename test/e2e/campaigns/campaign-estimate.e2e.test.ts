import { DateTime } from 'luxon';
import type { CampaignEstimate } from '../../../shared/domain/campaigns/campaign.schema';
import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { expectError } from '../helpers/api';
import { type Campaign, createCampaign, EVERY_DAY, importAll, tollFree, zoneAtHour } from './campaign-e2e-helpers';

let test: TestStack;
let api: HttpClient;
let zone: string;
let campaign: Campaign;

/** 100 opted-in contacts where it is 12:xx now, a window 08:00-15:00 every day, and a slow sender (1 a second). */
beforeAll(async () => {
  test = await startTestStack({ carrier: { mps: 50, receiptDelayMs: 50 } });
  api = await test.clientFor('estimate-1');
  zone = zoneAtHour(test, 12);
  const settings = { defaultTimeZone: zone, sendWindow: { start: '08:00', end: '15:00', days: EVERY_DAY }, mps: 1 };
  expect((await api.patch('/v1/settings', settings)).status).toBe(200);
  const rows = Array.from({ length: 100 }, (_, i) => ({
    phone: tollFree(7000 + i),
    tags: ['est'],
    smsConsent: 'opted_in',
    timeZone: zone,
  }));
  expect((await importAll(api, rows)).rejected).toEqual([]);
  campaign = await createCampaign(api, { name: 'Estimate', audience: { tags: { any: ['est'] } }, body: 'Doors open' });
});

afterAll(async () => test.stop());

/** Today at `time` in the contacts' zone, as a person types it. */
const todayAt = (time: string) => `${DateTime.fromJSDate(test.now(), { zone }).toFormat('yyyy-MM-dd')}T${time}`;

describe('GET /v1/campaigns/{id}/estimate', () => {
  it('sent now inside the window: all 100 go within about 100 s, none waits', async () => {
    const response = await api.get<CampaignEstimate>(`/v1/campaigns/${campaign.id}/estimate`);
    expect(response.status).toBe(200);
    const estimate = response.body;
    expect(estimate).toMatchObject({ recipients: 100, mps: 1, waitingForNextWindow: 0, spillsPastWindow: false });
    expect(estimate.basis).toBe('audience');
    expect(Date.parse(estimate.firstSendAt!)).toBeGreaterThanOrEqual(Date.parse(estimate.startsAt));
    const seconds = (Date.parse(estimate.lastSendAt!) - Date.parse(estimate.firstSendAt!)) / 1000;
    expect(seconds).toBeCloseTo(99 * 1.02, 0);
  });

  it('a proposed time a minute before the window closes: the rest wait for the next opening', async () => {
    const response = await api.get<CampaignEstimate>(`/v1/campaigns/${campaign.id}/estimate`, {
      query: { sendAt: todayAt('14:59:00'), timeZone: zone },
    });
    expect(response.status).toBe(200);
    const estimate = response.body;
    // 60 s at one slot per 1.02 s: 59 go today, 41 tomorrow from 08:00 local.
    expect(estimate.spillsPastWindow).toBe(true);
    expect(estimate.waitingForNextWindow).toBe(41);
    const last = DateTime.fromISO(estimate.lastSendAt!, { zone });
    expect(last.toFormat('HH:mm')).toBe('08:00');
    expect(last.startOf('day') > DateTime.fromJSDate(test.now(), { zone }).startOf('day')).toBe(true);
  });

  it('says so in the schedule answer: a SPILLS_PAST_WINDOW warning and the estimate', async () => {
    const other = await createCampaign(api, { name: 'Late', audience: { tags: { any: ['est'] } }, body: 'Late one' });
    const response = await api.post<Campaign & { warnings: { code: string }[]; estimate: CampaignEstimate }>(
      `/v1/campaigns/${other.id}/schedule`,
      { sendAt: todayAt('14:59'), timeZone: zone },
    );
    expect(response.status).toBe(200);
    expect(response.body.warnings.map((w) => w.code)).toContain('SPILLS_PAST_WINDOW');
    expect(response.body.estimate).toMatchObject({ recipients: 100, waitingForNextWindow: 41 });
    // A scheduled campaign's estimate starts at its schedule.
    const scheduled = await api.get<CampaignEstimate>(`/v1/campaigns/${other.id}/estimate`);
    expect(scheduled.body.startsAt).toBe(response.body.scheduledAt);
    expect((await api.post(`/v1/campaigns/${other.id}/cancel`)).status).toBe(200);
    // Once it is no longer a draft or scheduled, a proposed time is a conflict naming its state, not ignored.
    const late = expectError(
      await api.get(`/v1/campaigns/${other.id}/estimate`, { query: { sendAt: todayAt('14:00'), timeZone: zone } }),
      409,
      'CAMPAIGN.INVALID_STATE',
    );
    expect(late).toMatchObject({ status: 'cancelled', details: [{ path: 'sendAt' }] });
    expect(late.message).toContain('is cancelled');
  });

  it('a test-then-winner campaign: the remainder waits out the test, at its longest variant, past the window when the wait ends after it', async () => {
    // Arrange: a one-segment and a two-segment variant; the wait (4 h from 12:xx) ends after the 15:00 close
    const long = `Doors open at noon. ${'Bring a friend and get a second ticket free. '.repeat(3)}`.trim();
    const abCampaign = await createCampaign(api, {
      name: 'Estimate A/B',
      audience: { tags: { any: ['est'] } },
      variants: [
        { body: 'Doors open', percent: 50 },
        { body: long, percent: 50 },
      ],
      abTest: { mode: 'testThenWinner', testPercent: 20, waitMinutes: 240 },
    } as never);

    // Act
    const response = await api.get<CampaignEstimate>(`/v1/campaigns/${abCampaign.id}/estimate`);

    // Assert: the test share goes now, every remainder recipient waits for tomorrow's opening at two segments
    expect(response.status).toBe(200);
    const estimate = response.body;
    expect(estimate.recipients).toBe(100);
    expect(Date.parse(estimate.firstSendAt!) - Date.parse(estimate.startsAt)).toBeLessThan(5_000);
    // The remainder's first chance is after the start (tomorrow's opening): counted as outside the window at the start,
    // not as spilling (the WINNER_AFTER_WINDOW warning is the one for a wait that ends after the close).
    const remainder = estimate.outsideWindowAtStart;
    expect(remainder).toBeGreaterThan(60);
    expect(remainder).toBeLessThan(95);
    expect(estimate).toMatchObject({ waitingForNextWindow: 0, spillsPastWindow: false });
    expect(estimate.segments).toBeGreaterThanOrEqual(2 * remainder + (100 - remainder));
    expect(estimate.segments).toBeLessThan(200);
    const last = DateTime.fromISO(estimate.lastSendAt!, { zone });
    expect(last.toFormat('HH')).toBe('08');
    expect(last.startOf('day') > DateTime.fromJSDate(test.now(), { zone }).startOf('day')).toBe(true);
  });

  it('refuses a bad query with a 400 naming the field, a past time with a 422, and another tenant’s id with a 404', async () => {
    const path = `/v1/campaigns/${campaign.id}/estimate`;
    const noSendAt = expectError(await api.get(path, { query: { timeZone: zone } }), 400, 'VALIDATION_FAILED');
    expect(noSendAt.details.map((d) => d.path)).toContain('sendAt');
    const both = await api.get(path, {
      query: { sendAt: todayAt('14:00'), timeZone: zone, recipientTimeZone: 'true' },
    });
    expect(expectError(both, 400).details.map((d) => d.path)).toContain('timeZone');
    expect(expectError(await api.get(path, { query: { sendAt: 'tomorrow' } }), 400).details[0]?.path).toBe('sendAt');
    expect(expectError(await api.get(path, { query: { foo: '1' } }), 400).details.length).toBeGreaterThan(0);
    expectError(
      await api.get(path, { query: { sendAt: '2020-01-01T10:00', timeZone: zone } }),
      422,
      'CAMPAIGN.SEND_TIME_PAST',
    );
    const stranger = await test.clientFor('estimate-2');
    expectError(await stranger.get(path), 404);
  });
});
