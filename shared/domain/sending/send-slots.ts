/**
 * Sending slots for a rate: slots are spaced by `spacingOf(rate)`, never handed out twice, and time that passed
 * unused is not saved up, so no burst ever beats the rate (the shared budget lays them on one grid: `rate-shares.ts`).
 */

/**
 * How late a slot may still be used (the event loop, a busy process): a slot later than this is dropped, not sent in
 * a bunch with the next ones. Slots are spaced so that a second plus this slack holds the rate's count: whatever the
 * lateness within the slack, no one-second window ever holds more than the rate (at 98% of it).
 */
export const SLOT_SLACK_MS = 20;

export const spacingOf = (messagesPerSecond: number) => (1000 + SLOT_SLACK_MS) / messagesPerSecond;

/**
 * The least time between a worker's claim and the first slot of a share it takes from another worker (adapters
 * lengthen it when the store is slow): the claim's write takes a moment, and two workers' clocks differ by a little.
 */
export const TAKEOVER_LEAD_MS = 25;

/**
 * How long recipients a worker could not pace wait before they come round again: one to three seconds, at random, so
 * workers that found the number booked do not all come back at the same instant and race for the same opening.
 */
export function handBackDelaySeconds(random: () => number = Math.random): number {
  return 1 + Math.floor(random() * 3);
}
