import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Refuses a second local stack on a data folder another one is using (dynalite's store cannot be shared). */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `${dataDir} is in use by another local stack (process ${pid}): stop it, or start this one with another DATA_DIR`,
    );
    this.name = 'DataDirInUseError';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data folder for this process: a `stack.lock` file holding its pid, created exclusively. A lock left by a
 * process that is gone (killed) is taken over; one held by a live process (this one included: a second stack in the
 * same process) is refused. Returns the release.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'stack.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      return () => unlink(path).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && isRunning(holder)) throw new DataDirInUseError(dataDir, holder);
      await unlink(path).catch(() => undefined);
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
