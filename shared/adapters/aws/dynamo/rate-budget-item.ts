import type { planClaim, SharesView } from '../../../domain/sending/rate-shares';

/**
 * The rate budget's item, one per sender number: `gridSpacing`, `shareCount` and `gridStart` (the grid its leases are on) and, per
 * share i, `leaseEnd<i>` (epoch ms) and `leaseHolder<i>` (the worker's id). Its expressions and how a worker reads it.
 */

/** Budget items live in the numbers table beside the number they pace, under this partition-key prefix. */
export const BUDGET_KEY_PREFIX = 'BUDGET#';
export const budgetKey = (sender: string) => ({ pk: `${BUDGET_KEY_PREFIX}${sender}`, sk: 'BUDGET' });

type Claim = Extract<ReturnType<typeof planClaim>, { kind: 'claim' }>;

/** A lease as written: from `now` (the claimer's clock) to `until`, by `holder`, on the grid of `spacing`/`shares`. */
export interface LeaseWrite {
  now: number;
  until: number;
  holder: string;
  spacing: number;
  shares: number;
  anchor: number;
}

export const ownLease = (view: SharesView, share: number, holder: string) => view.leases[share]?.holder === holder;

/** The view after this worker's own claim landed: its shares leased to it on the claim's grid. */
export function afterClaim(before: SharesView | undefined, plan: Claim, lease: LeaseWrite): SharesView {
  const leases = Array.from({ length: lease.shares }, (_, i) => (plan.reset ? undefined : before?.leases[i]));
  for (const i of plan.shares) leases[i] = { until: lease.until, holder: lease.holder };
  return { spacing: lease.spacing, shares: lease.shares, anchor: lease.anchor, leases, readAt: lease.now };
}

/** Attribute names of the budget item: the grid, and per share its lease's end and holder. */
const GRID_SPACING = 'gridSpacing';
const SHARE_COUNT = 'shareCount';
const GRID_START = 'gridStart';
const leaseEnd = (i: number) => `leaseEnd${i}`;
const leaseHolder = (i: number) => `leaseHolder${i}`;

export function viewOf(attribute: (name: string) => string | number | undefined, readAt: number): SharesView {
  const number = (name: string) => {
    const value = attribute(name);
    return value === undefined ? undefined : Number(value);
  };
  const shares = number(SHARE_COUNT);
  const leases = Array.from({ length: shares ?? 0 }, (_, i) => {
    const until = number(leaseEnd(i));
    const holder = attribute(leaseHolder(i));
    return until === undefined || holder === undefined ? undefined : { until, holder: String(holder) };
  });
  return { spacing: number(GRID_SPACING), shares, anchor: number(GRID_START), leases, readAt };
}

/**
 * Each claimed share must be free, lapsed or this worker's; on the same grid the grid must still be it, and a reset
 * needs every share of the grid it replaces lapsed (or its own), or no grid at all.
 */
export function claimExpression(plan: Claim, lease: LeaseWrite) {
  const free = (i: number) =>
    `(attribute_not_exists(${leaseEnd(i)}) OR ${leaseEnd(i)} < :now OR ${leaseHolder(i)} = :me)`;
  const set = [`${GRID_SPACING} = :spacing`, `${SHARE_COUNT} = :shares`, `${GRID_START} = :anchor`];
  for (const i of plan.shares) set.push(`${leaseEnd(i)} = :until`, `${leaseHolder(i)} = :me`);
  const values: Record<string, unknown> = {
    ':now': lease.now,
    ':me': lease.holder,
    ':until': lease.until,
    ':spacing': lease.spacing,
    ':shares': lease.shares,
    ':anchor': lease.anchor,
  };
  let condition: string;
  if (!plan.reset) {
    const grid = [`${GRID_SPACING} = :spacing`, `${SHARE_COUNT} = :shares`, `${GRID_START} = :anchor`];
    condition = [...grid, ...plan.shares.map(free)].join(' AND ');
  } else if (plan.oldShares === undefined || plan.oldSpacing === undefined || plan.oldAnchor === undefined) {
    condition = `attribute_not_exists(${SHARE_COUNT})`;
  } else {
    values[':oldSpacing'] = plan.oldSpacing;
    values[':oldShares'] = plan.oldShares;
    values[':oldAnchor'] = plan.oldAnchor;
    const old = Array.from({ length: plan.oldShares }, (_, i) => free(i));
    const grid = [`${GRID_SPACING} = :oldSpacing`, `${SHARE_COUNT} = :oldShares`, `${GRID_START} = :oldAnchor`];
    condition = [...grid, ...old].join(' AND ');
  }
  // DynamoDB refuses a value no expression uses.
  if (!condition.includes(':now')) delete values[':now'];
  return {
    UpdateExpression: `SET ${set.join(', ')}`,
    ConditionExpression: condition,
    ExpressionAttributeValues: values,
  };
}

/**
 * Ends the worker's leases of `shares` (ending at `until`) now. Only those very leases: one it renewed meanwhile (a
 * caller came back while the release was on its way) is not cut short under the slots it now hands out.
 */
export function releaseExpression(shares: number[], now: number, holder: string, until: number) {
  return {
    UpdateExpression: `SET ${shares.map((i) => `${leaseEnd(i)} = :now`).join(', ')}`,
    ConditionExpression: shares.map((i) => `${leaseHolder(i)} = :me AND ${leaseEnd(i)} = :until`).join(' AND '),
    ExpressionAttributeValues: { ':now': now, ':me': holder, ':until': until },
  };
}
