import fc from 'fast-check';
import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { recordReceipts } from '../../../shared/app/receipts/record-receipts.use-case';
import type { CampaignCounts } from '../../../shared/domain/campaigns/campaign.schema';
import type { LedgerEntry } from '../../../shared/domain/campaigns/ledger.schema';
import { countLedger } from '../../../shared/domain/campaigns/ledger-counts';
import { type SmsEventRecord, smsEventRecordSchema } from '../../../shared/domain/receipts/sms-event.schema';
import deliveredFixture from '../../fixtures/events/sms-event-text-delivered.json';
import pendingFixture from '../../fixtures/events/sms-event-text-pending.json';
import queuedFixture from '../../fixtures/events/sms-event-text-queued.json';
import {
  type CampaignHarness,
  chicagoPhone,
  ledgerOf,
  OPEN_WINDOW,
  runLaunches,
  runSendsUntilEmpty,
  seedTenant,
  startCampaignHarness,
} from '../campaigns/campaign-harness';

const RECIPIENTS = 3;
const FINAL_TYPES = [
  'TEXT_DELIVERED',
  'TEXT_SUCCESSFUL',
  'TEXT_INVALID',
  'TEXT_BLOCKED',
  'TEXT_CARRIER_UNREACHABLE',
  'TEXT_SPAM',
  'TEXT_TTL_EXPIRED',
  'TEXT_UNKNOWN',
] as const;

/** One event of a recipient's message, abstractly (the message id and context are filled in per campaign). */
interface EventSpec {
  recipient: number;
  type: 'TEXT_QUEUED' | 'TEXT_PENDING' | (typeof FINAL_TYPES)[number];
  /** Milliseconds after the send. */
  offsetMs: number;
  /** Parts of a cent: each final carries its own price, so the winner's price must be the one kept. */
  priceMills: number;
}

interface Scenario {
  events: EventSpec[];
  /** Each event delivered this many times (1 to 3), in a shuffled order. */
  copies: number[];
  /** A sort key per delivery (the permutation). */
  order: number[];
  /** Sizes of the recordReceipts batches the deliveries are cut into. */
  cuts: number[];
}

const recipientEventsArb = (recipient: number): fc.Arbitrary<EventSpec[]> =>
  fc
    .record({
      queued: fc.boolean(),
      pending: fc.boolean(),
      first: fc.record({
        type: fc.constantFrom(...FINAL_TYPES),
        offsetMs: fc.integer({ min: 1_000, max: 5_000 }),
        priceMills: fc.integer({ min: 1, max: 90 }),
      }),
      second: fc.option(
        fc.record({
          type: fc.constantFrom(...FINAL_TYPES),
          offsetMs: fc.integer({ min: 5_001, max: 9_000 }),
          priceMills: fc.integer({ min: 1, max: 90 }),
        }),
        { freq: 2 },
      ),
    })
    .map(({ queued, pending, first, second }) => [
      ...(queued ? [{ recipient, type: 'TEXT_QUEUED' as const, offsetMs: 100, priceMills: 5 }] : []),
      ...(pending ? [{ recipient, type: 'TEXT_PENDING' as const, offsetMs: 200, priceMills: 5 }] : []),
      { recipient, ...first },
      // A conflicting final: another type at another time (the later event time wins).
      ...(second && second.type !== first.type ? [{ recipient, ...second }] : []),
    ]);

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .tuple(...Array.from({ length: RECIPIENTS }, (_, i) => recipientEventsArb(i)))
  .map((perRecipient) => perRecipient.flat())
  .chain((events) =>
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: events.length, maxLength: events.length }).chain((copies) => {
      const deliveries = copies.reduce((a, b) => a + b, 0);
      return fc.record({
        events: fc.constant(events),
        copies: fc.constant(copies),
        order: fc.array(fc.integer(), { minLength: deliveries, maxLength: deliveries }),
        cuts: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: deliveries }),
      });
    }),
  );

let h: CampaignHarness;
let numbers = 0;

beforeAll(async () => {
  h = await startCampaignHarness();
});

afterAll(async () => h.stop());

interface SentCampaign {
  tenantId: string;
  campaignId: string;
  /** Per recipient index: the ledger's contact id and the carrier's message id. */
  sends: { contactId: string; messageId: string; sentAt: number }[];
}

/** A fresh tenant (state reset per run) with two identical campaigns sent: one gets the chaos, one the canonical order. */
async function twoSentCampaigns(): Promise<[SentCampaign, SentCampaign]> {
  const tenantId = h.newTenant('perm');
  h.queue.held.length = 0;
  const specs = ['chaos', 'canon'].flatMap((tag) =>
    Array.from({ length: RECIPIENTS }, () => ({ phone: chicagoPhone(++numbers), tags: [tag] })),
  );
  await seedTenant(h, tenantId, specs, { ...OPEN_WINDOW, frequencyCap: { maxMessages: 10, perHours: 24 } });
  const ids: string[] = [];
  for (const tag of ['chaos', 'canon']) {
    const campaign = await createCampaign(
      tenantId,
      { name: tag, audience: { tags: { any: [tag] } }, body: 'Open house Saturday' },
      h.deps,
    );
    await sendCampaign(tenantId, campaign.id, h.deps);
    ids.push(campaign.id);
  }
  await runLaunches(h);
  await runSendsUntilEmpty(h);
  const campaigns: SentCampaign[] = [];
  for (const campaignId of ids) {
    const ledger = [...(await ledgerOf(h, tenantId, campaignId)).values()].sort((a, b) => (a.phone < b.phone ? -1 : 1));
    expect(ledger.map((e) => e.status)).toEqual(Array(RECIPIENTS).fill('sent'));
    campaigns.push({
      tenantId,
      campaignId,
      sends: ledger.map((e) => ({
        contactId: e.contactId,
        messageId: e.messageId as string,
        sentAt: Date.parse(e.sentAt as string),
      })),
    });
  }
  h.queue.held.length = 0;
  return campaigns as [SentCampaign, SentCampaign];
}

/** The AWS-shaped record of an event, for the given campaign's message. */
function recordOf(spec: EventSpec, campaign: SentCampaign): SmsEventRecord {
  const send = campaign.sends[spec.recipient] as SentCampaign['sends'][number];
  const fixture =
    spec.type === 'TEXT_QUEUED' ? queuedFixture : spec.type === 'TEXT_PENDING' ? pendingFixture : deliveredFixture;
  const final = spec.type !== 'TEXT_QUEUED' && spec.type !== 'TEXT_PENDING';
  return smsEventRecordSchema.parse({
    ...fixture,
    eventType: spec.type,
    isFinal: final,
    messageStatus: spec.type.replace('TEXT_', ''),
    eventTimestamp: send.sentAt + spec.offsetMs,
    messageRequestTimestamp: send.sentAt,
    messageId: send.messageId,
    totalMessagePrice: spec.priceMills / 1000,
    totalCarrierFee: 0.001,
    context: { tenantId: campaign.tenantId, campaignId: campaign.campaignId, contactId: send.contactId },
  });
}

async function record(batch: SmsEventRecord[]) {
  const summary = await recordReceipts(
    batch.map((r, i) => ({ key: String(i), record: r })),
    h.deps,
  );
  expect(summary.failedKeys).toEqual([]);
}

async function stateOf(campaign: SentCampaign): Promise<{ ledger: LedgerEntry[]; counts: CampaignCounts }> {
  const byContact = await ledgerOf(h, campaign.tenantId, campaign.campaignId);
  const ledger = campaign.sends.map((s) => byContact.get(s.contactId) as LedgerEntry);
  const counts = (await h.campaigns.getCampaign(campaign.tenantId, campaign.campaignId))?.campaign.counts;
  return { ledger, counts: counts as CampaignCounts };
}

/** What a recipient's outcome must be: the final with the latest event time, or still `sent` without one. */
function expectedOutcome(events: EventSpec[], recipient: number) {
  const finals = events
    .filter((e) => e.recipient === recipient && e.type !== 'TEXT_QUEUED' && e.type !== 'TEXT_PENDING')
    .sort((a, b) => b.offsetMs - a.offsetMs);
  const winner = finals[0];
  if (!winner) return { status: 'sent' };
  const delivered = winner.type === 'TEXT_DELIVERED' || winner.type === 'TEXT_SUCCESSFUL';
  return { status: delivered ? 'delivered' : 'failed', priceUsd: Math.round((winner.priceMills + 1) * 1e7) / 1e10 };
}

describe('receipts in any order, duplicated and batched', () => {
  it('give the same final ledger and counters as the canonical order, and the counters equal a recount', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ events, copies, order, cuts }) => {
        // Arrange
        const [chaos, canon] = await twoSentCampaigns();
        const deliveries = events
          .flatMap((spec, i) => Array.from({ length: copies[i] as number }, () => spec))
          .map((spec, i) => ({ spec, key: order[i] as number, i }))
          .sort((a, b) => a.key - b.key || a.i - b.i)
          .map(({ spec }) => recordOf(spec, chaos));
        const batches: SmsEventRecord[][] = [];
        for (let start = 0, c = 0; start < deliveries.length; c++) {
          const size = cuts[c % cuts.length] as number;
          batches.push(deliveries.slice(start, start + size));
          start += size;
        }
        const canonical = [...events].sort((a, b) => a.offsetMs - b.offsetMs).map((spec) => recordOf(spec, canon));

        // Act
        await Promise.all([
          (async () => {
            for (const batch of batches) await record(batch);
          })(),
          (async () => {
            for (const one of canonical) await record([one]);
          })(),
        ]);

        // Assert
        const got = await stateOf(chaos);
        const want = await stateOf(canon);
        // What decides the counters: the status, a failure's category and the winning final's price.
        const view = (e: LedgerEntry) => ({
          status: e.status,
          ...(e.status === 'failed' ? { reason: e.reason } : {}),
          priceUsd: e.priceUsd,
          finalRank: e.finalRank,
        });
        expect(got.ledger.map(view)).toEqual(want.ledger.map(view));
        for (let r = 0; r < RECIPIENTS; r++) {
          expect(got.ledger[r]).toMatchObject(expectedOutcome(events, r));
        }
        expect(got.counts).toEqual(want.counts);
        expect(got.counts).toEqual(countLedger(got.ledger));
        expect(want.counts).toEqual(countLedger(want.ledger));
      }),
      // A run costs a tenant and two campaigns on dynalite: keep runs modest, and report the first failure as is.
      { numRuns: 25, endOnFailure: true },
    );
    // About 30 s alone; leave room for a loaded machine running suites in parallel.
  }, 120_000);
});

describe('a later-ranked final that overrules an earlier one', () => {
  it('leaves a delivered entry without the overruled failure reason (GET /messages would show it)', async () => {
    // Arrange
    const [campaign] = await twoSentCampaigns();
    const blocked: EventSpec = { recipient: 0, type: 'TEXT_BLOCKED', offsetMs: 1_000, priceMills: 5 };
    const delivered: EventSpec = { recipient: 0, type: 'TEXT_DELIVERED', offsetMs: 2_000, priceMills: 5 };

    // Act: the failure arrives first, the later delivered record overrules it
    await record([recordOf(blocked, campaign)]);
    await record([recordOf(delivered, campaign)]);

    // Assert
    const { ledger, counts } = await stateOf(campaign);
    expect(ledger[0]?.status).toBe('delivered');
    expect(counts).toMatchObject({ delivered: 1, failed: 0 });
    expect(ledger[0]?.reason).toBeUndefined();
    expect(ledger[0]?.detail).toBeUndefined();
  });

  it('leaves a failed entry without the overruled deliveredAt', async () => {
    // Arrange
    const [campaign] = await twoSentCampaigns();
    const delivered: EventSpec = { recipient: 0, type: 'TEXT_DELIVERED', offsetMs: 1_000, priceMills: 5 };
    const spam: EventSpec = { recipient: 0, type: 'TEXT_SPAM', offsetMs: 2_000, priceMills: 5 };

    // Act
    await record([recordOf(delivered, campaign)]);
    await record([recordOf(spam, campaign)]);

    // Assert
    const { ledger, counts } = await stateOf(campaign);
    expect(ledger[0]).toMatchObject({ status: 'failed', reason: 'spam' });
    expect(counts).toMatchObject({ delivered: 0, failed: 1, failedByReason: expect.objectContaining({ spam: 1 }) });
    expect(ledger[0]?.deliveredAt).toBeUndefined();
  });
});
