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

/** How much sending time one grant covers: a few budget writes a second per sender, whatever its rate. */
export const GRANT_MS = 250;

/**
 * How late a slot may still be used (the event loop, a busy process): a slot later than this is dropped, not sent in
 * a bunch with the next ones. Slots are spaced so that a second plus this slack holds the rate's count: whatever the
 * lateness within the slack, no one-second window ever holds more than the rate (at 98% of it).
 */
export const SLOT_SLACK_MS = 20;

export const spacingOf = (messagesPerSecond: number) => (1000 + SLOT_SLACK_MS) / messagesPerSecond;

/** How far ahead a worker books: past this the number is already booked by others, and the worker steps back. */
export const BOOKING_HORIZON_MS = 2_000;

/** How many slots to take at once: a quarter second's worth (at least one), no more than the caller wants. */
export function grantSize(messagesPerSecond: number, wanted = Number.POSITIVE_INFINITY): number {
  return Math.max(1, Math.min(Math.floor(wanted), Math.floor((messagesPerSecond * GRANT_MS) / 1000)));
}

/** The grant after `nextFree` (the budget's first unassigned instant) at `now`, and the budget's new `nextFree`. */
export function takeGrant(
  nextFree: number | undefined,
  now: number,
  messagesPerSecond: number,
  count: number,
): { grant: Grant; nextFree: number } {
  const spacing = spacingOf(messagesPerSecond);
  // Unused past slots are gone: a budget idle for a minute does not send a minute's worth at once.
  const start = Math.max(nextFree ?? now, now);
  return { grant: { start, spacing, count }, nextFree: start + count * spacing };
}
