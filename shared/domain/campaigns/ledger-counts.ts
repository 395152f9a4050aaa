import { type CampaignCounts, emptyCounts } from './campaign.schema';
import type { LedgerEntry } from './ledger.schema';

/** Counter changes: every counter optional, nested ones too. */
export type CountDeltas = Partial<Omit<CampaignCounts, 'skipped' | 'failedByReason' | 'spendByMonth'>> & {
  skipped?: Partial<CampaignCounts['skipped']>;
  failedByReason?: Record<string, number>;
  spendByMonth?: Record<string, number>;
};

/** The UTC calendar month (YYYY-MM) of an ISO instant: the month a send's cost is billed in. */
export const billingMonthOf = (instant: string) => instant.slice(0, 7);

const WAITING = new Set<LedgerEntry['status']>(['queued', 'deferred', 'sending']);
const HANDED_OVER = new Set<LedgerEntry['status']>(['sent', 'delivered', 'failed']);
const SKIP_REASONS = ['optedOut', 'noConsent', 'invalidPhone', 'frequencyCapped', 'stateFrequencyCap'] as const;

/** True when the carrier took the message: it has the carrier's id and a status at or past `sent`. */
export function wasSent(entry: Pick<LedgerEntry, 'status' | 'messageId'>): boolean {
  return entry.messageId !== undefined && HANDED_OVER.has(entry.status);
}

/**
 * What one ledger entry adds to its campaign's counters. Counters are the sum of this over the
 * ledger: a recount sums it, and every accepted ledger change adds `contribution(after) -
 * contribution(before)`, so the live counters and a recount agree by construction.
 */
export function contribution(entry: LedgerEntry): CountDeltas {
  const sent = wasSent(entry);
  const deltas: CountDeltas = { audience: 1 };
  if (WAITING.has(entry.status)) deltas.queued = 1;
  if (sent) {
    deltas.sent = 1;
    if (entry.segments) deltas.segments = entry.segments;
    if (entry.cost) {
      deltas.spend = entry.cost;
      // Billed by the month it went out (a campaign launched on the 31st spends in two months).
      deltas.spendByMonth = { [billingMonthOf(entry.sentAt ?? entry.queuedAt)]: entry.cost };
    }
  }
  if (entry.status === 'delivered') deltas.delivered = 1;
  if (entry.status === 'failed') {
    deltas.failed = 1;
    deltas.failedByReason = { [entry.reason ?? 'unknown']: 1 };
  }
  if (entry.status === 'unknown') deltas.unknown = 1;
  if (entry.status === 'cancelled') deltas.cancelled = 1;
  if (entry.status === 'skipped') {
    const reason = SKIP_REASONS.find((r) => r === entry.reason);
    if (reason) deltas.skipped = { [reason]: 1 };
  }
  if (entry.windowDeferred) deltas.skipped = { ...deltas.skipped, quietHoursDeferred: 1 };
  if (entry.repliedAt) deltas.replies = 1;
  if (entry.optedOutAt) deltas.optOuts = 1;
  if (entry.priceUsd) deltas.priceUsd = entry.priceUsd;
  return deltas;
}

/** Adds `b` times `sign` into `a` (in place), dropping counters that come to zero. */
export function mergeDeltas(a: CountDeltas, b: CountDeltas, sign: 1 | -1 = 1): CountDeltas {
  const target = a as Record<string, unknown>;
  for (const [key, value] of Object.entries(b)) {
    if (typeof value === 'number') {
      const sum = roundPrice(((target[key] as number | undefined) ?? 0) + sign * value);
      if (sum === 0) delete target[key];
      else target[key] = sum;
    } else if (value && typeof value === 'object') {
      const nested = { ...((target[key] as Record<string, number> | undefined) ?? {}) };
      for (const [inner, count] of Object.entries(value as Record<string, number>)) {
        const sum = roundPrice((nested[inner] ?? 0) + sign * count);
        if (sum === 0) delete nested[inner];
        else nested[inner] = sum;
      }
      if (Object.keys(nested).length === 0) delete target[key];
      else target[key] = nested;
    }
  }
  return a;
}

/** Prices are sums of decimals: keep ten places so float noise does not read as a change. */
const roundPrice = (value: number) => Math.round(value * 1e10) / 1e10;

/** What changing `before` into `after` does to the counters (`before` undefined: a new entry). */
export function ledgerDelta(before: LedgerEntry | undefined, after: LedgerEntry): CountDeltas {
  const delta = mergeDeltas({}, contribution(after));
  return before ? mergeDeltas(delta, contribution(before), -1) : delta;
}

/** Counters of a whole ledger, as a recount computes them. */
export function countLedger(entries: Iterable<LedgerEntry>): CampaignCounts {
  const counts = emptyCounts();
  for (const entry of entries) addInto(counts, contribution(entry));
  return counts;
}

/** Adds deltas into full counters (in place). */
export function addInto(counts: CampaignCounts, deltas: CountDeltas): CampaignCounts {
  const target = counts as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(deltas)) {
    if (typeof value === 'number') target[key] = roundPrice(((target[key] as number) ?? 0) + value);
    else if (value && typeof value === 'object') {
      const nested = target[key] as Record<string, number>;
      for (const [inner, count] of Object.entries(value as Record<string, number>)) {
        nested[inner] = roundPrice((nested[inner] ?? 0) + count);
      }
    }
  }
  return counts;
}

/** True when two sets of counters hold the same numbers (a missing nested counter reads as zero). */
export function sameCounts(a: CampaignCounts, b: CampaignCounts): boolean {
  const diff = mergeDeltas(mergeDeltas({}, a as CountDeltas), b as CountDeltas, -1);
  return Object.keys(diff).length === 0;
}
