import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  BOOKING_HORIZON_MS,
  type Booking,
  type Grant,
  grantSize,
  HORIZON_TOLERANCE_MS,
  planBooking,
  RESTART_LEAD_MS,
  SLOT_SLACK_MS,
  spacingOf,
} from '../../../domain/sending/send-slots';
import type { Clock } from '../../../ports/clock.port';
import type { RateBudget } from '../../../ports/rate-budget.port';

/** Budget items live in the numbers table beside the number they pace, under this partition-key prefix. */
export const BUDGET_KEY_PREFIX = 'BUDGET#';
const budgetKey = (sender: string) => ({ pk: `${BUDGET_KEY_PREFIX}${sender}`, sk: 'BUDGET' });

/** A worker's view of the budget is read again before a write when it is older than this. */
const VIEW_FRESH_MS = 5;

/** The longest random wait before booking after another worker's booking, when the store answers fast. */
const SPREAD_MS = 150;

/** The next grant is booked when the current one has this much left (beyond the lead a booking needs). */
const PREFETCH_MS = 100;

/** The most a booking starts ahead of the worker's reading, however slow the store. */
const MAX_LEAD_MS = 500;

interface View {
  nextFree: number | undefined;
  readAt: number;
}

/** A grant being spent by this process, one slot per `acquire`, in order. */
interface Spending {
  grant: Grant;
  used: number;
  /** Callers queue behind each other. */
  queue: Promise<void>;
  /** The next grant, booked while the last slots of this one run, so one worker alone leaves no gap between them. */
  next?: Promise<Grant | undefined> | undefined;
}

/**
 * The sender's rate budget on DynamoDB, shared by every worker of every Lambda: the item holds `nextFree`, the first
 * instant no worker has been granted yet. A worker books at least 300 ms of slots in one conditional update (an atomic
 * add, so workers booking together do not refuse each other), then spends them locally, one per message at its slot's
 * time (a slot missed by more than the slack is dropped). A worker whose deadline or the booking horizon comes before
 * the number is free steps back without writing. So the budget costs about three writes a second per sender, however
 * many workers share it, and the slots of all workers together never go faster than the rate.
 */
export class DynamoRateBudget implements RateBudget {
  private readonly spending = new Map<string, Spending>();
  /** The last `nextFree` seen per sender, and when. */
  private readonly views = new Map<string, View>();
  /** Where this worker's own last booking ended, per sender: when it is still the last, nobody competes for the next. */
  private readonly ownBookingEnd = new Map<string, number>();
  /** Budget writes and reads made (for the pacing benchmark). */
  writes = 0;
  refusedWrites = 0;
  /** Slots given up because the process woke too late for them. */
  droppedSlots = 0;
  private latencyMs = 0;
  reads = 0;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Pick<Clock, 'now' | 'sleep'>,
    private readonly random: () => number = Math.random,
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
        const booked = spending.next ? await spending.next : undefined;
        spending.next = undefined;
        const grant =
          booked?.spacing === spacingOf(messagesPerSecond)
            ? booked
            : await this.takeGrant(sender, messagesPerSecond, notAfter);
        if (!grant) return undefined;
        spending.grant = grant;
        spending.used = 0;
        this.dropLateSlots(spending, this.clock.now().getTime());
        if (spending.used >= spending.grant.count) continue;
      }
      const at = spending.grant.start + spending.used * spending.grant.spacing;
      if (at > notAfter) return undefined;
      const grantEnd = spending.grant.start + spending.grant.count * spending.grant.spacing;
      if (!spending.next && grantEnd - this.clock.now().getTime() < this.lead() + PREFETCH_MS) {
        spending.next = this.takeGrant(sender, messagesPerSecond, notAfter).catch(() => undefined);
      }
      // Timers may wake a millisecond early: never hand a slot out before its time.
      for (let wait = at - this.clock.now().getTime(); wait > 0; wait = at - this.clock.now().getTime()) {
        await this.clock.sleep(wait);
      }
      // Woken too late (a busy process): the slot is dropped, never sent in a bunch with the next ones.
      if (this.clock.now().getTime() <= at + SLOT_SLACK_MS) {
        spending.used++;
        return at;
      }
      this.droppedSlots++;
    }
  }

  /** Slots whose time passed by more than the slack are lost. */
  private dropLateSlots(spending: Spending, now: number): void {
    while (spending.used < spending.grant.count) {
      if (spending.grant.start + spending.used * spending.grant.spacing + SLOT_SLACK_MS >= now) return;
      spending.used++;
      this.droppedSlots++;
    }
  }

  /**
   * A new grant, or undefined when the number is booked past the caller's deadline or the booking horizon (others
   * keep it busy): the worker then steps back, without a write. A grant is one conditional write: an atomic add to
   * `nextFree` (workers booking at once both succeed, one after the other) or, when the budget's booked time ends
   * before this write could land, a restart a lead from now. A view older than `VIEW_FRESH_MS` is read again before
   * a write, so a refused write is a rare race.
   */
  private async takeGrant(sender: string, messagesPerSecond: number, notAfter: number): Promise<Grant | undefined> {
    const count = grantSize(messagesPerSecond);
    const plan = (nextFree: number | undefined, now: number) =>
      planBooking(nextFree, now, this.latestStart(notAfter, now), messagesPerSecond, count, this.lead());
    let spread = false;
    for (let attempt = 0; attempt < 20; attempt++) {
      let view = this.views.get(sender);
      // A view only lags the store (bookings move `nextFree` on), so a number it shows booked past the caller is.
      if (view && plan(view.nextFree, this.clock.now().getTime()).kind === 'full') return undefined;
      if (!view || this.clock.now().getTime() - view.readAt > VIEW_FRESH_MS) view = await this.read(sender);
      const now = this.clock.now().getTime();
      const booking = plan(view.nextFree, now);
      if (booking.kind === 'full') return undefined;
      if (!spread && view.nextFree !== this.ownBookingEnd.get(sender)) {
        spread = true;
        const wait = this.spreadWindow(view.nextFree, now);
        if (wait > 0) {
          await this.clock.sleep(this.random() * wait);
          continue;
        }
      }
      // Workers that saw the same opening may all take it: past the horizon by a little, never past a deadline.
      const writeLimit = Number.isFinite(notAfter)
        ? Math.min(notAfter, now + BOOKING_HORIZON_MS + HORIZON_TOLERANCE_MS)
        : notAfter;
      const grant = await this.book(sender, booking, now, writeLimit);
      if (grant) return grant;
    }
    throw new Error(`the rate budget of ${sender} kept changing under 20 tries`);
  }

  private latestStart(notAfter: number, now: number): number {
    return Number.isFinite(notAfter) ? Math.min(notAfter, now + BOOKING_HORIZON_MS) : notAfter;
  }

  /** How long a write takes to land, with room to spare: a slot booked sooner would be late on arrival. */
  private lead(): number {
    return Math.min(MAX_LEAD_MS, Math.max(RESTART_LEAD_MS, 2 * this.latencyMs));
  }

  /**
   * Others booked last: workers that read the same opening would all write for it, and all but one be refused. Each
   * waits a random moment first and reads again; never longer than the time others already hold (the number does
   * not sit idle while this worker waits), longer when the store is slow (the race lasts a round trip).
   */
  private spreadWindow(nextFree: number | undefined, now: number): number {
    const window = Math.max(SPREAD_MS, 3 * this.latencyMs);
    return nextFree === undefined || nextFree < now ? window : Math.min(window, nextFree - now);
  }

  /** A moving average of the budget's round trips (real time: it measures the store, not business time). */
  private timed<T>(request: Promise<T>): Promise<T> {
    const started = performance.now();
    return request.finally(() => {
      this.latencyMs = 0.8 * this.latencyMs + 0.2 * (performance.now() - started);
    });
  }

  /** One conditional write for the booking; undefined (and a fresher view) when the store had moved on. */
  private async book(
    sender: string,
    booking: Exclude<Booking, { kind: 'full' }>,
    now: number,
    latestStart: number,
  ): Promise<Grant | undefined> {
    const command =
      booking.kind === 'restart'
        ? new UpdateCommand({
            TableName: this.tableName,
            Key: budgetKey(sender),
            UpdateExpression: 'SET nextFree = :next',
            ConditionExpression: 'attribute_not_exists(nextFree) OR nextFree <= :start',
            ExpressionAttributeValues: { ':next': booking.nextFree, ':start': booking.grant.start },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          })
        : new UpdateCommand({
            TableName: this.tableName,
            Key: budgetKey(sender),
            UpdateExpression: 'SET nextFree = nextFree + :span',
            ConditionExpression: Number.isFinite(latestStart)
              ? 'nextFree BETWEEN :now AND :latest'
              : 'nextFree >= :now',
            ExpressionAttributeValues: {
              ':span': booking.span,
              ':now': now,
              ...(Number.isFinite(latestStart) ? { ':latest': latestStart } : {}),
            },
            ReturnValues: 'UPDATED_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          });
    try {
      this.writes++;
      const out = await this.timed(this.client.send(command));
      if (booking.kind === 'restart') {
        this.views.set(sender, { nextFree: booking.nextFree, readAt: now });
        this.ownBookingEnd.set(sender, booking.nextFree);
        return booking.grant;
      }
      const nextFree = out.Attributes?.nextFree as number;
      this.views.set(sender, { nextFree, readAt: now });
      this.ownBookingEnd.set(sender, nextFree);
      return { start: nextFree - booking.span, spacing: booking.spacing, count: booking.count };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      this.refusedWrites++;
      // DynamoDB returns the item with the refusal; a store that does not (dynalite) is read on the next try.
      const returned = (error as { Item?: Record<string, { N?: string }> }).Item?.nextFree?.N;
      if (returned !== undefined) this.views.set(sender, { nextFree: Number(returned), readAt: now });
      else this.views.delete(sender);
      return undefined;
    }
  }

  private async read(sender: string): Promise<View> {
    const readAt = this.clock.now().getTime();
    this.reads++;
    const out = await this.timed(
      this.client.send(new GetCommand({ TableName: this.tableName, Key: budgetKey(sender), ConsistentRead: true })),
    );
    const view = { nextFree: out.Item?.nextFree as number | undefined, readAt };
    this.views.set(sender, view);
    return view;
  }
}
