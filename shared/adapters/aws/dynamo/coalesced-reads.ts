import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch';

type Key = { pk: string; sk: string };
type Item = Record<string, unknown>;

const keyOf = (key: Key) => `${key.pk}\u0000${key.sk}`;

/**
 * Consistent reads of single items, coalesced: the reads asked for in the same turn of the event loop go out as one
 * BatchGetItem (up to 100 keys a request) instead of one GetItem each. Many workers reading right before their own
 * send (the campaign's status, a contact, a number's opt-out, a send log) then cost a request per group, not per
 * recipient, with the same consistency as a GetItem. Each caller still reads after its own turn, never earlier.
 */
export class CoalescedReads {
  private waiting = new Map<
    string,
    { key: Key; callers: ((item: Item | undefined) => void)[]; fail: ((e: unknown) => void)[] }
  >();
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /**
     * BatchGetItems out at once; reads asked for meanwhile wait for one to end and go out together (under load, one
     * request for many reads instead of one for each turn of the event loop).
     */
    private readonly maxInFlight = Number.POSITIVE_INFINITY,
  ) {}

  /** The item under `key` as a consistent read sees it now, or undefined. */
  get(key: Key): Promise<Item | undefined> {
    return new Promise((resolve, reject) => {
      const id = keyOf(key);
      const entry = this.waiting.get(id) ?? { key: { pk: key.pk, sk: key.sk }, callers: [], fail: [] };
      entry.callers.push(resolve);
      entry.fail.push(reject);
      this.waiting.set(id, entry);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.size === 0 || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    this.scheduled = false;
    this.inFlight++;
    try {
      const items = await batchGetAll(
        this.client,
        this.tableName,
        [...batch.values()].map((entry) => entry.key),
      );
      const found = new Map(items.map((item) => [keyOf(item as Key), item]));
      for (const [id, entry] of batch) for (const resolve of entry.callers) resolve(found.get(id));
    } catch (error) {
      for (const entry of batch.values()) for (const reject of entry.fail) reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
