/**
 * One-time schedules (EventBridge Scheduler `at(...)` on AWS, a store-backed local scheduler).
 * A schedule fires once with its payload at `at` (wall-clock time in `timeZone`), then is deleted.
 */
export interface OneTimeSchedule {
  /** Unique per target: creating the same name twice replaces the first. */
  name: string;
  /** Local date-time without offset, `YYYY-MM-DDTHH:mm:ss`, read in `timeZone`. */
  at: string;
  timeZone: string;
  /** Where it fires: the launcher (campaigns) or the workflow runner. */
  target: ScheduleTarget;
  payload: Record<string, unknown>;
}

export type ScheduleTarget = 'launcher' | 'workflows';

export interface Scheduler {
  createSchedule(schedule: OneTimeSchedule): Promise<void>;
  /** Deleting a schedule that does not exist (fired or never made) is not an error. */
  deleteSchedule(name: string): Promise<void>;
}
