import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type ScheduleStore, type StoredSchedule, storedScheduleSchema } from './schedule-store';

const scheduleFileSchema = z.object({ version: z.literal(1), schedules: z.array(storedScheduleSchema) });

/**
 * Keeps the schedules in one JSON file under the data folder (`<dataDir>/schedules.json` by default), so the local
 * scheduler finds them again after a restart. Every change rewrites the file through a temporary file that is
 * flushed and then renamed over it, so a crash leaves the old file or the new one, never half of one. Changes made
 * while a write is under way are written together by the next one.
 */
export class FileScheduleStore implements ScheduleStore {
  private readonly path: string;
  private schedules: Map<string, StoredSchedule> | undefined;
  private loading: Promise<Map<string, StoredSchedule>> | undefined;
  private writing: Promise<void> | undefined;
  private pendingWrite: Promise<void> | undefined;
  private temporaryCount = 0;

  constructor(
    private readonly dataDir: string,
    fileName = 'schedules.json',
  ) {
    this.path = join(dataDir, fileName);
  }

  async list(): Promise<StoredSchedule[]> {
    const schedules = await this.load();
    return [...schedules.values()].map((schedule) => structuredClone(schedule));
  }

  async put(schedule: StoredSchedule): Promise<void> {
    const schedules = await this.load();
    schedules.set(schedule.name, structuredClone(schedule));
    await this.persist();
  }

  async delete(name: string): Promise<void> {
    const schedules = await this.load();
    if (schedules.delete(name)) await this.persist();
  }

  private load(): Promise<Map<string, StoredSchedule>> {
    if (this.schedules) return Promise.resolve(this.schedules);
    this.loading ??= this.readFile().then((schedules) => {
      this.schedules = schedules;
      return schedules;
    });
    return this.loading;
  }

  private async readFile(): Promise<Map<string, StoredSchedule>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    const file = scheduleFileSchema.parse(JSON.parse(text));
    return new Map(file.schedules.map((schedule) => [schedule.name, schedule]));
  }

  /** Resolves once a write that started after this change has finished. */
  private persist(): Promise<void> {
    if (this.pendingWrite) return this.pendingWrite;
    const previous = this.writing ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => {
        this.pendingWrite = undefined;
        return this.writeFile();
      });
    this.pendingWrite = next;
    this.writing = next;
    return next;
  }

  private async writeFile(): Promise<void> {
    const schedules = [...(this.schedules ?? new Map<string, StoredSchedule>()).values()];
    const text = `${JSON.stringify({ version: 1, schedules }, null, 2)}\n`;
    await mkdir(this.dataDir, { recursive: true });
    this.temporaryCount += 1;
    const temporary = `${this.path}.${process.pid}.${this.temporaryCount}.tmp`;
    try {
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
