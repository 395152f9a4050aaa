import { z } from 'zod';

/**
 * A one-time schedule as the local scheduler keeps it: what `createSchedule` got, the instant it names, and the state
 * of its firing (attempts so far, when it is next due, whether it was given up on).
 */
export const storedScheduleSchema = z.object({
  name: z.string().min(1),
  at: z.string(),
  timeZone: z.string(),
  target: z.enum(['launcher', 'workflows']),
  payload: z.record(z.string(), z.unknown()),
  /** The instant `at` names in `timeZone` (ISO 8601, UTC). */
  fireAt: z.iso.datetime(),
  /** When it is next due: `fireAt`, or the retry after a failed attempt. */
  dueAt: z.iso.datetime(),
  /** Changes when the schedule is replaced, so a fire that was running for the old one does not delete the new one. */
  revision: z.string().min(1),
  /** Failed attempts so far. */
  attempts: z.number().int().nonnegative(),
  state: z.enum(['pending', 'deadLettered']),
  lastError: z.string().optional(),
  createdAt: z.iso.datetime(),
});
export type StoredSchedule = z.infer<typeof storedScheduleSchema>;

/**
 * Where the local scheduler keeps its schedules, so they survive a restart as EventBridge Scheduler's do. Names are
 * unique: `put` replaces a schedule of the same name.
 */
export interface ScheduleStore {
  list(): Promise<StoredSchedule[]>;
  put(schedule: StoredSchedule): Promise<void>;
  /** Removing a name that is not there is not an error. */
  delete(name: string): Promise<void>;
}
