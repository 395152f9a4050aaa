import type { Clock } from '../../ports/clock.port';
import { MAX_TIMER_DELAY_MS, type TimerHandle, type Timers } from './timers';

interface PendingTimer {
  dueAt: number;
  /** Arming order: timers due at the same instant fire in the order they were armed. */
  order: number;
  callback: () => void;
  real: NodeJS.Timeout | undefined;
}

export interface LocalClockOptions {
  /** The instant the clock reads when it is created (epoch ms); the machine's time when absent. */
  startAt?: number;
  /** The machine's time, epoch ms. Default `Date.now`. */
  realNow?: () => number;
}

/** Thrown by {@link LocalClock.jumpTo} for an instant before the clock's reading: time only moves forward. */
export class ClockBackwardError extends Error {
  constructor(
    readonly target: Date,
    readonly now: Date,
  ) {
    super(`the clock reads ${now.toISOString()}; it never moves back to ${target.toISOString()}`);
    this.name = 'ClockBackwardError';
  }
}

/**
 * The local stack's one clock: it runs at the machine's speed from a chosen start (the machine's time by default),
 * and can jump forward. Its timers are what the local queue, scheduler, carrier and the handlers' sleeps wake up
 * with, so a jump fires everything that fell due on the way, earliest first. It never moves backward.
 */
export class LocalClock implements Clock, Timers {
  private offsetMs: number;
  private readonly realNow: () => number;
  private readonly pending = new Map<number, PendingTimer>();
  private nextHandle = 1;

  constructor(options: LocalClockOptions = {}) {
    this.realNow = options.realNow ?? Date.now;
    this.offsetMs = options.startAt === undefined ? 0 : options.startAt - this.realNow();
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.realNow() + this.offsetMs;
  }

  /** How far this clock is ahead of the machine's (negative when it was started in the past). */
  get offset(): number {
    return this.offsetMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const onAbort = () => {
        this.clearTimeout(handle);
        reject(abortError(signal as AbortSignal));
      };
      const handle = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle = this.nextHandle++;
    const timer: PendingTimer = {
      dueAt: this.nowMs() + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0),
      order: handle,
      callback,
      real: undefined,
    };
    this.pending.set(handle, timer);
    this.arm(handle, timer);
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = this.pending.get(handle as number);
    if (!timer) return;
    if (timer.real) clearTimeout(timer.real);
    this.pending.delete(handle as number);
  }

  /** The earliest instant a timer waits for, or undefined when none waits. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const timer of this.pending.values()) if (next === undefined || timer.dueAt < next) next = timer.dueAt;
    return next;
  }

  /** Timers armed and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.pending.size;
  }

  /**
   * Moves the clock forward to `targetMs` at once and fires, earliest first, every timer due by then (a timer a
   * callback arms that is due already fires too). Returns how many fired. Throws {@link ClockBackwardError} for an
   * instant before the clock's reading. It does not wait for the work the callbacks start: the local stack's
   * `advance` steps through due instants and lets the stack settle between them.
   */
  jumpTo(targetMs: number): number {
    const now = this.nowMs();
    if (targetMs < now) throw new ClockBackwardError(new Date(targetMs), new Date(now));
    this.offsetMs += targetMs - now;
    let fired = 0;
    for (let due = this.takeDue(); due; due = this.takeDue()) {
      fired++;
      due.callback();
    }
    // Timers still waiting now wait less real time.
    for (const [handle, timer] of this.pending) this.arm(handle, timer);
    return fired;
  }

  private takeDue(): PendingTimer | undefined {
    const now = this.nowMs();
    let found: [number, PendingTimer] | undefined;
    for (const entry of this.pending) {
      const timer = entry[1];
      if (timer.dueAt > now) continue;
      if (!found || timer.dueAt < found[1].dueAt || (timer.dueAt === found[1].dueAt && timer.order < found[1].order)) {
        found = entry;
      }
    }
    if (!found) return undefined;
    if (found[1].real) clearTimeout(found[1].real);
    this.pending.delete(found[0]);
    return found[1];
  }

  /** A real timer for the time left; one armed early (Node caps a delay at ~24.8 days) re-arms itself. */
  private arm(handle: number, timer: PendingTimer): void {
    if (timer.real) clearTimeout(timer.real);
    const delay = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, timer.dueAt - this.nowMs()));
    timer.real = setTimeout(() => {
      timer.real = undefined;
      if (!this.pending.has(handle)) return;
      if (timer.dueAt > this.nowMs()) {
        this.arm(handle, timer);
        return;
      }
      this.pending.delete(handle);
      timer.callback();
    }, delay);
  }
}

function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}
