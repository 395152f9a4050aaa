import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type OutboxRecord, outboxRecordSchema } from './outbox-record';

/**
 * The simulated carrier's outbox: every accepted message in memory, and, when given a file, appended to it as one
 * JSON line each so that it survives a restart like a real carrier's records. Lines appended in the same tick go out
 * in one write. On open, a line that does not parse (the last one, torn by a crash) is skipped and counted.
 */
export class OutboxLog {
  private readonly records: OutboxRecord[];
  /** Lines waiting for the next write, and that write's promise. */
  private batch: { lines: string[]; written: Promise<void> } | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly handle: FileHandle | undefined,
    records: OutboxRecord[],
    /** Lines of the file that could not be read back. */
    readonly skippedLines: number,
  ) {
    this.records = records;
  }

  /** Reads the file (if any) and opens it for appending; `undefined` keeps the outbox in memory only. */
  static async open(path: string | undefined): Promise<OutboxLog> {
    if (path === undefined) return new OutboxLog(undefined, [], 0);
    await mkdir(dirname(path), { recursive: true });
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const records: OutboxRecord[] = [];
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        records.push(outboxRecordSchema.parse(JSON.parse(line)));
      } catch {
        skipped += 1;
      }
    }
    const handle = await open(path, 'a');
    // A torn last line must not glue itself to the next record.
    if (text.length > 0 && !text.endsWith('\n')) await handle.write('\n');
    return new OutboxLog(handle, records, skipped);
  }

  get size(): number {
    return this.records.length;
  }

  /** Keeps the record; resolves once it is on disk (at once in memory). */
  append(record: OutboxRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the outbox is closed'));
    this.records.push(record);
    if (!this.handle) return Promise.resolve();
    const handle = this.handle;
    if (!this.batch) {
      const lines: string[] = [];
      const written = this.writing
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(async () => {
          this.batch = undefined;
          await handle.write(lines.join(''));
        });
      this.batch = { lines, written };
      this.writing = written.catch(() => undefined);
    }
    this.batch.lines.push(`${JSON.stringify(record)}\n`);
    return this.batch.written;
  }

  /** The newest records first, those sent to `to` only when given, at most `limit` of them when given. */
  newestFirst(filter: { to?: string | undefined; limit?: number | undefined } = {}): OutboxRecord[] {
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    const found: OutboxRecord[] = [];
    for (let index = this.records.length - 1; index >= 0 && found.length < limit; index -= 1) {
      const record = this.records[index] as OutboxRecord;
      if (filter.to === undefined || record.to === filter.to) found.push(structuredClone(record));
    }
    return found;
  }

  /** Writes what is queued and closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
    await this.handle?.close();
  }
}
