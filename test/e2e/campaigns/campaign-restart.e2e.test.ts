import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../../support/local-stack';
import {
  afternoonZone,
  type Campaign,
  createCampaign,
  importAll,
  ledgerOf,
  openWindowSettings,
  outboxOf,
  perPhone,
  resultsOf,
  tollFree,
  waitFor,
} from './campaign-e2e-helpers';

/** Slow enough that the stack can be stopped part-way: 100 recipients at 100 a second. */
const MPS = 100;
const RECIPIENTS = 100;
const TENANT = 'restart-tenant';

let dataDir: string;
let running: TestStack | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sms-campaign-restart-'));
});

afterAll(async () => {
  await running?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const start = (fresh: boolean) =>
  startTestStack({
    dataDir,
    carrier: { mps: MPS, receiptDelayMs: 50 },
    sendConcurrency: 1,
    freshModules: fresh,
  });

describe('a stack stopped in the middle of a blast', () => {
  it('resumes on the same data folder: nobody gets two messages, everybody ends up sent (or ambiguous)', async () => {
    // Arrange: the first stack starts the blast
    running = await start(false);
    const zone = afternoonZone(running);
    let api = await running.clientFor(TENANT);
    expect((await api.patch('/v1/settings', openWindowSettings(zone, MPS))).status).toBe(200);
    const phones = Array.from({ length: RECIPIENTS }, (_, i) => tollFree(7000 + i));
    const imported = await importAll(
      api,
      phones.map((phone, i) => ({ phone, firstName: `R${i}`, tags: ['all'], smsConsent: 'opted_in', timeZone: zone })),
    );
    expect(imported.rejected).toEqual([]);
    const campaign = await createCampaign(api, { name: 'Restart', audience: { tags: { any: ['all'] } }, body: 'Hi' });
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    const first = running;
    await waitFor(
      () => outboxOf(first, campaign.id).length,
      (n) => n >= 10,
      { what: 'the first sends' },
    );

    // Act 1: stop part-way. The carrier goes first (as if the process died under the workers: what they still
    // hold is refused, and their follow-up messages die with the in-memory queue), then the stack.
    await first.stack.messaging.carrier.stop();
    await first.stop();
    running = undefined;
    const beforeRestart = outboxOf(first, campaign.id).length;

    // Act 2: a new stack on the same folder, kicked with a launch message
    running = await start(true);
    const second = running;
    api = await second.clientFor(TENANT);
    const afterRestart = outboxOf(second, campaign.id);
    await second.stack.messaging.queue.sendMessages('launch', [
      { body: { kind: 'campaignLaunch', tenantId: TENANT, campaignId: campaign.id } },
    ]);
    const final = await waitFor(
      () => resultsOf(api, campaign.id),
      (r) => r.status === 'sent',
      { what: 'the resumed campaign to finish', timeoutMs: 20_000 },
    );
    // (Only the send queue: a duplicate kick turned away by the lease comes back in two minutes, harmlessly.)
    await second.stack.messaging.queue.drain('send');

    // Assert
    expect(beforeRestart).toBeLessThan(RECIPIENTS); // it really stopped part-way
    expect(afterRestart).toHaveLength(beforeRestart); // the carrier kept its outbox across the restart
    const outbox = outboxOf(second, campaign.id);
    const byPhone = perPhone(outbox);
    expect(Math.max(...[...byPhone.values()].map((records) => records.length))).toBe(1);
    const ledger = await ledgerOf(api, campaign.id);
    expect(ledger).toHaveLength(RECIPIENTS);
    const ambiguous = ledger.filter((e) => e.status === 'unknown' || e.status === 'queued');
    // At most the in-flight window at the stop: ten recipients per send message a worker holds.
    expect(ambiguous.length).toBeLessThanOrEqual(10 * Math.ceil(RECIPIENTS / 50));
    for (const entry of ledger) {
      if (entry.status === 'unknown' || entry.status === 'queued') continue;
      expect(['sent', 'delivered']).toContain(entry.status);
      expect(byPhone.has(entry.phone)).toBe(true);
    }
    expect(byPhone.size).toBeGreaterThanOrEqual(RECIPIENTS - ambiguous.length);
    expect(final).toMatchObject({ audience: RECIPIENTS, sent: outbox.length });
    expect((await api.get<Campaign>(`/v1/campaigns/${campaign.id}`)).body.status).toBe('sent');
  });
});
