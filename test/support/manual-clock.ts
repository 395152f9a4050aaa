import type { Clock } from '../../shared/ports/clock.port';

/**
 * A clock the test moves by hand. A sleep moves it forward by the time slept and yields to other work once, so use
 * cases that wait (a retry pause, a recount's poll) run at once and see the time they waited for.
 */
export class ManualClock implements Clock {
  private current: number;

  constructor(start = '2026-03-02T15:00:00.000Z') {
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(iso: string): void {
    this.current = Date.parse(iso);
  }

  /** Moves the clock forward by `ms`; returns the new time. */
  advance(ms: number): string {
    this.current += ms;
    return this.now().toISOString();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.current += Math.max(0, ms);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
