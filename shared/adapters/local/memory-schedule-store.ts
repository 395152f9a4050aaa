import type { ScheduleStore, StoredSchedule } from './schedule-store';

/** A schedule store in memory, for tests and for a stack run without a data folder. */
export class MemoryScheduleStore implements ScheduleStore {
  private readonly schedules = new Map<string, StoredSchedule>();

  async list(): Promise<StoredSchedule[]> {
    return [...this.schedules.values()].map((schedule) => structuredClone(schedule));
  }

  async put(schedule: StoredSchedule): Promise<void> {
    this.schedules.set(schedule.name, structuredClone(schedule));
  }

  async delete(name: string): Promise<void> {
    this.schedules.delete(name);
  }
}
