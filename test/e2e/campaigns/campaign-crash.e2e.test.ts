import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_SEND_WORKERS } from '../../../local/local-messaging';
import { RECIPIENTS_IN_FLIGHT } from '../../../shared/app/campaigns/send-batch.use-case';
import type { HttpClient } from '../../support/http-client';
import { TEST_CLOCK_START } from '../../support/local-stack';
import { type StackProcess, startStackProcess } from '../../support/stack-process';
import {
  afternoonZone,
  type Campaign,
  createCampaign,
  importAll,
  type LedgerItem,
  ledgerOf,
  openWindowSettings,
  type Results,
  resultsOf,
  tollFree,
  waitFor,
} from './campaign-e2e-helpers';

/**
 * The whole local stack killed (SIGKILL to its process group: no shutdown hook, nothing flushed) in the middle of a
 * blast, then `npm start` again on the same data: what a laptop's crash or a killed terminal does to a user.
 */
/** Where it is 14:xx when the stack's clock starts (at TEST_CLOCK_START, whatever it is): inside the window. */
const ZONE = afternoonZone({ now: () => new Date(TEST_CLOCK_START) });
const TENANT = 'crash-tenant';
/**
 * What a kill may leave ambiguous: the recipients claimed and not yet settled. Each of the local stack's send workers
 * holds at most one group of recipients in flight (RECIPIENTS_IN_FLIGHT), and a kill stops them all at once.
 */
const AMBIGUOUS_PER_KILL = LOCAL_SEND_WORKERS * RECIPIENTS_IN_FLIGHT;

let dataDir: string;
let running: StackProcess | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sms-crash-'));
});

afterEach(async () => {
  await running?.kill();
  running = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** The first start sets the clock; a restart goes on from the clock the data folder keeps, as `npm start` does. */
const start = (mps: number, first = false) =>
  startStackProcess({
    DATA_DIR: dataDir,
    ...(first ? { LOCAL_TIME: TEST_CLOCK_START } : {}),
    SIM_MPS: String(mps),
    SIM_RECEIPT_DELAY_MS: '100',
  });

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface OutboxItem {
  to: string;
  context: { campaignId?: string };
}

async function outboxOf(stack: StackProcess, campaignId: string): Promise<OutboxItem[]> {
  const response = await fetch(`${stack.url}/local/outbox?limit=1000000`);
  const { items } = (await response.json()) as { items: OutboxItem[] };
  return items.filter((item) => item.context.campaignId === campaignId);
}

/** What the results must never show, at any moment: more delivered than sent, or any rate above 100%. */
function expectSane(results: Results & Record<string, unknown>) {
  expect(results.delivered + results.failed).toBeLessThanOrEqual(results.sent + (results.unknown ?? 0));
  for (const key of ['deliveryRate', 'responseRate', 'optOutRate'] as const) {
    const rate = results[key];
    if (typeof rate === 'number') expect(rate).toBeLessThanOrEqual(1);
  }
}

/** Reads results every few hundred ms until the campaign is sent, checking each read; fails after `polls` reads. */
async function watchUntilSent(api: HttpClient, campaignId: string, polls = 300): Promise<Results> {
  for (let left = polls; left > 0; left--) {
    const results = await resultsOf(api, campaignId);
    expectSane(results as Results & Record<string, unknown>);
    if (results.status === 'sent') return results;
    await sleep(200);
  }
  throw new Error(`campaign ${campaignId} did not finish: ${JSON.stringify(await resultsOf(api, campaignId))}`);
}

function countBy(ledger: LedgerItem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of ledger) counts[entry.status] = (counts[entry.status] ?? 0) + 1;
  return counts;
}

async function prepareBlast(api: HttpClient, recipients: number, mps: number): Promise<Campaign> {
  expect((await api.patch('/v1/settings', openWindowSettings(ZONE, mps))).status).toBe(200);
  const rows = Array.from({ length: recipients }, (_, i) => ({
    phone: tollFree(30_000 + i),
    firstName: `R${i}`,
    tags: ['crash'],
    smsConsent: 'opted_in',
    timeZone: ZONE,
  }));
  expect((await importAll(api, rows)).rejected).toEqual([]);
  return createCampaign(api, {
    name: 'Crash',
    audience: { tags: { any: ['crash'] } },
    body: 'Hi {{contact.first_name}}',
  });
}

/** Every recipient texted at most once, the campaign sent, the counters equal to the ledger. */
async function expectSettled(stack: StackProcess, api: HttpClient, campaign: Campaign, recipients: number) {
  const results = await watchUntilSent(api, campaign.id).catch((error: Error) => {
    throw new Error(`${error.message}\nthe stack's last output:\n${stack.output().slice(-3000)}`);
  });
  // A sent campaign may still get receipts (the carrier re-emits those a kill cut short): wait until every message
  // the carrier took has its receipt, so the ledger and the results below are read at rest.
  await waitFor(
    () => resultsOf(api, campaign.id),
    (r) => r.pending === r.unknown,
    { what: 'the last receipts', timeoutMs: 60_000, intervalMs: 200 },
  );
  const outbox = await outboxOf(stack, campaign.id);
  const perPhone = new Map<string, number>();
  for (const item of outbox) perPhone.set(item.to, (perPhone.get(item.to) ?? 0) + 1);
  expect([...perPhone.values()].filter((n) => n > 1)).toEqual([]);
  const ledger = await ledgerOf(api, campaign.id);
  expect(ledger).toHaveLength(recipients);
  const byStatus = countBy(ledger);
  expect(byStatus.queued ?? 0).toBe(0);
  const final = await resultsOf(api, campaign.id);
  expect(final).toMatchObject({
    status: 'sent',
    audience: recipients,
    delivered: byStatus.delivered ?? 0,
    failed: byStatus.failed ?? 0,
    unknown: byStatus.unknown ?? 0,
    // Still waiting for a receipt: the ambiguous ones, and any sent whose receipt has not come yet.
    pending: (byStatus.unknown ?? 0) + (byStatus.sent ?? 0),
  });
  // Whatever the ledger says reached the carrier did (the outbox is the carrier's own record).
  for (const entry of ledger) {
    if (entry.status === 'delivered' || entry.status === 'sent') expect(perPhone.has(entry.phone)).toBe(true);
  }
  // Everybody not ambiguous was texted: the ones neither in the carrier's outbox nor `unknown`, with their status.
  const untextedBeyondUnknown = ledger
    .filter((entry) => entry.status !== 'unknown' && !perPhone.has(entry.phone))
    .map((entry) => ({ phone: entry.phone, status: entry.status, reason: entry.reason }));
  return { results, byStatus, untextedBeyondUnknown };
}

/** `count` pseudo-random delays of 300-3,000 ms from `seed` (a small LCG: the same seed gives the same kills). */
function killDelays(seed: number, count: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return 300 + (state % 2_700);
  });
}

describe('the local stack killed in the middle of a blast', () => {
  it('400 recipients at 40/s, killed after 3 s: after a restart everybody is texted once or unknown, the campaign ends sent and its counters equal the ledger', async () => {
    // Arrange
    running = await start(40, true);
    let api = await running.clientFor(TENANT);
    const campaign = await prepareBlast(api, 400, 40);

    // Act: send, kill the whole stack 3 s later, start it again on the same folder
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    await sleep(3000);
    await running.kill();
    running = await start(40);
    api = await running.clientFor(TENANT);

    // Assert
    const { byStatus, untextedBeyondUnknown } = await expectSettled(running, api, campaign, 400);
    // At most the groups in flight at the kill are ambiguous; nobody else is left out.
    expect(byStatus.unknown ?? 0).toBeLessThanOrEqual(AMBIGUOUS_PER_KILL);
    expect(untextedBeyondUnknown).toEqual([]);
  }, 180_000);

  it('2,000 recipients, killed five times at random moments: 0 duplicates, at most a small group unknown per kill, sent, counters equal to the ledger', async () => {
    // Arrange
    const recipients = 2000;
    running = await start(200, true);
    let api = await running.clientFor(TENANT);
    const campaign = await prepareBlast(api, recipients, 200);
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);

    // Act: five kills, each 0.3-3 s into the run that follows a (re)start (seeded, so a failure can be replayed)
    const kills = 5;
    const seed = Number(process.env.CRASH_SEED ?? 20261207);
    const delays = killDelays(seed, kills);
    for (let k = 0; k < kills; k++) {
      await sleep(delays[k] as number);
      await running.kill();
      running = await start(200);
    }
    api = await running.clientFor(TENANT);

    // Assert
    const { byStatus, untextedBeyondUnknown } = await expectSettled(running, api, campaign, recipients);
    expect(byStatus.unknown ?? 0).toBeLessThanOrEqual(AMBIGUOUS_PER_KILL * kills);
    expect(untextedBeyondUnknown).toEqual([]);
  }, 300_000);
});
