import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CapacityMeter } from '../shared/adapters/aws/dynamo/document-client';
import type { OutboxRecord } from '../shared/adapters/local/outbox-record';
import { parsePhoneNumber } from '../shared/domain/phone/phone-number';
import { numericFlag } from './bench-args';
import { measureDynamoFloor } from './dynamo-floor';
import { startBenchStack } from './stack-client';

/**
 * The final event types replayed and how often (the rest of the messages are TEXT_DELIVERED), with the failure
 * category each must be counted under. The categories are written out here rather than taken from the product code,
 * so the benchmark checks the mapping instead of trusting it.
 */
const FAILURES: { eventType: string; share: number; reason: string }[] = [
  { eventType: 'TEXT_CARRIER_UNREACHABLE', share: 0.02, reason: 'carrierUnreachable' },
  { eventType: 'TEXT_UNREACHABLE', share: 0.008, reason: 'unreachable' },
  { eventType: 'TEXT_BLOCKED', share: 0.008, reason: 'blocked' },
  { eventType: 'TEXT_INVALID', share: 0.006, reason: 'invalidNumber' },
  { eventType: 'TEXT_SPAM', share: 0.003, reason: 'spam' },
  { eventType: 'TEXT_TTL_EXPIRED', share: 0.003, reason: 'ttlExpired' },
  { eventType: 'TEXT_CARRIER_BLOCKED', share: 0.002, reason: 'carrierBlocked' },
];
const DUPLICATE_SHARE = 0.1;
/** What the simulated carrier reports per part (its defaults). */
const PRICE_PER_PART_USD = 0.00581;
const CARRIER_FEE_PER_PART_USD = 0.00302;

type EventRecord = Record<string, unknown>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const usd = (amount: number) => Math.round(amount * 100_000) / 100_000;

/** mulberry32: a small seeded generator, so a run's outcomes, duplicates and order can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** The documented record of each event type, from the test fixtures (shaped exactly as AWS publishes them). */
function fixture(eventType: string): EventRecord {
  const name = `sms-event-${eventType
    .replace(/^TEXT_/, 'text-')
    .toLowerCase()
    .replaceAll('_', '-')}.json`;
  return JSON.parse(readFileSync(join(__dirname, '..', 'test', 'fixtures', 'events', name), 'utf8')) as EventRecord;
}

/** Bench contacts live in a zone where it is early afternoon now, so the send window never defers them. */
function afternoonZone(now: Date): string {
  const offset = 13 - now.getUTCHours();
  const wrapped = ((offset + 12 + 24) % 24) - 12;
  // Etc/GMT zones have inverted signs: Etc/GMT-3 is UTC+3.
  return wrapped === 0 ? 'Etc/UTC' : `Etc/GMT${wrapped > 0 ? '-' : '+'}${Math.abs(wrapped)}`;
}

/** DynamoDB calls made while a meter is active, per command: how many, and their summed round-trip time. */
type CallProfile = Record<string, { calls: number; ms: number }>;

/**
 * Watches the document client while a meter is active: counts writes DynamoDB refused on their condition (AWS bills
 * such a write like one that succeeded, at least one write unit, but reports no consumed capacity with the error, so
 * the meter misses it) and times each command for `--profile`.
 */
function watchDocumentClient(): { readonly refused: number; readonly profile: CallProfile; restore(): void } {
  const proto = DynamoDBDocumentClient.prototype as unknown as { send: (...args: unknown[]) => unknown };
  const inherited = proto.send;
  const state = { refused: 0, profile: {} as CallProfile };
  proto.send = function (this: unknown, ...args: unknown[]) {
    const result = inherited.apply(this, args);
    if (CapacityMeter.active && result instanceof Promise) {
      const started = performance.now();
      const name = (args[0] as object | undefined)?.constructor.name ?? 'unknown';
      const done = () => {
        const entry = state.profile[name] ?? { calls: 0, ms: 0 };
        state.profile[name] = entry;
        entry.calls++;
        entry.ms += performance.now() - started;
      };
      result.then(done, (error: unknown) => {
        done();
        if ((error as Error | undefined)?.name === 'ConditionalCheckFailedException') state.refused++;
      });
    }
    return result;
  };
  return {
    get refused() {
      return state.refused;
    },
    get profile() {
      return state.profile;
    },
    restore() {
      // The send was inherited: removing the own property brings it back.
      delete (proto as { send?: unknown }).send;
    },
  };
}

interface Figures {
  sent: number;
  delivered: number;
  failed: number;
  failedByReason: Record<string, number>;
}

function sameFigures(a: Figures, b: Figures): boolean {
  const reasons = (r: Record<string, number>) =>
    JSON.stringify(
      Object.entries(r)
        .filter(([, n]) => n !== 0)
        .sort(([x], [y]) => x.localeCompare(y)),
    );
  return (
    a.sent === b.sent &&
    a.delivered === b.delivered &&
    a.failed === b.failed &&
    reasons(a.failedByReason) === reasons(b.failedByReason)
  );
}

/**
 * `npm run bench:receipts -- --receipts 100000 [--seed 42] [--memory] [--profile]`: a fresh local stack with the
 * carrier's receipts off sends a campaign to receipts/1.1 recipients; then one final event record per message (about 5%
 * failures of several kinds), plus 10% duplicates, in a seeded shuffled order, go through the receipts queue one
 * record per message as SNS delivers them. Measures receipts per second and DynamoDB write units per receipt during
 * the replay, and whether the campaign's counters equal both a recount of its ledger and what was replayed.
 */
async function main() {
  const total = Math.round(numericFlag('receipts', 100_000));
  const seed = Math.round(numericFlag('seed', 42));
  const recipients = Math.max(1, Math.round(total / (1 + DUPLICATE_SHARE)));
  const duplicateCount = total - recipients;
  const random = seededRandom(seed);

  process.env.SIM_RECEIPTS = 'off';
  const bench = await startBenchStack('bench-receipts', process.argv.includes('--memory'), {
    carrier: { mps: 1_000_000, receipts: false },
    sendConcurrency: 8,
  });
  const watched = watchDocumentClient();
  try {
    const zone = afternoonZone(new Date());
    await bench.call('PATCH', '/v1/settings', {
      businessName: 'Acme Realty',
      mps: 3_000, // the highest a number allows (the simulated number is registered at it)
      sendWindow: { start: '08:00', end: '21:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] },
      frequencyCap: { maxMessages: 100, perHours: 1 },
    });
    const contacts = Array.from({ length: recipients }, (_, i) => ({
      phone: `+447700${String(100000 + i).padStart(6, '0')}`,
      firstName: `Guest${i}`,
      timeZone: zone,
      smsConsent: 'opted_in' as const,
      tags: ['Receipts'],
    }));
    console.log(`loading ${recipients} opted-in contacts (zone ${zone})...`);
    const importStarted = performance.now();
    let lastImportReport = 0;
    await bench.importContacts(contacts, (done) => {
      if (performance.now() - lastImportReport > 5000 || done === recipients) {
        console.log(`  ${done}/${recipients} imported`);
        lastImportReport = performance.now();
      }
    });
    console.log(`imported in ${round((performance.now() - importStarted) / 1000)} s`);

    const campaign = await bench.call<{ id: string }>('POST', '/v1/campaigns', {
      name: 'Bench receipts',
      audience: { tags: { any: ['Receipts'] } },
      body: 'Hi {{contact.first_name}}, Acme Realty: our open house is this Saturday 10-2. See you there!',
    });
    const { queue, carrier } = bench.stack.messaging;
    const acceptedBefore = carrier.stats().accepted;
    const sendStarted = performance.now();
    await bench.call('POST', `/v1/campaigns/${campaign.id}/send`);
    console.log('sending (receipts off)...');
    let lastReport = 0;
    for (;;) {
      const done = carrier.stats().accepted - acceptedBefore;
      if (done >= recipients) break;
      if (performance.now() - lastReport > 5000) {
        console.log(`  ${done}/${recipients} handed to the carrier`);
        lastReport = performance.now();
      }
      if (performance.now() - sendStarted > 30 * 60_000) throw new Error('the campaign did not send in 30 minutes');
      await sleep(200);
    }
    for (;;) {
      const state = await bench.call<{ status: string; counts: { sent: number } }>(
        'GET',
        `/v1/campaigns/${campaign.id}`,
      );
      if (state.status === 'sent' && state.counts.sent === recipients) break;
      if (performance.now() - sendStarted > 35 * 60_000) {
        throw new Error(`the campaign did not close: ${state.status}, ${state.counts.sent} sent`);
      }
      await sleep(500);
    }
    // The recount queued when the campaign closed, and contact events, run before the replay is metered.
    await queue.drain('launch');
    await queue.drain('send');
    console.log(`sent ${recipients} in ${round((performance.now() - sendStarted) / 1000)} s`);

    // One final record per message, as the configuration set would have published it.
    const messages = carrier
      .outbox({ limit: Number.MAX_SAFE_INTEGER })
      .filter((m) => m.context.campaignId === campaign.id);
    const perContact = new Map<string, OutboxRecord>();
    let outboxDuplicates = 0;
    for (const m of messages) {
      if (perContact.has(m.context.contactId as string)) outboxDuplicates++;
      else perContact.set(m.context.contactId as string, m);
    }
    if (messages.length !== recipients || outboxDuplicates > 0) {
      console.log(`warning: the outbox holds ${messages.length} messages for ${recipients} recipients`);
    }
    const templates = new Map<string, EventRecord>(
      ['TEXT_DELIVERED', ...FAILURES.map((f) => f.eventType)].map((type) => [type, fixture(type)]),
    );
    const countryOf = (phone: string) => {
      const parsed = parsePhoneNumber(phone, 'US');
      return parsed.ok ? (parsed.country ?? 'US') : 'US';
    };
    const expected: Figures = { sent: recipients, delivered: 0, failed: 0, failedByReason: {} };
    const unique: EventRecord[] = [];
    for (const m of perContact.values()) {
      let pick = random();
      const failure = FAILURES.find((f) => {
        pick -= f.share;
        return pick < 0;
      });
      const eventType = failure?.eventType ?? 'TEXT_DELIVERED';
      if (failure) {
        expected.failed++;
        expected.failedByReason[failure.reason] = (expected.failedByReason[failure.reason] ?? 0) + 1;
      } else {
        expected.delivered++;
      }
      const requestedAt = Date.parse(m.acceptedAt);
      const parts = Math.max(1, m.segments);
      const destinationCountry = countryOf(m.to);
      unique.push({
        ...templates.get(eventType),
        eventTimestamp: requestedAt + 200 + Math.floor(random() * 5000),
        isFinal: true,
        originationPhoneNumber: m.from,
        destinationPhoneNumber: m.to,
        isoCountryCode: destinationCountry,
        isInternationalSend: countryOf(m.from) !== destinationCountry,
        messageId: m.messageId,
        messageRequestTimestamp: requestedAt,
        messageType: 'PROMOTIONAL',
        context: { ...m.context },
        totalMessageParts: parts,
        totalMessagePrice: usd(PRICE_PER_PART_USD * parts),
        totalCarrierFee: failure ? 0 : usd(CARRIER_FEE_PER_PART_USD * parts),
      });
    }
    // Redeliveries are the very same notification again; which messages get one is seeded too.
    const duplicates = shuffle([...unique], random)
      .slice(0, duplicateCount)
      .map((record) => structuredClone(record));
    const replay = shuffle([...unique, ...duplicates], random);
    console.log(
      `replaying ${replay.length} receipts (${unique.length} messages: ${expected.delivered} delivered, ` +
        `${expected.failed} failed ${JSON.stringify(expected.failedByReason)}; ${duplicates.length} duplicates; seed ${seed})`,
    );

    const meter = new CapacityMeter();
    const refusedBefore = watched.refused;
    const queueBefore = queue.stats('receipts');
    const functionsBefore = bench.stack.messaging.functionStats();
    CapacityMeter.active = meter;
    const started = performance.now();
    const progress = setInterval(() => {
      const s = queue.stats('receipts');
      console.log(
        `  ${s.deleted - queueBefore.deleted}/${replay.length} receipts processed ` +
          `(${s.visible} waiting, ${s.inFlight} in flight, ${round((performance.now() - started) / 1000, 1)} s)`,
      );
    }, 2000);
    let receiptsMs: number;
    let drainedMs: number;
    try {
      // One SNS notification per record, enqueued as the topic's subscription would, in SendMessageBatch-sized calls.
      for (let i = 0; i < replay.length; i += 1000) {
        await queue.sendMessages(
          'receipts',
          replay.slice(i, i + 1000).map((record) => ({ body: record })),
        );
        await new Promise((resolve) => setImmediate(resolve));
      }
      const enqueuedMs = performance.now() - started;
      await queue.drain('receipts');
      receiptsMs = performance.now() - started;
      // What the receipts set off: the recount of the settled campaign, suppressions' contact events.
      await queue.drain('launch');
      await queue.drain('events');
      drainedMs = performance.now() - started;
      console.log(
        `enqueued in ${round(enqueuedMs / 1000)} s, receipts queue drained after ${round(receiptsMs / 1000)} s, ` +
          `follow-up work done after ${round(drainedMs / 1000)} s`,
      );
    } finally {
      clearInterval(progress);
      CapacityMeter.active = undefined;
    }
    // A refused write's promise settles just after the call; let the last ones be counted.
    await sleep(50);
    const refused = watched.refused - refusedBefore;
    const queueAfter = queue.stats('receipts');
    const functionsAfter = bench.stack.messaging.functionStats();
    const receiptsFn = functionsAfter['sms-receipts'] ?? { invocations: 0, durationMs: 0 };
    const receiptsFnBefore = functionsBefore['sms-receipts'] ?? { invocations: 0, durationMs: 0 };
    const invocations = receiptsFn.invocations - receiptsFnBefore.invocations;
    const fnSeconds = (receiptsFn.durationMs - receiptsFnBefore.durationMs) / 1000;
    const deadLettered = queue.deadLetters('receipts').length;
    const redeliveries = queueAfter.received - queueBefore.received - (queueAfter.sent - queueBefore.sent);
    console.log(
      `sms-receipts: ${invocations} invocations, ${round(fnSeconds)} s of function time ` +
        `(${round((fnSeconds * 1000) / Math.max(1, invocations))} ms each); ${redeliveries} redeliveries, ` +
        `${deadLettered} dead-lettered; DynamoDB: ${meter.requests} metered calls, ${round(meter.writeUnits)} WCU, ` +
        `${round(meter.readUnits)} RCU, ${refused} writes refused on their condition`,
    );

    if (process.argv.includes('--profile')) {
      const replaySeconds = receiptsMs / 1000;
      console.log('DynamoDB calls during the replay (calls, mean round trip, share of the replay spent waiting):');
      for (const [name, p] of Object.entries(watched.profile).sort(([, a], [, b]) => b.ms - a.ms)) {
        console.log(
          `  ${name}: ${p.calls} calls, ${round(p.ms / p.calls)} ms mean, ${round(p.ms / 1000)} s summed ` +
            `(${round(p.ms / 1000 / replaySeconds, 2)}x the replay time)`,
        );
      }
    }

    // Exact: the counters, a recount of the ledger and what was replayed must all agree.
    const results = await bench.call<Figures & { pending: number; status: string }>(
      'GET',
      `/v1/campaigns/${campaign.id}/results`,
    );
    const ledger: Figures = { sent: 0, delivered: 0, failed: 0, failedByReason: {} };
    const statuses: Record<string, number> = {};
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: { items: { status: string; reason?: string }[]; nextCursor: string | null } = await bench.call(
        'GET',
        `/v1/campaigns/${campaign.id}/messages?limit=500${query}`,
      );
      for (const entry of page.items) {
        statuses[entry.status] = (statuses[entry.status] ?? 0) + 1;
        if (entry.status === 'sent' || entry.status === 'delivered' || entry.status === 'failed') ledger.sent++;
        if (entry.status === 'delivered') ledger.delivered++;
        if (entry.status === 'failed') {
          ledger.failed++;
          const reason = entry.reason ?? 'unknown';
          ledger.failedByReason[reason] = (ledger.failedByReason[reason] ?? 0) + 1;
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    const pick = (f: Figures): Figures => ({
      sent: f.sent,
      delivered: f.delivered,
      failed: f.failed,
      failedByReason: f.failedByReason,
    });
    console.log(`counters: ${JSON.stringify({ ...pick(results), pending: results.pending })}`);
    console.log(`ledger:   ${JSON.stringify(ledger)} statuses ${JSON.stringify(statuses)}`);
    console.log(`replayed: ${JSON.stringify(expected)}`);
    console.log('measuring the dynalite floor (one conditional update per receipt, no application code)...');
    const floor = await measureDynamoFloor(
      bench.stack.dynamo.endpoint,
      bench.stack.dynamo.tableNames.campaigns,
      Math.min(replay.length, 20_000),
    );
    const exact =
      sameFigures(results, ledger) && sameFigures(ledger, expected) && results.pending === 0 && outboxDuplicates === 0;

    console.log(
      JSON.stringify({
        bench: 'receipts',
        receipts: replay.length,
        receiptsPerSecond: Math.round(replay.length / (receiptsMs / 1000)),
        floorUpdatesPerSecond: floor.conditionalUpdatesPerSecond,
        ratioToFloor: round(replay.length / (receiptsMs / 1000) / floor.conditionalUpdatesPerSecond, 3),
        wcuPerReceipt: round((meter.writeUnits + refused) / replay.length, 3),
        exact,
        rcuPerReceipt: round(meter.readUnits / replay.length, 3),
        meteredWcuPerReceipt: round(meter.writeUnits / replay.length, 3),
        refusedConditionalWrites: refused,
        messages: unique.length,
        duplicates: duplicates.length,
        replaySeconds: round(receiptsMs / 1000),
        withFollowUpSeconds: round(drainedMs / 1000),
      }),
    );
  } finally {
    CapacityMeter.active = undefined;
    watched.restore();
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
