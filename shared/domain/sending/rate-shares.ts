import { spacingOf } from './send-slots';

/**
 * A sender's rate as shares of one slot grid: slot n goes out at `anchor + n * spacing` (epoch ms; the anchor is
 * where the first worker laid the grid, so nobody waits for a slot when a number starts) and belongs to share
 * `n mod shareCount`. A worker leases shares for a while and sends on their slots with no further write; two shares
 * never hold the same slot, so however the shares are spread over workers, and however they change hands, all of them
 * together never send faster than the grid, the rate. Time nobody held is not saved up: the grid does not move.
 */

/** The most one share carries: about what one worker keeps up with (10 sends in flight of about 100 ms). */
export const SHARE_MPS = 100;

/** How long a lease runs, unless the holder's deadline comes first: a write per holder every few seconds at most. */
export const LEASE_MS = 10_000;

/** A holder that still sends renews its lease when this much of it is left (before anyone else may take it). */
export const RENEW_AHEAD_MS = 3_000;

export function shareCount(messagesPerSecond: number): number {
  return Math.max(1, Math.ceil(messagesPerSecond / SHARE_MPS));
}

export const slotTime = (n: number, spacing: number, anchor = 0) => anchor + n * spacing;

/** One share as a worker holds it: its slots from `from` to `until` (epoch ms, both included). */
export interface HeldShare {
  share: number;
  from: number;
  until: number;
}

/** The first slot at or after `fromSlot` whose time is at or after `notBefore`, on one share; undefined past `until`. */
function firstSlotOf(
  held: HeldShare,
  grid: { shares: number; spacing: number; anchor: number },
  fromSlot: number,
  notBefore: number,
) {
  const { shares, spacing, anchor } = grid;
  const bound = Math.max(notBefore, held.from);
  const start = Math.max(fromSlot, Math.ceil((bound - anchor) / spacing));
  let n = start + ((((held.share - start) % shares) + shares) % shares);
  // Rounding: the slot's time must really be at or after both bounds.
  while (slotTime(n, spacing, anchor) < bound) n += shares;
  return slotTime(n, spacing, anchor) <= held.until ? n : undefined;
}

/** The earliest slot of the held shares after slot `lastSlot`, no earlier than `notBefore`; undefined when none. */
export function nextHeldSlot(
  held: readonly HeldShare[],
  shares: number,
  spacing: number,
  lastSlot: number,
  notBefore: number,
  anchor = 0,
): { n: number; at: number } | undefined {
  let best: number | undefined;
  for (const share of held) {
    const n = firstSlotOf(share, { shares, spacing, anchor }, lastSlot + 1, notBefore);
    if (n !== undefined && (best === undefined || n < best)) best = n;
  }
  return best === undefined ? undefined : { n: best, at: slotTime(best, spacing, anchor) };
}

/** The budget as a worker last saw it: the grid it was laid for and each share's lease (index = share). */
export interface SharesView {
  spacing: number | undefined;
  shares: number | undefined;
  anchor: number | undefined;
  leases: ReadonlyArray<{ until: number; holder: string } | undefined>;
  readAt: number;
}

/**
 * What a worker does next, from its view (`me` its holder id, `want` the most shares it can use, `offset` where
 * it starts looking for free ones):
 * - `busy`: every share is leased to others (or, at another rate's grid, any is); none frees before `until`.
 * - `claim`: lease `shares` (its own and free ones). `reset` lays the grid for this rate from now (a new rate, or
 *   nobody holds any share), which needs every share of the old grid (`oldShares`) lapsed or its own. A view only lags the store (a lease is never shortened), so `busy` is never
 *   wrong; a `claim` may be refused (someone claimed first) and is then read again.
 */
export type SharesPlan =
  | { kind: 'busy'; until: number }
  | {
      kind: 'claim';
      shares: number[];
      reset: boolean;
      oldShares: number | undefined;
      oldSpacing: number | undefined;
      oldAnchor: number | undefined;
    };

export function planClaim(
  view: SharesView,
  now: number,
  me: string,
  messagesPerSecond: number,
  want: number,
  offset = 0,
): SharesPlan {
  const spacing = spacingOf(messagesPerSecond);
  const shares = shareCount(messagesPerSecond);
  const live = (i: number) => {
    const lease = view.leases[i];
    return lease !== undefined && lease.until >= now && lease.holder !== me;
  };
  const old = { oldShares: view.shares, oldSpacing: view.spacing, oldAnchor: view.anchor };
  if (view.spacing !== spacing || view.shares !== shares) {
    // Its own leases on the old grid do not hold it back: it stops using them as it lays the new one.
    const held = Array.from({ length: view.shares ?? 0 }, (_, i) => i).filter(live);
    if (held.length > 0) return { kind: 'busy', until: Math.max(...held.map((i) => view.leases[i]?.until as number)) };
    return { kind: 'claim', shares: firstShares(shares, want), reset: true, ...old };
  }
  const all = Array.from({ length: shares }, (_, i) => i);
  // Nobody (not even this worker) holds a share: the grid is laid again from now, so the first slot does not wait.
  const idle = all.every((i) => (view.leases[i]?.until ?? Number.NEGATIVE_INFINITY) < now);
  if (idle) return { kind: 'claim', shares: firstShares(shares, want), reset: true, ...old };
  const free = all.filter((i) => !live(i));
  if (free.length === 0) return { kind: 'busy', until: Math.min(...all.map((i) => view.leases[i]?.until as number)) };
  // Own shares first (keeps what it holds), then free ones from `offset` on (workers that take some of the free ones
  // at once pick different ones).
  const own = free.filter((i) => view.leases[i]?.holder === me);
  const others = free
    .filter((i) => view.leases[i]?.holder !== me)
    .sort((a, b) => ((a - offset + shares) % shares) - ((b - offset + shares) % shares));
  return { kind: 'claim', shares: [...own, ...others].slice(0, Math.max(1, want)), reset: false, ...old };
}

const firstShares = (shares: number, want: number) =>
  Array.from({ length: Math.min(shares, Math.max(1, want)) }, (_, i) => i);

/** How many shares a worker that keeps up with `workerMps` can use at this rate. */
export function sharesWanted(messagesPerSecond: number, workerMps: number): number {
  const perShare = messagesPerSecond / shareCount(messagesPerSecond);
  return Math.max(1, Math.floor(workerMps / perShare));
}
