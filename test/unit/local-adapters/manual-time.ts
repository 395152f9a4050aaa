import type { TimerHandle, Timers } from '../../../shared/adapters/local/timers';
import type { Clock } from '../../../shared/ports/clock.port';

interface PendingTimer {
  dueAt: number;
  order: number;
  callback: () => void;
}

/** Lets promise callbacks and `setImmediate` work queued by the code under test run to completion. */
export async function flushAsyncWork(rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock and timers that move only when a test says so: `advance` walks time forward, firing each timer at its due
 * instant in order, so tests of timeouts, delays and schedules need no real waits.
 */
export class ManualTime implements Clock, Timers {
  private nowMs: number;
  private readonly timers = new Map<number, PendingTimer>();
  private nextHandle = 1;

  constructor(start: string | number) {
    this.nowMs = typeof start === 'number' ? start : Date.parse(start);
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  get nowMillis(): number {
    return this.nowMs;
  }

  /** Timers armed and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle = this.nextHandle;
    this.nextHandle += 1;
    this.timers.set(handle, { dueAt: this.nowMs + Math.max(0, delayMs), order: handle, callback });
    return handle;
  }

  /** Resolves when the test has advanced the time by `ms`. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const handle = this.setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        this.clearTimeout(handle);
        reject(signal.reason);
      });
    });
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Moves time forward by `ms`, firing the timers due on the way, each at its own instant, with async work between. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.nowMs + ms);
  }

  async advanceTo(target: string | number): Promise<void> {
    const targetMs = typeof target === 'number' ? target : Date.parse(target);
    await flushAsyncWork();
    for (;;) {
      const next = this.nextDue(targetMs);
      if (!next) break;
      const [handle, timer] = next;
      this.timers.delete(handle);
      this.nowMs = Math.max(this.nowMs, timer.dueAt);
      timer.callback();
      await flushAsyncWork();
    }
    this.nowMs = Math.max(this.nowMs, targetMs);
    await flushAsyncWork();
  }

  private nextDue(limit: number): [number, PendingTimer] | undefined {
    let found: [number, PendingTimer] | undefined;
    for (const entry of this.timers) {
      const timer = entry[1];
      if (timer.dueAt > limit) continue;
      if (!found || timer.dueAt < found[1].dueAt || (timer.dueAt === found[1].dueAt && timer.order < found[1].order)) {
        found = entry;
      }
    }
    return found;
  }
}
