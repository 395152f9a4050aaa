import fc from 'fast-check';
import { emptyCounts } from '../../../shared/domain/campaigns/campaign.schema';
import type { LedgerEntry, LedgerStatus } from '../../../shared/domain/campaigns/ledger.schema';
import {
  addInto,
  type CountDeltas,
  contribution,
  countLedger,
  ledgerDelta,
  mergeDeltas,
  sameCounts,
} from '../../../shared/domain/campaigns/ledger-counts';

const QUEUED_AT = '2026-11-26T17:00:00.000Z';

function entry(fields: Partial<LedgerEntry> = {}): LedgerEntry {
  return { campaignId: 'c1', contactId: 'k1', phone: '+13125550000', status: 'queued', queuedAt: QUEUED_AT, ...fields };
}

describe('contribution', () => {
  it('a sent entry with a cost adds it to spend and to the UTC month it was sent in, not the month it was queued', () => {
    // Arrange: queued in November, sent at the first minute of December (UTC)
    const sent = entry({
      status: 'sent',
      messageId: 'm1',
      segments: 1,
      cost: 0.0088,
      sentAt: '2026-12-01T00:00:30.000Z',
    });

    // Act
    const result = contribution(sent);

    // Assert
    expect(result.spend).toBe(0.0088);
    expect(result.spendByMonth).toEqual({ '2026-12': 0.0088 });
  });

  it('spend by month cancels out exactly when an entry changes and back (no float crumbs left)', () => {
    // Arrange
    const before = entry({ status: 'sent', messageId: 'm1', cost: 0.00883 * 3, sentAt: '2026-12-01T00:00:30.000Z' });
    const after = { ...before, status: 'delivered' as const };

    // Act
    const delta = mergeDeltas(ledgerDelta(before, after), ledgerDelta(after, before));

    // Assert
    expect(delta).toEqual({});
  });

  it.each<[LedgerStatus, CountDeltas]>([
    ['queued', { audience: 1, queued: 1 }],
    ['deferred', { audience: 1, queued: 1 }],
    ['sending', { audience: 1, queued: 1 }],
    ['unknown', { audience: 1, unknown: 1 }],
    ['cancelled', { audience: 1, cancelled: 1 }],
  ])('a %s entry without a carrier id counts as %j', (status, expected) => {
    // Act
    const result = contribution(entry({ status }));

    // Assert
    expect(result).toEqual(expected);
  });

  it('a sent entry counts as sent only once it carries the carrier message id', () => {
    // Arrange
    const withoutId = entry({ status: 'sent', segments: 2 });
    const withId = entry({ status: 'sent', segments: 2, messageId: 'm1' });

    // Act
    const a = contribution(withoutId);
    const b = contribution(withId);

    // Assert
    expect(a).toEqual({ audience: 1 });
    expect(b).toEqual({ audience: 1, sent: 1, segments: 2 });
  });

  it('a delivered entry is sent and delivered, with its segments and price', () => {
    // Act
    const result = contribution(entry({ status: 'delivered', messageId: 'm1', segments: 3, priceUsd: 0.00883 }));

    // Assert
    expect(result).toEqual({ audience: 1, sent: 1, segments: 3, delivered: 1, priceUsd: 0.00883 });
  });

  it.each(['invalidNumber', 'carrierUnreachable', 'spam'])(
    'a failed entry is counted under its reason %s',
    (reason) => {
      // Act
      const result = contribution(entry({ status: 'failed', messageId: 'm1', segments: 1, reason }));

      // Assert
      expect(result).toEqual({ audience: 1, sent: 1, segments: 1, failed: 1, failedByReason: { [reason]: 1 } });
    },
  );

  it('a failed entry without a reason is counted as unknown', () => {
    // Act
    const result = contribution(entry({ status: 'failed', messageId: 'm1' }));

    // Assert
    expect(result.failedByReason).toEqual({ unknown: 1 });
  });

  it.each(['optedOut', 'noConsent', 'invalidPhone', 'frequencyCapped'])(
    'a skipped entry counts under skipped.%s',
    (reason) => {
      // Act
      const result = contribution(entry({ status: 'skipped', reason }));

      // Assert
      expect(result).toEqual({ audience: 1, skipped: { [reason]: 1 } });
    },
  );

  it('a window deferral counts once as quietHoursDeferred, whatever the status became', () => {
    // Arrange
    const deferred = entry({ status: 'deferred', windowDeferred: true });
    const delivered = entry({ status: 'delivered', messageId: 'm1', windowDeferred: true });
    const skipped = entry({ status: 'skipped', reason: 'optedOut', windowDeferred: true });

    // Act
    const results = [deferred, delivered, skipped].map(contribution);

    // Assert
    expect(results.map((r) => r.skipped?.quietHoursDeferred)).toEqual([1, 1, 1]);
    expect(results[2]?.skipped).toEqual({ optedOut: 1, quietHoursDeferred: 1 });
    expect(countLedger([deferred, delivered, skipped]).skipped.quietHoursDeferred).toBe(3);
  });

  it('a reply and an opt-out count once each on their entry', () => {
    // Act
    const result = contribution(
      entry({ status: 'delivered', messageId: 'm1', repliedAt: QUEUED_AT, optedOutAt: QUEUED_AT }),
    );

    // Assert
    expect(result).toMatchObject({ replies: 1, optOuts: 1 });
  });
});

describe('ledgerDelta', () => {
  it('of a new entry is its contribution', () => {
    // Arrange
    const created = entry({ status: 'queued' });

    // Act
    const delta = ledgerDelta(undefined, created);

    // Assert
    expect(delta).toEqual({ audience: 1, queued: 1 });
  });

  it('from sending to sent moves one recipient from queued to sent', () => {
    // Arrange
    const before = entry({ status: 'sending' });
    const after = entry({ status: 'sent', messageId: 'm1', segments: 2 });

    // Act
    const delta = ledgerDelta(before, after);

    // Assert
    expect(delta).toEqual({ queued: -1, sent: 1, segments: 2 });
  });

  it('a later final that overrules delivered with a failure moves the recipient between the counters', () => {
    // Arrange
    const before = entry({ status: 'delivered', messageId: 'm1', segments: 1, priceUsd: 0.01 });
    const after = entry({ status: 'failed', messageId: 'm1', segments: 1, reason: 'spam', priceUsd: 0.004 });

    // Act
    const delta = ledgerDelta(before, after);

    // Assert
    expect(delta).toEqual({ delivered: -1, failed: 1, failedByReason: { spam: 1 }, priceUsd: -0.006 });
  });

  it('an unchanged entry (a duplicate) changes nothing', () => {
    // Arrange
    const same = entry({ status: 'delivered', messageId: 'm1', repliedAt: QUEUED_AT, priceUsd: 0.1 });

    // Act
    const delta = ledgerDelta(same, { ...same });

    // Assert
    expect(delta).toEqual({});
  });

  it('recording a reply adds exactly one reply', () => {
    // Arrange
    const before = entry({ status: 'delivered', messageId: 'm1' });

    // Act
    const delta = ledgerDelta(before, { ...before, repliedAt: QUEUED_AT, replyText: 'yes' });

    // Assert
    expect(delta).toEqual({ replies: 1 });
  });
});

describe('mergeDeltas and sameCounts', () => {
  it('drops counters that come to zero, nested ones too', () => {
    // Act
    const merged = mergeDeltas({ sent: 1, failedByReason: { spam: 1 } }, { sent: 1, failedByReason: { spam: 1 } }, -1);

    // Assert
    expect(merged).toEqual({});
  });

  it('sameCounts ignores float noise in prices and tells different counters apart', () => {
    // Arrange
    const a = addInto(addInto(emptyCounts(), { priceUsd: 0.1 }), { priceUsd: 0.2 });
    const b = addInto(emptyCounts(), { priceUsd: 0.3 });
    const c = addInto(emptyCounts(), { priceUsd: 0.3, delivered: 1 });

    // Act / Assert
    expect(sameCounts(a, b)).toBe(true);
    expect(sameCounts(b, c)).toBe(false);
  });
});

const STATUSES: LedgerStatus[] = [
  'queued',
  'deferred',
  'sending',
  'sent',
  'unknown',
  'delivered',
  'failed',
  'skipped',
  'cancelled',
];
const REASONS = ['optedOut', 'noConsent', 'invalidPhone', 'frequencyCapped', 'invalidNumber', 'spam', 'unknown'];
const AT = fc.constantFrom('2026-11-26T17:00:00.000Z', '2026-11-27T09:30:00.000Z');

/** Any state a ledger entry can be in (deliberately including combinations the writers never produce). */
const entryArb: fc.Arbitrary<LedgerEntry> = fc
  .record(
    {
      status: fc.constantFrom(...STATUSES),
      reason: fc.constantFrom(...REASONS),
      messageId: fc.constantFrom('m1', 'm2'),
      segments: fc.integer({ min: 1, max: 5 }),
      repliedAt: AT,
      optedOutAt: AT,
      windowDeferred: fc.boolean(),
      priceUsd: fc.constantFrom(0.00581, 0.00883, 0.01162, 0.1),
    },
    { requiredKeys: ['status'] },
  )
  .map((fields) => entry(fields));

describe('ledger counting properties', () => {
  it('summing ledgerDelta over any sequence of states of an entry equals the contribution of its last state', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 12 }), (states) => {
        // Arrange
        const summed: CountDeltas = {};

        // Act
        states.forEach((state, i) => {
          mergeDeltas(summed, ledgerDelta(i === 0 ? undefined : states[i - 1], state));
        });

        // Assert
        const last = states[states.length - 1] as LedgerEntry;
        expect(mergeDeltas({ ...summed }, contribution(last), -1)).toEqual({});
        expect(sameCounts(addInto(emptyCounts(), summed), countLedger([last]))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('countLedger equals the summed contributions of its entries', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 30 }), (entries) => {
        // Arrange
        const summed: CountDeltas = {};
        for (const e of entries) mergeDeltas(summed, contribution(e));

        // Act
        const counts = countLedger(entries);

        // Assert
        expect(sameCounts(counts, addInto(emptyCounts(), summed))).toBe(true);
        expect(counts.audience).toBe(entries.length);
        expect(Object.values(counts.failedByReason).reduce((a, b) => a + b, 0)).toBe(counts.failed);
      }),
      { numRuns: 300 },
    );
  });

  it('many writers each adding their own deltas reach the recount, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(entryArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 1000 }),
        (histories, seed) => {
          // Arrange: each entry's history is split into per-writer deltas
          const writerDeltas = histories.flatMap((states) =>
            states.map((state, i) => ledgerDelta(i === 0 ? undefined : states[i - 1], state)),
          );
          const order = writerDeltas
            .map((_, i) => i)
            .sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));

          // Act
          const live = emptyCounts();
          for (const i of order) addInto(live, writerDeltas[i] as CountDeltas);

          // Assert
          const lasts = histories.map((states) => states[states.length - 1] as LedgerEntry);
          expect(sameCounts(live, countLedger(lasts))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
