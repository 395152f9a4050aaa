import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../../support/local-stack';
import {
  afternoonZone,
  type Campaign,
  createCampaign,
  importAll,
  openWindowSettings,
  outboxOf,
  perPhone,
  resultsOf,
  tollFree,
  waitFor,
} from './campaign-e2e-helpers';

const TENANT = 'pause-restart';
let dataDir: string;
let running: TestStack | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sms-pause-restart-'));
});

afterAll(async () => {
  await running?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const start = (fresh: boolean) =>
  startTestStack({ dataDir, carrier: { mps: 50, receiptDelayMs: 50 }, sendConcurrency: 2, freshModules: fresh });

describe('a paused campaign across a restart', () => {
  it('stays paused (the restart recovery and the watchdog do not resume it), then resumes without duplicates', async () => {
    // Arrange: 100 recipients at 10 a second, paused after a few sends, then the stack stops
    running = await start(false);
    const zone = afternoonZone(running);
    let api = await running.clientFor(TENANT);
    expect((await api.patch('/v1/settings', openWindowSettings(zone, 10))).status).toBe(200);
    const rows = Array.from({ length: 100 }, (_, i) => ({
      phone: tollFree(60_000 + i),
      tags: ['all'],
      smsConsent: 'opted_in',
      timeZone: zone,
    }));
    expect((await importAll(api, rows)).rejected).toEqual([]);
    const campaign = await createCampaign(api, { name: 'Paused', audience: { tags: { any: ['all'] } }, body: 'Hi' });
    await api.post(`/v1/campaigns/${campaign.id}/send`);
    const first = running;
    await waitFor(
      () => outboxOf(first, campaign.id).length,
      (n) => n >= 10,
      { what: '10 sends' },
    );
    expect((await api.post(`/v1/campaigns/${campaign.id}/pause`)).status).toBe(200);
    await running.advance('PT1M');
    const sentBeforeStop = outboxOf(running, campaign.id).length;
    await running.stop();
    running = undefined;

    // Act: a new stack on the same data, and an hour on its clock (the watchdog's looks come and go)
    running = await start(true);
    api = await running.clientFor(TENANT);
    await running.advance('PT1H');

    // Assert
    expect((await api.get<Campaign>(`/v1/campaigns/${campaign.id}`)).body).toMatchObject({
      status: 'paused',
      pauseReason: 'manual',
    });
    expect(outboxOf(running, campaign.id).length).toBe(sentBeforeStop);

    // Resume: everyone once
    expect((await api.post(`/v1/campaigns/${campaign.id}/resume`)).status).toBe(200);
    await waitFor(
      () => resultsOf(api, campaign.id),
      (r) => r.status === 'sent',
      { timeoutMs: 60_000, what: 'sent' },
    );
    const byPhone = perPhone(outboxOf(running, campaign.id));
    expect(byPhone.size).toBe(100);
    expect(Math.max(...[...byPhone.values()].map((records) => records.length))).toBe(1);
  }, 180_000);
});
