/** An opaque handle returned by {@link Timers.setTimeout}. */
export type TimerHandle = unknown;

/**
 * The timer functions the local adapters wake up with. They are injected, like the clock, so that tests move time
 * forward by hand instead of waiting for it.
 */
export interface Timers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's own timers. */
export const systemTimers: Timers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Node fires a timer longer than about 24.8 days at once (its delay overflows a 32-bit int), so a far wake-up is
 * armed at this limit and re-armed when it fires.
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** The delay to arm for a wake-up at `dueAtMs`: never negative, never above what Node's timers can hold. */
export function delayUntil(dueAtMs: number, nowMs: number): number {
  return Math.min(MAX_TIMER_DELAY_MS, Math.max(0, dueAtMs - nowMs));
}

/**
 * One timer that is re-armed for the next due instant of a queue of wake-ups (a schedule list, a
 * receipt heap), instead of one timer per item. Arming for the instant already armed is a no-op.
 */
export class Alarm {
  private timer: TimerHandle | undefined;
  private dueAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly timers: Timers,
    private readonly onFire: () => void,
  ) {}

  armAt(dueAt: number, now: number): void {
    if (this.timer !== undefined && this.dueAt === dueAt) return;
    this.disarm();
    this.dueAt = dueAt;
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = undefined;
        this.dueAt = Number.POSITIVE_INFINITY;
        this.onFire();
      },
      delayUntil(dueAt, now),
    );
  }

  disarm(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = Number.POSITIVE_INFINITY;
  }
}
