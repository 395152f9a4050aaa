import {
  BREAKER,
  bucketOf,
  emptyTally,
  type FilteringTally,
  filteringEvidence,
  isFilteringReason,
  judgeFiltering,
  judgeScope,
  sumBuckets,
} from '../../../shared/domain/campaigns/carrier-filtering';

const tally = (settled: number, filtered: number): FilteringTally => ({
  settled,
  filtered,
  byCategory: filtered > 0 ? { spam: filtered } : {},
  sampleErrors: filtered > 0 ? ['TEXT_SPAM'] : [],
});

describe('the carrier-filtering breaker', () => {
  it('counts blocks, spam and unreachable as filtering, not invalid numbers or expired messages', () => {
    expect(['blocked', 'carrierBlocked', 'spam', 'unreachable', 'carrierUnreachable'].every(isFilteringReason)).toBe(
      true,
    );
    expect(['invalidNumber', 'ttlExpired', 'invalidMessage', 'unknown', undefined].some(isFilteringReason)).toBe(false);
  });

  it('needs at least 200 settled messages, however bad the share', () => {
    expect(judgeFiltering(tally(199, 100), null).trip).toBe(false);
    expect(judgeFiltering(tally(200, 100), null).trip).toBe(true);
  });

  it('trips over 5%, not at it', () => {
    expect(judgeFiltering(tally(200, 10), null)).toMatchObject({ trip: false, threshold: 0.05 });
    expect(judgeFiltering(tally(200, 11), null)).toMatchObject({ trip: true, rate: 0.055 });
  });

  it('trips at 3x a trusted tenant baseline when that is lower, never under 1%', () => {
    const lowBaseline = { settled: 10_000, filtered: 50 }; // 0.5%: 3x is 1.5%
    expect(judgeFiltering(tally(200, 4), lowBaseline)).toMatchObject({ trip: true, threshold: 0.015 });
    expect(judgeFiltering(tally(200, 3), lowBaseline).trip).toBe(false);
    // A baseline from too few messages is not trusted: 5% applies.
    expect(judgeFiltering(tally(200, 4), { settled: BREAKER.baselineMinSettled - 1, filtered: 0 }).trip).toBe(false);
    // A perfect history does not make one failure a trip: the floor is 1%.
    expect(judgeFiltering(tally(200, 2), { settled: 50_000, filtered: 0 })).toMatchObject({
      trip: false,
      threshold: 0.01,
    });
    expect(judgeFiltering(tally(200, 3), { settled: 50_000, filtered: 0 }).trip).toBe(true);
  });

  it('judges a sliding window: minutes before it (or before a resume) do not count', () => {
    const now = Date.parse('2026-03-04T19:00:00.000Z');
    const buckets = {
      [bucketOf(now - 40 * 60_000)]: tally(500, 400),
      [bucketOf(now - 10 * 60_000)]: tally(150, 3),
      [bucketOf(now)]: tally(100, 2),
    };
    const window = sumBuckets(buckets, now - BREAKER.windowMs);
    expect(window).toMatchObject({ settled: 250, filtered: 5, byCategory: { spam: 5 } });
    expect(judgeFiltering(window, null).trip).toBe(false);
    // After a resume five minutes ago only the last minute counts: too few to judge.
    expect(sumBuckets(buckets, now - 5 * 60_000).settled).toBe(100);
    expect(sumBuckets({}, 0)).toEqual(emptyTally());
  });

  it('leaves evidence a person can act on', () => {
    const window = tally(300, 90);
    const evidence = filteringEvidence(window, judgeFiltering(window, null));
    expect(evidence).toMatchObject({ settled: 300, filtered: 90, filteredRate: 0.3, byCategory: { spam: 90 } });
    expect(evidence.sampleErrors).toEqual(['TEXT_SPAM']);
    expect(evidence.message).toContain('30%');
    expect(evidence.message).toContain('the campaign paused itself');
    expect(filteringEvidence(window, judgeFiltering(window, null), 'workflow').message).toContain(
      'the workflow paused itself',
    );
  });

  it('judges a scope against the tenant baseline without the scope itself', () => {
    const now = Date.UTC(2026, 2, 4, 19);
    // The scope: 4% filtered of 200. The tenant elsewhere: 0.5% of 2,000, so 3x that floors at 1%: a trip.
    const stats = {
      buckets: { [bucketOf(now)]: tally(200, 8) },
      scope: { settled: 200, filtered: 8 },
      tenant: { settled: 2_200, filtered: 18 },
    };
    const { window, judgement } = judgeScope(stats, now - BREAKER.windowMs);
    expect(window).toMatchObject({ settled: 200, filtered: 8 });
    expect(judgement).toMatchObject({ trip: true, threshold: 0.015 });
  });
});
