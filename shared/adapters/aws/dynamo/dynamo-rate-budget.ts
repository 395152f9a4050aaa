import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  BOOKING_HORIZON_MS,
  type Grant,
  grantSize,
  SLOT_SLACK_MS,
  spacingOf,
  takeGrant,
} from '../../../domain/sending/send-slots';
import type { Clock } from '../../../ports/clock.port';
import type { RateBudget } from '../../../ports/rate-budget.port';

/** Budget items live in the numbers table beside the number they pace, under this partition-key prefix. */
export const BUDGET_KEY_PREFIX = 'BUDGET#';
const budgetKey = (sender: string) => ({ pk: `${BUDGET_KEY_PREFIX}${sender}`, sk: 'BUDGET' });

/** A grant being spent by this process, one slot per `acquire`, in order. */
interface Spending {
  grant: Grant;
  used: number;
  /** Callers queue behind each other. */
  queue: Promise<void>;
}

/**
 * The sender's rate budget on DynamoDB, shared by every worker of every Lambda: the item holds `nextFree`, the first
 * instant no worker has been granted yet. A worker takes a quarter second of slots in one conditional update, then
 * spends them locally, one per message at its slot's time (a slot missed by more than the slack is dropped). So the
 * budget costs about four writes a second per sender when one worker sends, more when many compete for it (each
 * refused try is a write), and the slots of all workers together never go faster than the rate.
 */
export class DynamoRateBudget implements RateBudget {
  private readonly spending = new Map<string, Spending>();
  /** The last `nextFree` seen per sender: the first try of the next grant is usually right, with no read. */
  private readonly lastSeen = new Map<string, number | undefined>();
  /** Budget writes made (for the pacing benchmark). */
  writes = 0;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Pick<Clock, 'now' | 'sleep'>,
  ) {}

  async acquire(sender: string, messagesPerSecond: number, notAfter?: number): Promise<boolean> {
    return (await this.acquireSlot(sender, messagesPerSecond, notAfter)) !== undefined;
  }

  /** Resolves at the caller's slot, with the slot's instant (epoch ms); undefined when none comes before `notAfter`. */
  acquireSlot(
    sender: string,
    messagesPerSecond: number,
    notAfter = Number.POSITIVE_INFINITY,
  ): Promise<number | undefined> {
    const current = this.spending.get(sender);
    const queue = current?.queue ?? Promise.resolve();
    const turn = queue.then(() => this.nextSlot(sender, messagesPerSecond, notAfter));
    const spending: Spending = current ?? {
      grant: { start: 0, spacing: 0, count: 0 },
      used: 0,
      queue: Promise.resolve(),
    };
    spending.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    this.spending.set(sender, spending);
    return turn;
  }

  private async nextSlot(sender: string, messagesPerSecond: number, notAfter: number): Promise<number | undefined> {
    const spending = this.spending.get(sender) as Spending;
    for (;;) {
      this.dropLateSlots(spending, this.clock.now().getTime());
      if (spending.used >= spending.grant.count || spending.grant.spacing !== spacingOf(messagesPerSecond)) {
        const grant = await this.takeGrant(sender, messagesPerSecond, notAfter);
        if (!grant) return undefined;
        spending.grant = grant;
        spending.used = 0;
      }
      const at = spending.grant.start + spending.used * spending.grant.spacing;
      if (at > notAfter) return undefined;
      const wait = at - this.clock.now().getTime();
      if (wait > 0) await this.clock.sleep(wait);
      // Woken too late (a busy process): the slot is dropped, never sent in a bunch with the next ones.
      if (this.clock.now().getTime() <= at + SLOT_SLACK_MS) {
        spending.used++;
        return at;
      }
    }
  }

  /** Slots whose time passed by more than the slack are lost. */
  private dropLateSlots(spending: Spending, now: number): void {
    while (spending.used < spending.grant.count) {
      if (spending.grant.start + spending.used * spending.grant.spacing + SLOT_SLACK_MS >= now) return;
      spending.used++;
    }
  }

  /**
   * A new grant, or undefined when the budget's next free slot comes after `notAfter` or far ahead (others keep the
   * number busy): the worker then steps back without writing. The grant is one conditional write that moves
   * `nextFree` on from the value this worker last saw; when another worker moved it first, the refusal tells the
   * current value (or a read does) and the worker tries again from there.
   */
  private async takeGrant(sender: string, messagesPerSecond: number, notAfter: number): Promise<Grant | undefined> {
    const count = grantSize(messagesPerSecond);
    for (let attempt = 0; attempt < 50; attempt++) {
      const seen = this.lastSeen.get(sender);
      const now = this.clock.now().getTime();
      const { grant, nextFree } = takeGrant(seen, now, messagesPerSecond, count);
      const bookedFar = Number.isFinite(notAfter) && grant.start > now + BOOKING_HORIZON_MS;
      if (grant.start > notAfter || bookedFar) return undefined;
      try {
        this.writes++;
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: budgetKey(sender),
            UpdateExpression: 'SET nextFree = :next',
            ConditionExpression: seen === undefined ? 'attribute_not_exists(nextFree)' : 'nextFree = :seen',
            ExpressionAttributeValues: { ':next': nextFree, ...(seen === undefined ? {} : { ':seen': seen }) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        this.lastSeen.set(sender, nextFree);
        return grant;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // DynamoDB returns the item with the refusal; a store that does not (dynalite) is read.
        const returned = (error as { Item?: Record<string, { N?: string }> }).Item?.nextFree?.N;
        this.lastSeen.set(sender, returned !== undefined ? Number(returned) : await this.readNextFree(sender));
      }
    }
    throw new Error(`the rate budget of ${sender} kept changing under 50 tries`);
  }

  private async readNextFree(sender: string): Promise<number | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: budgetKey(sender), ConsistentRead: true }),
    );
    return out.Item?.nextFree as number | undefined;
  }
}
