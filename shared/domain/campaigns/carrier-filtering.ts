import type { FailureReason } from '../receipts/failure-reasons';
import type { PauseEvidence } from './campaign.schema';

/** The failure categories that mean carriers are filtering the sender (blocks, spam, unreachable), not bad numbers. */
export const FILTERING_REASONS: readonly FailureReason[] = [
  'blocked',
  'carrierBlocked',
  'spam',
  'unreachable',
  'carrierUnreachable',
];

export const isFilteringReason = (reason: string | undefined): boolean =>
  FILTERING_REASONS.includes(reason as FailureReason);

/** Final receipts counted in one minute: how many settled, how many of them by filtering category, sample errors. */
export interface FilteringTally {
  settled: number;
  filtered: number;
  byCategory: Record<string, number>;
  sampleErrors: string[];
}

export const emptyTally = (): FilteringTally => ({ settled: 0, filtered: 0, byCategory: {}, sampleErrors: [] });

/** The breaker's defaults: over 5% of at least 200 settled in the last 30 minutes, or 3x the tenant's baseline. */
export const BREAKER = {
  windowMs: 30 * 60_000,
  minSettled: 200,
  maxRate: 0.05,
  baselineMultiple: 3,
  /** A baseline is only trusted from this many settled receipts of the tenant's other sends. */
  baselineMinSettled: 1_000,
  /** 3x a near-zero baseline would trip on noise: the baseline rule never asks for less than this. */
  baselineFloor: 0.01,
} as const;

/** Minute buckets of tallies, keyed by the minute's start (epoch ms, as text). */
export type TallyBuckets = Record<string, FilteringTally>;

/** The minute bucket an instant falls in. */
export const bucketOf = (instant: number): string => String(Math.floor(instant / 60_000) * 60_000);

/** Sums the buckets whose minute lies in `[since, ...)`. */
export function sumBuckets(buckets: TallyBuckets, since: number): FilteringTally {
  const total = emptyTally();
  for (const [minute, tally] of Object.entries(buckets)) {
    if (Number(minute) < since) continue;
    total.settled += tally.settled;
    total.filtered += tally.filtered;
    for (const [category, count] of Object.entries(tally.byCategory)) {
      total.byCategory[category] = (total.byCategory[category] ?? 0) + count;
    }
    for (const sample of tally.sampleErrors) {
      if (total.sampleErrors.length < 5 && !total.sampleErrors.includes(sample)) total.sampleErrors.push(sample);
    }
  }
  return total;
}

export interface FilteringJudgement {
  trip: boolean;
  rate: number;
  /** The rate the window had to exceed: 5%, or 3x the baseline when that is lower (never under 1%). */
  threshold: number;
}

/**
 * Whether the sender is being filtered: at least {@link BREAKER.minSettled} settled receipts in the window, and a
 * filtered share over 5% or over 3x the tenant's baseline (its filtered share elsewhere), whichever is lower.
 */
export function judgeFiltering(window: FilteringTally, baseline: { settled: number; filtered: number } | null) {
  const rate = window.settled > 0 ? window.filtered / window.settled : 0;
  const trusted = baseline && baseline.settled >= BREAKER.baselineMinSettled ? baseline : null;
  const fromBaseline = trusted
    ? Math.max(BREAKER.baselineFloor, (trusted.filtered / trusted.settled) * BREAKER.baselineMultiple)
    : Number.POSITIVE_INFINITY;
  const threshold = Math.min(BREAKER.maxRate, fromBaseline);
  return { trip: window.settled >= BREAKER.minSettled && rate > threshold, rate, threshold } as FilteringJudgement;
}

/**
 * Judges one guarded scope (a campaign, a workflow) from its stored stats: its window since `since`, against the
 * tenant's baseline, which is its filtered share everywhere but this scope.
 */
export function judgeScope(
  stats: { buckets: TallyBuckets; scope: FilteringTotals; tenant: FilteringTotals },
  since: number,
): { window: FilteringTally; judgement: FilteringJudgement } {
  const window = sumBuckets(stats.buckets, since);
  const baseline = {
    settled: stats.tenant.settled - stats.scope.settled,
    filtered: stats.tenant.filtered - stats.scope.filtered,
  };
  return { window, judgement: judgeFiltering(window, baseline) };
}

/** Settled and filtered receipts counted in all, for a scope or the whole tenant. */
export interface FilteringTotals {
  settled: number;
  filtered: number;
}

/** The evidence a trip leaves in the results (`subject`: what paused itself). */
export function filteringEvidence(
  window: FilteringTally,
  judgement: FilteringJudgement,
  subject: 'campaign' | 'workflow' = 'campaign',
): PauseEvidence {
  const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;
  return {
    settled: window.settled,
    filtered: window.filtered,
    filteredRate: Math.round(judgement.rate * 10_000) / 10_000,
    threshold: judgement.threshold,
    byCategory: window.byCategory,
    sampleErrors: window.sampleErrors,
    message: `Carriers blocked or filtered ${window.filtered} of the last ${window.settled} messages (${percent(judgement.rate)}, over ${percent(judgement.threshold)}): the ${subject} paused itself before the number gets suspended. Check the content and the audience, then resume or cancel.`,
  };
}
