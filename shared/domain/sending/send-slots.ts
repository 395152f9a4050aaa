/**
 * Sending slots for a rate (GCRA, the generic cell rate algorithm): slot k of a grant goes out at
 * `start + k * spacing`, slots are never handed out twice, and time that passed unused is not saved up, so no
 * burst ever beats the rate. A grant is a run of consecutive slots taken in one step of the shared budget.
 */
export interface Grant {
  /** When the first slot may go (epoch ms). */
  start: number;
  /** Milliseconds between slots: 1000 / rate. */
  spacing: number;
  count: number;
}

/**
 * The least sending time one grant covers: at most about three budget writes a second per sender, whatever its rate
 * (a grant holds whole slots, so at low rates it covers one slot, which is longer).
 */
export const GRANT_MS = 300;

/**
 * How late a slot may still be used (the event loop, a busy process): a slot later than this is dropped, not sent in
 * a bunch with the next ones. Slots are spaced so that a second plus this slack holds the rate's count: whatever the
 * lateness within the slack, no one-second window ever holds more than the rate (at 98% of it).
 */
export const SLOT_SLACK_MS = 20;

export const spacingOf = (messagesPerSecond: number) => (1000 + SLOT_SLACK_MS) / messagesPerSecond;

/**
 * The least time between a worker's reading and its grant's first slot: the booking write takes a moment (adapters
 * lengthen it when the store is slow), and a grant that starts before the write lands loses its first slots.
 */
export const RESTART_LEAD_MS = 25;

/** How far ahead a worker books: past this the number is already booked by others, and the worker steps back. */
export const BOOKING_HORIZON_MS = 2_000;

/**
 * How far past the horizon a booking may still land: workers that read the same opening at once all write, and the
 * later ones would be refused (a wasted write) if the horizon were exact. A deadline is never exceeded.
 */
export const HORIZON_TOLERANCE_MS = 1_500;

/**
 * How long recipients a worker could not pace wait before they come round again: one to three seconds, at random, so
 * workers that found the number booked do not all come back at the same instant and race for the same opening.
 */
export function handBackDelaySeconds(random: () => number = Math.random): number {
  return 1 + Math.floor(random() * 3);
}

/** How many slots to take at once: at least `GRANT_MS` of sending (one slot at least), no more than the caller wants. */
export function grantSize(messagesPerSecond: number, wanted = Number.POSITIVE_INFINITY): number {
  return Math.max(1, Math.min(Math.floor(wanted), Math.ceil((messagesPerSecond * GRANT_MS) / 1000)));
}

/**
 * What a worker does next with the shared budget, from its view of `nextFree` (the first instant no worker holds):
 * - `full`: the number is booked past `latestStart` (the caller's deadline, or the booking horizon); no write.
 *   A view can only be behind the store (bookings only move `nextFree` on), so `full` is never wrong.
 * - `restart`: the booked time ends before a write could land (`nextFree` before now and the lead): book from
 *   now and the lead, if nobody booked further first.
 * - `append`: book the `span` right after the last booking, atomically (an add, so workers booking at once never
 *   refuse each other), if the end of the booked time is still at or before `latestStart`.
 */
export type Booking =
  | { kind: 'full' }
  | { kind: 'restart'; grant: Grant; nextFree: number }
  | { kind: 'append'; span: number; spacing: number; count: number };

export function planBooking(
  nextFree: number | undefined,
  now: number,
  latestStart: number,
  messagesPerSecond: number,
  count: number,
  lead = RESTART_LEAD_MS,
): Booking {
  const spacing = spacingOf(messagesPerSecond);
  if (nextFree !== undefined && nextFree > latestStart) return { kind: 'full' };
  // Booked time that ends before this write could land would start the grant late: it starts after the lead.
  if (nextFree === undefined || nextFree < now + lead) {
    const start = now + lead;
    if (start > latestStart) return { kind: 'full' };
    return { kind: 'restart', grant: { start, spacing, count }, nextFree: start + count * spacing };
  }
  return { kind: 'append', span: count * spacing, spacing, count };
}
