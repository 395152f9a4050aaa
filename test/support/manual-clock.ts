import { setTimeout as realSleep } from 'node:timers/promises';
import type { Clock } from '../../shared/ports/clock.port';

/**
 * A clock only the test moves. The short waits of the code under test (a retry pause, a time budget) take real time
 * and leave the reading where it is, so what the test sees depends on its own moves alone.
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

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return realSleep(Math.max(0, ms), undefined, signal ? { signal } : undefined);
  }
}
