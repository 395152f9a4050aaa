import { DateTime } from 'luxon';
import type { CampaignEstimate } from '../../../shared/domain/campaigns/campaign.schema';
import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { expectError } from '../helpers/api';
import { abResultsOf, abTestOf, expectedVariants, importTagged, TWO_VARIANTS } from './ab-winner-helpers';
import {
  afternoonZone,
  type Campaign,
  createCampaign,
  openWindowSettings,
  outboxOf,
  perPhone,
  tollFree,
  waitFor,
} from './campaign-e2e-helpers';

let test: TestStack;
let api: HttpClient;
let zone: string;

beforeAll(async () => {
  test = await startTestStack({ carrier: { receiptDelayMs: 20 } });
  api = await test.clientFor('winner-tenant');
  zone = afternoonZone(test);
  expect((await api.patch('/v1/settings', openWindowSettings(zone))).status).toBe(200);
});

afterAll(async () => test.stop());

const TEST_PERCENT = 50;
const phones = Array.from({ length: 100 }, (_, i) => tollFree(900 + i));

describe('a test-then-winner campaign', () => {
  it('refuses a test share or a wait out of bounds, and a test without variants, naming the field', async () => {
    // Arrange
    const base = { name: 'Bad test', audience: { tags: { any: ['winner'] } }, variants: TWO_VARIANTS };

    // Act
    const share = await api.post('/v1/campaigns', { ...base, abTest: abTestOf(80) });
    const wait = await api.post('/v1/campaigns', { ...base, abTest: abTestOf(20, 5) });
    const noVariants = await api.post('/v1/campaigns', {
      ...base,
      variants: undefined,
      body: 'Hi',
      abTest: abTestOf(20),
    });

    // Assert
    expect(expectError(share, 400).details).toEqual([{ path: 'abTest.testPercent', message: 'must be at most 50' }]);
    expect(expectError(wait, 400).details).toEqual([{ path: 'abTest.waitMinutes', message: 'must be at least 15' }]);
    expect(expectError(noVariants, 400).details).toEqual([
      { path: 'abTest', message: 'needs variants (2 to 5) to test' },
    ]);
  });

  it('warns when a schedule puts the end of the wait after the send window closes', async () => {
    // Arrange: 20:30 today in a zone where the 08:00-21:00 window is open now; a 60-minute wait ends at 21:30
    const campaign = await createCampaign(api, {
      name: 'Late test',
      audience: { tags: { any: ['winner'] } },
      variants: TWO_VARIANTS,
      abTest: abTestOf(20, 60),
    });
    const sendAt = DateTime.fromJSDate(test.now(), { zone })
      .set({ hour: 20, minute: 30 })
      .toFormat("yyyy-MM-dd'T'HH:mm");

    // Act
    const response = await api.post<{ warnings: { code: string }[] }>(`/v1/campaigns/${campaign.id}/schedule`, {
      sendAt,
      timeZone: zone,
    });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.warnings.map((w) => w.code)).toContain('WINNER_AFTER_WINDOW');
    expect((await api.post(`/v1/campaigns/${campaign.id}/cancel`)).status).toBe(200);
  });

  it('sends the test share, waits on the stack clock, then sends the best variant to the rest, once each', async () => {
    // Arrange
    const ids = await importTagged(api, phones, 'winner');
    const campaign: Campaign = await createCampaign(api, {
      name: 'Spring sale test',
      audience: { tags: { any: ['winner'] } },
      variants: TWO_VARIANTS,
      abTest: abTestOf(TEST_PERCENT, 60),
      messageType: 'TRANSACTIONAL',
    });
    const testShare = expectedVariants(campaign.id, ids, phones, TEST_PERCENT, null);
    const testPhones = phones.filter((phone) => testShare.get(phone)?.test);
    const secondVariantPhones = testPhones.filter((phone) => testShare.get(phone)?.variant === 1);

    // Act 1: the test share goes, and the campaign waits
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    const waiting = await waitFor(
      () => abResultsOf(api, campaign.id),
      (r) => r.abTest.phase === 'waiting' && r.delivered === testPhones.length,
      { what: 'the test share delivered and the wait begun' },
    );
    for (const phone of secondVariantPhones.slice(0, 2)) {
      expect((await api.post('/local/inbound', { from: phone, body: 'YES' })).status).toBe(202);
    }
    await waitFor(
      () => abResultsOf(api, campaign.id),
      (r) => r.abTest.testVariants[1]?.replies === 2,
      { what: 'the two replies to variant 2' },
    );
    await test.advance('PT30M');
    const halfway = await abResultsOf(api, campaign.id);
    // Asked during the wait, the estimate counts the remainder still to launch, not before the wait ends.
    const estimate = (await api.get<CampaignEstimate>(`/v1/campaigns/${campaign.id}/estimate`)).body;

    // Act 2: past the wait
    await test.advance('PT31M');
    const done = await waitFor(
      () => abResultsOf(api, campaign.id),
      (r) => r.status === 'sent' && r.delivered === phones.length,
      { what: 'the winner sent to the remainder' },
    );

    // Assert: the wait held the remainder back, then everyone got exactly one text of the right variant
    expect(testPhones.length).toBeGreaterThan(0);
    expect(testPhones.length).toBeLessThan(phones.length);
    expect(waiting.abTest.testEndsAt).not.toBeNull();
    expect(halfway.abTest.phase).toBe('waiting');
    expect(halfway.delivered).toBe(testPhones.length);
    expect(estimate).toMatchObject({ basis: 'ledger', recipients: phones.length - testPhones.length });
    expect(Date.parse(estimate.firstSendAt as string)).toBeGreaterThanOrEqual(
      Date.parse(waiting.abTest.testEndsAt as string),
    );
    const outbox = perPhone(outboxOf(test, campaign.id));
    expect(outbox.size).toBe(phones.length);
    const expected = expectedVariants(campaign.id, ids, phones, TEST_PERCENT, 1);
    for (const phone of phones) {
      const records = outbox.get(phone) ?? [];
      expect(records).toHaveLength(1);
      const variant = expected.get(phone)?.variant as number;
      expect(records[0]?.body.startsWith(TWO_VARIANTS[variant]?.body as string)).toBe(true);
    }
    expect(done.abTest.phase).toBe('done');
    expect(done.abTest.winner).toMatchObject({ variant: 1, basis: 'highestRate', metric: 'responseRate' });
    expect(done.abTest.winner?.reason).toContain('variant 2 had the highest response rate');
    expect(done.abTest.testVariants.reduce((sum, v) => sum + v.recipients, 0)).toBe(testPhones.length);
    expect(done.variants.reduce((sum, v) => sum + v.recipients, 0)).toBe(phones.length);
  });
});
