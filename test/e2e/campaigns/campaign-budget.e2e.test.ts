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

type BudgetResults = Results & {
  pauseReason: string | null;
  pauseEvidence: PauseEvidence | null;
  spend: number;
  maxSpend: number | null;
};

describe('budget caps', () => {
  it('refuses a campaign whose worst case is over its cap (422), pauses one whose spend reaches it, resumes once raised', async () => {
    // Arrange: 200 recipients at 10 a second; one segment each at the table's US price (0.00883 USD)
    const api = await test.clientFor('budget-1');
    const zone = afternoonZone(test);
    expect((await api.patch('/v1/settings', openWindowSettings(zone, 10))).status).toBe(200);
    const rows = Array.from({ length: 200 }, (_, i) => ({
      phone: tollFree(80_000 + i),
      tags: ['all'],
      smsConsent: 'opted_in',
      timeZone: zone,
    }));
    expect((await importAll(api, rows)).rejected).toEqual([]);
    const campaign = await createCampaign(api, {
      name: 'Budgeted',
      audience: { tags: { any: ['all'] } },
      body: 'Sale today',
      maxSpend: 1,
    });

    // Act / Assert: 200 x 0.00883 = 1.766 > 1
    const refused = expectError(await api.post(`/v1/campaigns/${campaign.id}/send`), 422, 'CAMPAIGN.OVER_BUDGET');
    expect(refused.details[0]?.path).toBe('maxSpend');
    expect(refused.message).toContain('1.766');
    expect((await api.get<Campaign>(`/v1/campaigns/${campaign.id}`)).body.status).toBe('draft');
    expect((await api.patch(`/v1/campaigns/${campaign.id}`, { maxSpend: 2 })).status).toBe(200);
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);

    // The price goes up mid-send (the tenant's own price for the US): spend reaches the cap and the campaign pauses
    await waitFor(
      () => outboxOf(test, campaign.id).length,
      (n) => n >= 5,
      { what: '5 sends' },
    );
    expect((await api.patch('/v1/settings', { pricePerSegment: { US: 0.1 } })).status).toBe(200);
    const paused = await waitFor(
      () => api.get<BudgetResults>(`/v1/campaigns/${campaign.id}/results`).then((r) => r.body),
      (r) => r.status !== 'sending',
      { timeoutMs: 60_000, what: 'the budget to pause the campaign' },
    );
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'budget', maxSpend: 2 });
    expect(paused.spend).toBeGreaterThanOrEqual(2);
    expect(paused.pauseEvidence).toMatchObject({ cap: 2 });
    await test.advance('PT1M');
    const sentWhenPaused = outboxOf(test, campaign.id).length;
    expect(sentWhenPaused).toBeLessThan(200);

    // Resume before raising it: 422; raise it (PATCH maxSpend while paused), then resume: everyone once
    expectError(await api.post(`/v1/campaigns/${campaign.id}/resume`), 422, 'CAMPAIGN.OVER_BUDGET');
    expect((await api.patch(`/v1/campaigns/${campaign.id}`, { maxSpend: 100 })).status).toBe(200);
    expect((await api.post<Campaign>(`/v1/campaigns/${campaign.id}/resume`)).body.status).toBe('sending');
    await waitFor(
      () => resultsOf(api, campaign.id),
      (r) => r.status === 'sent',
      { timeoutMs: 60_000, what: 'sent' },
    );
    const byPhone = perPhone(outboxOf(test, campaign.id));
    expect(byPhone.size).toBe(200);
    expect(Math.max(...[...byPhone.values()].map((records) => records.length))).toBe(1);
  }, 180_000);

  it('refuses a send over the monthly budget, and budget settings that do not hold', async () => {
    const api = await test.clientFor('budget-2');
    const zone = afternoonZone(test);
    await api.patch('/v1/settings', { ...openWindowSettings(zone, 10), monthlyBudget: 0.05 });
    const rows = Array.from({ length: 10 }, (_, i) => ({
      phone: tollFree(90_000 + i),
      tags: ['all'],
      smsConsent: 'opted_in',
      timeZone: zone,
    }));
    await importAll(api, rows);
    const campaign = await createCampaign(api, { name: 'Month', audience: { tags: { any: ['all'] } }, body: 'Hi' });
    const refused = expectError(await api.post(`/v1/campaigns/${campaign.id}/send`), 422, 'CAMPAIGN.OVER_BUDGET');
    expect(refused.details[0]?.path).toBe('monthlyBudget');
    const euros = expectError(await api.patch('/v1/settings', { currency: 'EUR' }), 400);
    expect(euros.details.map((d) => d.path)).toContain('pricePerSegment.default');
    expectError(await api.patch('/v1/settings', { monthlyBudget: -1 }), 400);
    expectError(
      await api.post('/v1/campaigns', { name: 'x', audience: { tags: { any: ['all'] } }, body: 'x', maxSpend: 0 }),
      400,
    );
  });
});
