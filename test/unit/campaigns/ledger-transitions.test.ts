import fc from 'fast-check';
import { followUpDelaySeconds } from '../../../shared/app/campaigns/send-batch.use-case';
import type { LedgerEntry, LedgerStatus } from '../../../shared/domain/campaigns/ledger.schema';
import {
  type CountDeltas,
  contribution,
  ledgerDelta,
  mergeDeltas,
} from '../../../shared/domain/campaigns/ledger-counts';
import {
  applyMove,
  isCampaignComplete,
  type LedgerMove,
  MOVES_FROM,
  MOVES_TO,
} from '../../../shared/domain/campaigns/ledger-transitions';

const queued: LedgerEntry = {
  campaignId: 'c1',
  contactId: 'k1',
  phone: '+18552000001',
  status: 'queued',
  queuedAt: '2026-03-04T19:00:00.000Z',
};

/** Any move with any of its allowed ends, and the fields its writer sets. */
const moveArb: fc.Arbitrary<{ move: LedgerMove; to: LedgerStatus; fields: Partial<LedgerEntry> }> = fc
  .constantFrom(...(Object.keys(MOVES_TO) as LedgerMove[]))
  .chain((move) =>
    fc.record({
      move: fc.constant(move),
      to: fc.constantFrom(...MOVES_TO[move]),
      rank: fc.integer({ min: 1, max: 9 }),
    }),
  )
  .map(({ move, to, rank }) => {
    const fields: Partial<LedgerEntry> = {};
    if (move === 'finalReceipt' || move === 'progressReceipt' || (move === 'handOver' && to === 'sent')) {
      fields.messageId = 'm1';
    }
    if (move === 'finalReceipt') fields.finalRank = `r${rank}`;
    if (to === 'failed') fields.reason = 'blocked';
    return { move, to, fields };
  });

/** Applies moves as the store would, counting each accepted one as the writers do. */
function run(moves: { move: LedgerMove; to: LedgerStatus; fields: Partial<LedgerEntry> }[]) {
  let entry = queued;
  const counted: CountDeltas = mergeDeltas({}, contribution(queued));
  let handedOver = 0;
  for (const { move, to, fields } of moves) {
    const after = applyMove(entry, move, to, fields);
    if (!after) continue;
    if (move === 'handOver' && (to === 'sent' || to === 'unknown')) handedOver++;
    mergeDeltas(counted, ledgerDelta(entry, after));
    entry = after;
  }
  return { entry, counted, handedOver };
}

describe('the ledger state machine', () => {
  it('every move starts only from its statuses and ends only in its own', () => {
    fc.assert(
      fc.property(
        moveArb,
        fc.constantFrom<LedgerStatus>(...(Object.values(MOVES_FROM).flat() as LedgerStatus[])),
        (m, status) => {
          const after = applyMove({ ...queued, status }, m.move, m.to, m.fields);
          if (after) expect(MOVES_TO[m.move]).toContain(after.status);
          if (!MOVES_FROM[m.move].includes(status) && m.move !== 'finalReceipt') expect(after).toBeUndefined();
        },
      ),
    );
  });

  it('any sequence of moves, duplicated and reordered, keeps the counted changes equal to the final entry', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { maxLength: 40 }), (moves) => {
        const { entry, counted } = run(moves);
        expect(counted).toEqual(mergeDeltas({}, contribution(entry)));
      }),
      { numRuns: 2000 },
    );
  });

  it('a recipient is handed to the carrier at most once, whatever arrives twice or out of order', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { maxLength: 40 }), (moves) => {
        expect(run(moves).handedOver).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('final receipts in any order and with duplicates settle on the highest-ranked one', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.boolean(),
        (ranks, delivered, twice) => {
          const receipts = ranks.map((rank, i) => ({
            move: 'finalReceipt' as const,
            to: (delivered[i] ? 'delivered' : 'failed') as LedgerStatus,
            fields: { messageId: 'm1', finalRank: `r${rank}`, ...(delivered[i] ? {} : { reason: 'blocked' }) },
          }));
          const sent = { move: 'handOver' as const, to: 'sent' as LedgerStatus, fields: { messageId: 'm1' } };
          const claim = { move: 'claim' as const, to: 'sending' as LedgerStatus, fields: {} };
          const ordered = [claim, sent, ...(twice ? [...receipts, ...receipts.slice().reverse()] : receipts)];
          const best = ranks.indexOf(Math.max(...ranks));
          const { entry } = run(ordered);
          expect(entry.status).toBe(delivered[best] ? 'delivered' : 'failed');
          expect(entry.finalRank).toBe(`r${ranks[best]}`);
        },
      ),
    );
  });

  it('a campaign completes only when its launch is done and nobody waits', () => {
    expect(isCampaignComplete({ launchDone: false, counts: { queued: 0 } })).toBe(false);
    expect(isCampaignComplete({ launchDone: true, counts: { queued: 3 } })).toBe(false);
    expect(isCampaignComplete({ launchDone: true, counts: { queued: 0 } })).toBe(true);
    // A paused campaign is never complete, even with nobody waiting (issue 16): it completes once resumed.
    expect(isCampaignComplete({ launchDone: true, counts: { queued: 0 }, status: 'paused' })).toBe(false);
    expect(isCampaignComplete({ launchDone: true, counts: { queued: 0 }, status: 'sending' })).toBe(true);
  });
});

describe('followUpDelaySeconds', () => {
  it('waits up to 15 minutes a hop and ends with one hop that lands at or just after the opening', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5_000, max: 48 * 3_600_000 }), (waitMs) => {
        let left = waitMs;
        let hops = 0;
        while (left > 0) {
          const delay = followUpDelaySeconds(left);
          expect(delay).toBeGreaterThanOrEqual(1);
          expect(delay).toBeLessThanOrEqual(900);
          left -= delay * 1000;
          hops++;
          // A hop that ends before the opening leaves at least a minute.
          if (left > 0) expect(left).toBeGreaterThanOrEqual(60_000);
        }
        // The last hop lands at the opening or less than a second after it.
        if (waitMs > 0) expect(left).toBeGreaterThan(-1000);
        expect(hops).toBeLessThanOrEqual(Math.ceil(waitMs / 840_000) + 1);
      }),
    );
  });
});
