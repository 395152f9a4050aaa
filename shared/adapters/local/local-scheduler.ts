import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../../ports/clock.port';
import type { OneTimeSchedule, Scheduler, ScheduleTarget } from '../../ports/scheduler.port';
import { localTimeToInstant } from './local-time';
import { MinHeap } from './min-heap';
import type { ScheduleStore, StoredSchedule } from './schedule-store';
import { Alarm, systemTimers, type Timers } from './timers';

/** What a schedule calls when it fires: the launcher or the workflow runner, with the schedule's payload. */
export type ScheduleInvoker = (target: ScheduleTarget, payload: Record<string, unknown>) => Promise<void>;

const TARGETS: readonly ScheduleTarget[] = ['launcher', 'workflows'];

export interface RetryOptions {
  /** Attempts in all, the first included, before the schedule is dead-lettered. Default 4. */
  maxAttempts?: number;
  /** Wait before the first retry; each next one waits twice as long. Default 1000. */
  baseDelayMs?: number;
  /** Longest wait between two attempts. Default 60000. */
  maxDelayMs?: number;
}

export interface LocalSchedulerOptions {
  store: ScheduleStore;
  invokeTarget: ScheduleInvoker;
  clock?: Clock;
  timers?: Timers;
  retry?: RetryOptions;
  /** Schedules fired at once (a catch-up after a long stop may find many due). Default 8. */
  maxConcurrentFires?: number;
  /** Told of a schedule that failed every attempt, once it is recorded as dead-lettered. */
  onDeadLetter?: (schedule: StoredSchedule) => void | Promise<void>;
  /** Where failures of the store while firing go. Default `console.error`. */
  onError?: (error: unknown) => void;
}

interface Wake {
  dueAt: number;
  name: string;
  revision: string;
  attempts: number;
}

/**
 * EventBridge Scheduler's one-time schedules on one machine: each schedule is kept in a {@link ScheduleStore} (a JSON
 * file under the data folder, so it survives a restart), fires once at the instant its local `at` names in its
 * `timeZone` by calling `invokeTarget(target, payload)` with exactly its payload, and is deleted after a successful
 * fire (ActionAfterCompletion DELETE). A failing fire is retried with exponential backoff, then recorded as
 * dead-lettered. On `start()` a schedule whose time passed while the stack was down fires at once. One timer, armed
 * for the next due schedule and re-armed on every change, wakes it: it never polls.
 *
 * Like EventBridge, delivery is at least once: a stop between a fire and its deletion fires it again on the next start.
 */
export class LocalScheduler implements Scheduler {
  private readonly store: ScheduleStore;
  private readonly invokeTarget: ScheduleInvoker;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxConcurrentFires: number;
  private readonly onDeadLetter: ((schedule: StoredSchedule) => void | Promise<void>) | undefined;
  private readonly onError: (error: unknown) => void;
  private schedules: Map<string, StoredSchedule> | undefined;
  private loading: Promise<Map<string, StoredSchedule>> | undefined;
  private readonly wakes = new MinHeap<Wake>((a, b) => a.dueAt < b.dueAt);
  /** Fires under way, by schedule revision (a replaced schedule may fire while its predecessor still does). */
  private readonly firing = new Map<string, Promise<void>>();
  private storeOperations: Promise<unknown> = Promise.resolve();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly alarm: Alarm;
  private started = false;

  constructor(options: LocalSchedulerOptions) {
    this.store = options.store;
    this.invokeTarget = options.invokeTarget;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.alarm = new Alarm(this.timers, () => this.wake());
    this.maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 4);
    this.baseDelayMs = Math.max(0, options.retry?.baseDelayMs ?? 1000);
    this.maxDelayMs = Math.max(this.baseDelayMs, options.retry?.maxDelayMs ?? 60_000);
    this.maxConcurrentFires = Math.max(1, options.maxConcurrentFires ?? 8);
    this.onDeadLetter = options.onDeadLetter;
    this.onError = options.onError ?? ((error) => console.error('local scheduler:', error));
  }

  /** Loads the stored schedules and arms the timer; schedules already due (missed while stopped) fire at once. */
  async start(): Promise<void> {
    await this.load();
    this.started = true;
    this.wake();
  }

  /** Disarms the timer and resolves once the fires under way have finished. Schedules stay in the store. */
  async stop(): Promise<void> {
    this.started = false;
    this.alarm.disarm();
    while (this.firing.size > 0) await Promise.all(this.firing.values());
    this.notifyIdle();
  }

  /**
   * Stores the schedule, replacing one of the same name (and its retry state), and re-arms the timer. Throws a
   * RangeError for what EventBridge would refuse: an empty name, a malformed `at`, an unknown zone or target.
   */
  async createSchedule(schedule: OneTimeSchedule): Promise<void> {
    // Any name the port allows: the AWS adapter maps application names onto EventBridge's alphabet itself.
    if (typeof schedule.name !== 'string' || schedule.name.length === 0)
      throw new RangeError('a schedule name cannot be empty');
    if (!TARGETS.includes(schedule.target)) throw new RangeError(`unknown schedule target ${schedule.target}`);
    const fireAt = localTimeToInstant(schedule.at, schedule.timeZone).toISOString();
    const stored: StoredSchedule = {
      name: schedule.name,
      at: schedule.at,
      timeZone: schedule.timeZone,
      target: schedule.target,
      // What the target gets is what EventBridge would deliver: the payload's JSON, read back.
      payload: JSON.parse(JSON.stringify(schedule.payload)) as Record<string, unknown>,
      fireAt,
      dueAt: fireAt,
      revision: randomUUID(),
      attempts: 0,
      state: 'pending',
      createdAt: this.clock.now().toISOString(),
    };
    const schedules = await this.load();
    const previous = schedules.get(stored.name);
    schedules.set(stored.name, stored);
    try {
      await this.inOrder(() => this.store.put(stored));
    } catch (error) {
      if (schedules.get(stored.name) === stored) {
        if (previous) schedules.set(stored.name, previous);
        else schedules.delete(stored.name);
      }
      throw error;
    }
    this.pushWake(stored);
    this.wake();
  }

  /** Removes the schedule so it never fires; a fire already under way finishes. Unknown names are ignored. */
  async deleteSchedule(name: string): Promise<void> {
    const schedules = await this.load();
    if (!schedules.has(name)) return;
    schedules.delete(name);
    await this.inOrder(() => this.store.delete(name));
    this.wake();
  }

  /** The schedules waiting to fire, soonest first. */
  async pending(): Promise<StoredSchedule[]> {
    const schedules = await this.load();
    return [...schedules.values()]
      .filter((schedule) => schedule.state === 'pending')
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
      .map((schedule) => structuredClone(schedule));
  }

  /** The schedules given up on after `maxAttempts` failed fires, with their last error. */
  async deadLetters(): Promise<StoredSchedule[]> {
    const schedules = await this.load();
    return [...schedules.values()]
      .filter((schedule) => schedule.state === 'deadLettered')
      .map((schedule) => structuredClone(schedule));
  }

  /**
   * Resolves once no fire is under way and nothing is due now: what a test with an injected clock awaits after moving
   * time forward.
   */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.notifyIdle();
    });
  }

  private load(): Promise<Map<string, StoredSchedule>> {
    if (this.schedules) return Promise.resolve(this.schedules);
    this.loading ??= this.store.list().then((list) => {
      const schedules = new Map(list.map((schedule) => [schedule.name, schedule]));
      for (const schedule of schedules.values()) this.pushWake(schedule);
      this.schedules = schedules;
      return schedules;
    });
    return this.loading;
  }

  /** Runs store writes one after the other, in the order the in-memory map changed. */
  private inOrder(operation: () => Promise<void>): Promise<void> {
    const run = this.storeOperations.then(operation);
    this.storeOperations = run.catch(() => undefined);
    return run;
  }

  private pushWake(schedule: StoredSchedule): void {
    if (schedule.state !== 'pending') return;
    this.wakes.push({
      dueAt: Date.parse(schedule.dueAt),
      name: schedule.name,
      revision: schedule.revision,
      attempts: schedule.attempts,
    });
  }

  /** The schedule a wake-up is for, unless it was deleted, replaced or retried since. */
  private scheduleOf(wake: Wake): StoredSchedule | undefined {
    const schedule = this.schedules?.get(wake.name);
    if (schedule?.state !== 'pending') return undefined;
    if (schedule.revision !== wake.revision || schedule.attempts !== wake.attempts) return undefined;
    return schedule;
  }

  /** Fires what is due, as far as the concurrency allows, then re-arms the timer for the next wake-up. */
  private wake(): void {
    if (!this.started) return;
    const now = this.clock.now().getTime();
    while (this.firing.size < this.maxConcurrentFires) {
      const next = this.wakes.peek();
      if (!next || next.dueAt > now) break;
      this.wakes.pop();
      const schedule = this.scheduleOf(next);
      if (schedule && !this.firing.has(schedule.revision)) this.fire(schedule);
    }
    this.arm(now);
    this.notifyIdle();
  }

  private fire(schedule: StoredSchedule): void {
    const run = this.attempt(schedule)
      .catch(this.onError)
      .finally(() => {
        this.firing.delete(schedule.revision);
        this.wake();
        this.notifyIdle();
      });
    this.firing.set(schedule.revision, run);
  }

  private async attempt(schedule: StoredSchedule): Promise<void> {
    let failure: unknown;
    let failed = false;
    try {
      await this.invokeTarget(schedule.target, structuredClone(schedule.payload));
    } catch (error) {
      failed = true;
      failure = error;
    }
    const current = this.schedules?.get(schedule.name);
    // Deleted or replaced while it fired: the new schedule (if any) keeps its own life.
    if (!current || current.revision !== schedule.revision) return;
    if (!failed) {
      this.schedules?.delete(schedule.name);
      await this.inOrder(() => this.store.delete(schedule.name));
      return;
    }
    const attempts = current.attempts + 1;
    const lastError = failure instanceof Error ? failure.message : String(failure);
    const now = this.clock.now().getTime();
    if (attempts >= this.maxAttempts) {
      const deadLettered: StoredSchedule = { ...current, attempts, lastError, state: 'deadLettered' };
      this.schedules?.set(schedule.name, deadLettered);
      await this.inOrder(() => this.store.put(deadLettered));
      await this.onDeadLetter?.(structuredClone(deadLettered));
      return;
    }
    const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempts - 1));
    const retry: StoredSchedule = { ...current, attempts, lastError, dueAt: new Date(now + backoff).toISOString() };
    this.schedules?.set(schedule.name, retry);
    this.pushWake(retry);
    await this.inOrder(() => this.store.put(retry));
  }

  private arm(now: number): void {
    let next = this.wakes.peek();
    while (next && !this.scheduleOf(next)) {
      this.wakes.pop();
      next = this.wakes.peek();
    }
    if (!next || !this.started) {
      this.alarm.disarm();
      return;
    }
    this.alarm.armAt(next.dueAt, now);
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0 || this.firing.size > 0) return;
    const next = this.wakes.peek();
    if (this.started && next && next.dueAt <= this.clock.now().getTime()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
