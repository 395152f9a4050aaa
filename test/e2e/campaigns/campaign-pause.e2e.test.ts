import type { CampaignEstimate } from '../../../shared/domain/campaigns/campaign.schema';
import type { HttpClient } from '../../support/http-client';
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
let tenants = 0;

beforeAll(async () => {
  test = await startTestStack({ carrier: { mps: 50, receiptDelayMs: 50 } });
});

afterAll(async () => test.stop());

/** A tenant sending at 10 a second to `count` opted-in contacts where the window is open. */
async function tenantWith(count: number): Promise<HttpClient> {
  const api = await test.clientFor(`pause-${++tenants}`);
  const zone = afternoonZone(test);
  expect((await api.patch('/v1/settings', openWindowSettings(zone, 10))).status).toBe(200);
  const rows = Array.from({ length: count }, (_, i) => ({
    phone: tollFree(tenants * 1000 + i),
    tags: ['all'],
    smsConsent: 'opted_in',
    timeZone: zone,
  }));
  expect((await importAll(api, rows)).rejected).toEqual([]);
  return api;
}

type LiveResults = Results & {
  pauseReason: string | null;
  progress: { done: number; total: number };
  estimate: CampaignEstimate | null;
};

describe('pause and resume', () => {
  it('a paused campaign sends nobody more, is not complete, is not resumed by its watchdog, and resumes without duplicates', async () => {
    // Arrange: 150 recipients at 10 a second, sending
    const api = await tenantWith(150);
    const campaign = await createCampaign(api, {
      name: 'Pausable',
      audience: { tags: { any: ['all'] } },
      body: 'Sale!',
    });
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    await waitFor(
      () => outboxOf(test, campaign.id).length,
      (n) => n >= 20,
      { what: '20 sends' },
    );

    // Act: pause, let the stack settle, then let the watchdog's look (5 minutes later) come and go
    const paused = await api.post<Campaign>(`/v1/campaigns/${campaign.id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused', pauseReason: 'manual' });
    await test.advance('PT1M');
    const sentWhenPaused = outboxOf(test, campaign.id).length;
    await test.advance('PT30M');

    // Assert: nothing more went out, and the campaign is still paused with its progress and the rest's estimate
    expect(outboxOf(test, campaign.id).length).toBe(sentWhenPaused);
    expect(sentWhenPaused).toBeLessThan(150);
    const results = (await api.get<LiveResults>(`/v1/campaigns/${campaign.id}/results`)).body;
    expect(results).toMatchObject({ status: 'paused', pauseReason: 'manual' });
    expect(results.progress).toMatchObject({ total: 150 });
    expect(results.progress.done).toBeLessThan(150);
    expect(results.estimate).toMatchObject({ basis: 'ledger', recipients: 150 - results.progress.done });

    // A second pause, or a resume of a campaign that is not paused: 409 naming the state
    const again = expectError(await api.post(`/v1/campaigns/${campaign.id}/pause`), 409, 'CAMPAIGN.INVALID_STATE');
    expect(again.message).toContain('paused');
    const draft = await createCampaign(api, { name: 'Draft', audience: { tags: { any: ['all'] } }, body: 'Hi' });
    const notPaused = expectError(await api.post(`/v1/campaigns/${draft.id}/resume`), 409, 'CAMPAIGN.INVALID_STATE');
    expect(notPaused.message).toContain('draft');
    expectError(await api.post(`/v1/campaigns/${campaign.id}/resume`, { now: true }), 400, 'VALIDATION_FAILED');

    // Resume: everyone gets it exactly once
    const resumed = await api.post<Campaign>(`/v1/campaigns/${campaign.id}/resume`);
    expect(resumed.body).toMatchObject({ status: 'sending', pauseReason: null });
    await waitFor(
      () => resultsOf(api, campaign.id),
      (r) => r.status === 'sent',
      { timeoutMs: 60_000, what: 'sent' },
    );
    const byPhone = perPhone(outboxOf(test, campaign.id));
    expect(byPhone.size).toBe(150);
    expect(Math.max(...[...byPhone.values()].map((records) => records.length))).toBe(1);
  }, 180_000);

  it('a paused campaign can be cancelled: whoever waits is cancelled, nothing more goes', async () => {
    const api = await tenantWith(100);
    const campaign = await createCampaign(api, { name: 'Stop it', audience: { tags: { any: ['all'] } }, body: 'Hi' });
    await api.post(`/v1/campaigns/${campaign.id}/send`);
    await waitFor(
      () => outboxOf(test, campaign.id).length,
      (n) => n >= 5,
      { what: '5 sends' },
    );
    expect((await api.post(`/v1/campaigns/${campaign.id}/pause`)).status).toBe(200);
    await test.advance('PT1M');
    const sent = outboxOf(test, campaign.id).length;
    const cancelled = await api.post<Campaign>(`/v1/campaigns/${campaign.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    await test.advance('PT10M');
    expect(outboxOf(test, campaign.id).length).toBe(sent);
    const results = await resultsOf(api, campaign.id);
    expect(results.cancelled + results.sent).toBe(100);
  }, 180_000);
});
