import type { PauseEvidence } from '../../../shared/domain/campaigns/campaign.schema';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { expectError } from '../helpers/api';
import {
  afternoonZone,
  type Campaign,
  createCampaign,
  importAll,
  openWindowSettings,
  outboxOf,
  perPhone,
  type Results,
  resultsOf,
  tollFree,
  waitFor,
} from './campaign-e2e-helpers';

let test: TestStack;

beforeAll(async () => {
  test = await startTestStack({ carrier: { mps: 100, receiptDelayMs: 50 } });
});

afterAll(async () => test.stop());

type PausedResults = Results & { pauseReason: string | null; pauseEvidence: PauseEvidence | null };

describe('the carrier-filtering circuit breaker', () => {
  it('refuses a bad carrier control with a 400 naming the field', async () => {
    expectError(await test.anonymous.post('/local/carrier', { blockRate: 2 }), 400, 'VALIDATION_FAILED');
    const reason = expectError(
      await test.anonymous.post('/local/carrier', { blockRate: 0.1, blockReason: 'NOPE' }),
      400,
    );
    expect(reason.details[0]?.path).toBe('blockReason');
  });

  it('a blast the carrier starts filtering as spam pauses itself with the evidence, and resumes once it stops', async () => {
    // Arrange: 400 recipients at 20 a second (imported 200 at a time: one big import can outrun a busy machine's
    // request timeout); the carrier fails 30% as SPAM
    const api = await test.clientFor('breaker-1');
    const zone = afternoonZone(test);
    expect((await api.patch('/v1/settings', openWindowSettings(zone, 20))).status).toBe(200);
    const rows = Array.from({ length: 400 }, (_, i) => ({
      phone: tollFree(50_000 + i),
      tags: ['all'],
      smsConsent: 'opted_in',
      timeZone: zone,
    }));
    for (let i = 0; i < rows.length; i += 200) {
      expect((await importAll(api, rows.slice(i, i + 200))).rejected).toEqual([]);
    }
    const campaign = await createCampaign(api, {
      name: 'Spammy',
      audience: { tags: { any: ['all'] } },
      body: 'WIN $$$',
    });
    expect((await test.anonymous.post('/local/carrier', { blockRate: 0.3, blockReason: 'SPAM' })).status).toBe(200);

    // Act
    await api.post(`/v1/campaigns/${campaign.id}/send`);
    const paused = await waitFor(
      () => api.get<PausedResults>(`/v1/campaigns/${campaign.id}/results`).then((r) => r.body),
      (r) => r.status !== 'sending',
      { timeoutMs: 60_000, what: 'the breaker to pause the campaign' },
    );
    await test.advance('PT1M');
    const sentWhilePaused = outboxOf(test, campaign.id).length;
    await test.advance('PT10M');

    // Assert: paused by the breaker before the whole audience went, nothing more sent, the evidence in the results
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'carrierFiltering' });
    expect(paused.pauseEvidence?.settled).toBeGreaterThanOrEqual(200);
    expect(paused.pauseEvidence?.filteredRate).toBeGreaterThan(0.05);
    expect(paused.pauseEvidence?.byCategory?.spam).toBeGreaterThan(0);
    expect(paused.pauseEvidence?.sampleErrors?.[0]).toMatch(/^TEXT_SPAM/);
    expect(sentWhilePaused).toBeLessThan(400);
    expect(outboxOf(test, campaign.id).length).toBe(sentWhilePaused);
    expect((await resultsOf(api, campaign.id)).failedByReason.spam).toBeGreaterThan(0);

    // The carrier stops filtering; the user resumes: everyone else gets it once, and it does not trip again
    expect((await test.anonymous.post('/local/carrier', { blockRate: 0 })).status).toBe(200);
    expect((await api.post<Campaign>(`/v1/campaigns/${campaign.id}/resume`)).body.status).toBe('sending');
    await waitFor(
      () => resultsOf(api, campaign.id),
      (r) => r.status === 'sent',
      { timeoutMs: 90_000, what: 'sent' },
    );
    const byPhone = perPhone(outboxOf(test, campaign.id));
    expect(byPhone.size).toBe(400);
    expect(Math.max(...[...byPhone.values()].map((records) => records.length))).toBe(1);
  }, 180_000);
});
