import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { abResultsOf, abTestOf, expectedVariants, importTagged, TWO_VARIANTS } from './ab-winner-helpers';
import {
  afternoonZone,
  createCampaign,
  openWindowSettings,
  outboxOf,
  perPhone,
  tollFree,
  waitFor,
} from './campaign-e2e-helpers';

const TENANT = 'winner-restart-tenant';
const TEST_PERCENT = 30;
const phones = Array.from({ length: 60 }, (_, i) => tollFree(1300 + i));

let dataDir: string;
let running: TestStack | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sms-ab-winner-restart-'));
});

afterAll(async () => {
  await running?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const start = (fresh: boolean) => startTestStack({ dataDir, carrier: { receiptDelayMs: 20 }, freshModules: fresh });

const winnerSchedules = async (stack: TestStack) =>
  (await stack.stack.messaging.scheduler.pending()).filter((s) => s.name.startsWith('campaign-winner-'));

describe('test-then-winner campaigns across a restart', () => {
  it('picks the winner after a restart during the wait, and a cancel during the wait sends no remainder', async () => {
    // Arrange: two campaigns to the same audience, both in their wait when the stack stops
    running = await start(false);
    let api = await running.clientFor(TENANT);
    expect((await api.patch('/v1/settings', openWindowSettings(afternoonZone(running)))).status).toBe(200);
    const ids = await importTagged(api, phones, 'restart');
    const body = { audience: { tags: { any: ['restart'] } }, variants: TWO_VARIANTS, messageType: 'TRANSACTIONAL' };
    const kept = await createCampaign(api, { ...body, name: 'Kept', abTest: abTestOf(TEST_PERCENT, 120) });
    const cancelled = await createCampaign(api, { ...body, name: 'Cancelled', abTest: abTestOf(TEST_PERCENT, 120) });
    const testCount = (id: string) =>
      [...expectedVariants(id, ids, phones, TEST_PERCENT, null).values()].filter((v) => v.test).length;
    for (const campaign of [kept, cancelled]) {
      expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
      await waitFor(
        () => abResultsOf(api, campaign.id),
        (r) => r.abTest.phase === 'waiting' && r.delivered === testCount(campaign.id),
        { what: 'the test share delivered and the wait begun' },
      );
    }
    const first = running;
    expect(await winnerSchedules(first)).toHaveLength(2);

    // Act 1: stop in the middle of the wait and start again on the same data folder (and clock)
    await first.stop();
    running = undefined;
    running = await start(true);
    const second = running;
    api = await second.clientFor(TENANT);
    const schedulesAfterRestart = await winnerSchedules(second);

    // Act 2: cancel one during the wait, then move the stack's clock past the wait's end
    expect((await api.post(`/v1/campaigns/${cancelled.id}/cancel`)).status).toBe(200);
    const schedulesAfterCancel = await winnerSchedules(second);
    await second.advance('PT121M');
    const keptDone = await waitFor(
      () => abResultsOf(api, kept.id),
      (r) => r.status === 'sent' && r.delivered === phones.length,
      { what: 'the kept campaign’s winner sent to the remainder' },
    );
    await second.stack.messaging.queue.drain('send');
    const cancelledAfter = await abResultsOf(api, cancelled.id);

    // Assert: the kept campaign's winner went once to each remaining phone, each phone one text in all
    expect(schedulesAfterRestart).toHaveLength(2);
    expect(schedulesAfterCancel).toHaveLength(1);
    const winner = keptDone.abTest.winner?.variant as number;
    expect(keptDone.abTest.phase).toBe('done');
    // No replies: every test variant has the same response rate (0), so the first listed wins by rule
    expect(keptDone.abTest.winner).toMatchObject({ variant: 0, basis: 'tieFirstListed' });
    const keptOutbox = perPhone(outboxOf(second, kept.id));
    const expected = expectedVariants(kept.id, ids, phones, TEST_PERCENT, winner);
    expect(keptOutbox.size).toBe(phones.length);
    for (const phone of phones) {
      const records = keptOutbox.get(phone) ?? [];
      expect(records).toHaveLength(1);
      const variant = expected.get(phone)?.variant as number;
      expect(records[0]?.body.startsWith(TWO_VARIANTS[variant]?.body as string)).toBe(true);
    }
    // The cancelled one sent its test share only: no winner, no remainder
    expect(outboxOf(second, cancelled.id)).toHaveLength(testCount(cancelled.id));
    expect(cancelledAfter).toMatchObject({ status: 'cancelled', abTest: { phase: 'cancelled', winner: null } });
  });
});
