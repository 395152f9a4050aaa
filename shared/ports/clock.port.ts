import { setTimeout as sleepFor } from 'node:timers/promises';

/**
 * Time, injected wherever it matters (quiet hours, schedules, waits, retries), so the local stack can start at any
 * instant and move forward on request, and tests control it instead of reading the wall clock.
 */
export interface Clock {
  now(): Date;
  /**
   * Resolves after `ms` of this clock's time: a clock moved forward by hand wakes the sleepers whose time came.
   * Rejects with an `AbortError` when `signal` aborts first, as Node's timers do.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The machine's clock: production, and the local stack unless it is told otherwise. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) => sleepFor(Math.max(0, ms), undefined, signal ? { signal } : undefined),
};
