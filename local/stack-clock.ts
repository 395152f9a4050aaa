import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalClock } from '../shared/adapters/local/local-clock';
import { parseInstant } from './local-clock.schema';

/** `LOCAL_TIME`, when set: the instant the stack's clock starts at. Throws a message naming the variable otherwise. */
export function localTimeFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.LOCAL_TIME;
  if (value === undefined || value.trim() === '') return undefined;
  const instant = parseInstant(value);
  if (instant === undefined) {
    throw new Error(
      `LOCAL_TIME must be an ISO-8601 date-time with its offset, e.g. 2026-12-01T14:00:00-05:00 or 2026-12-01T19:00:00Z; got ${JSON.stringify(value)}`,
    );
  }
  return instant;
}

const clockFile = (dataDir: string) => join(dataDir, 'clock.json');

/**
 * The clock of a stack that keeps its data under `dataDir`: where a previous run moved its clock ahead, it goes on
 * from there (its data has times from that future), so a restart never moves time back for the store.
 */
export async function openStackClock(dataDir: string | undefined, startAt?: number): Promise<LocalClock> {
  if (startAt !== undefined || dataDir === undefined) return new LocalClock({ startAt });
  try {
    const saved = JSON.parse(await readFile(clockFile(dataDir), 'utf8')) as { offsetMs?: unknown; savedAt?: unknown };
    if (typeof saved.offsetMs === 'number' && Number.isFinite(saved.offsetMs)) {
      // Never before the last reading saved, even if the machine's clock went back meanwhile.
      const lastSeen = typeof saved.savedAt === 'string' ? Date.parse(saved.savedAt) : Number.NaN;
      const resumed = Date.now() + saved.offsetMs;
      return new LocalClock({ startAt: Number.isNaN(lastSeen) ? resumed : Math.max(resumed, lastSeen) });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return new LocalClock();
}

/** Remembers how far the clock runs from the machine's, for the next start on the same data. */
export async function saveStackClock(dataDir: string | undefined, clock: LocalClock): Promise<void> {
  if (dataDir === undefined) return;
  await mkdir(dataDir, { recursive: true });
  const path = clockFile(dataDir);
  await writeFile(`${path}.tmp`, `${JSON.stringify({ offsetMs: clock.offset, savedAt: clock.now().toISOString() })}\n`);
  await rename(`${path}.tmp`, path);
}
