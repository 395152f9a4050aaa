import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, type WriteRequest } from './batch';

/**
 * Unconditional puts of items nobody else writes (each put of the same item the same), coalesced: the puts asked for
 * while `maxInFlight` batch writes are out wait for one to end and go out together, 25 to a BatchWriteItem. Under
 * load the callers of a process (concurrent batches of a queue) share requests instead of sending a few items each.
 * Each caller's promise resolves once its own items are written.
 */
export class CoalescedWrites {
  private waiting: { requests: WriteRequest[]; done: () => void; fail: (e: unknown) => void }[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly maxInFlight = 2,
  ) {}

  write(requests: WriteRequest[]): Promise<void> {
    if (requests.length === 0) return Promise.resolve();
    return new Promise((done, fail) => {
      this.waiting.push({ requests, done, fail });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    this.inFlight++;
    try {
      // A BatchWriteItem refuses the same key twice; puts of the same item are the same (a message delivered twice).
      const byKey = new Map<string, WriteRequest>();
      for (const request of batch.flatMap((entry) => entry.requests)) {
        const item = request.PutRequest?.Item ?? request.DeleteRequest?.Key ?? {};
        byKey.set(`${String(item.pk)}\u0000${String(item.sk)}`, request);
      }
      await batchWriteAll(this.client, this.tableName, [...byKey.values()]);
      for (const entry of batch) entry.done();
    } catch (error) {
      for (const entry of batch) entry.fail(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
