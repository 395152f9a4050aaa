import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type HeldShare,
  LEASE_MS,
  nextHeldSlot,
  planClaim,
  RENEW_AHEAD_MS,
  type SharesView,
  shareCount,
  sharesWanted,
} from '../../../domain/sending/rate-shares';
import { SLOT_SLACK_MS, spacingOf, TAKEOVER_LEAD_MS } from '../../../domain/sending/send-slots';
import type { Clock } from '../../../ports/clock.port';
import type { RateBudget } from '../../../ports/rate-budget.port';
import {
  afterClaim,
  budgetKey,
  claimExpression,
  type LeaseWrite,
  ownLease,
  releaseExpression,
  viewOf,
} from './rate-budget-item';

export { BUDGET_KEY_PREFIX } from './rate-budget-item';

/**
 * How late a slot may still go by this worker's clock: the slack, less the clock's grain (it reads whole
 * milliseconds, so the true time may be a millisecond on), so that no slot really goes later than the slack (a
 * 10 s run at 100 MPS once put 101 in one second).
 */
const LATE_LIMIT_MS = SLOT_SLACK_MS - 1;

/** A worker's view of the budget is read again before a write when it is older than this. */
const VIEW_FRESH_MS = 5;

/** The longest random wait before taking shares another worker let lapse, or laying the grid. */
const MAX_JITTER_MS = 2_000;

/** The most a fresh lease's first slot starts ahead of the claim, however slow the store. */
const MAX_LEAD_MS = 500;

/**
 * A lease runs this long past its holder's deadline: a worker that handed back for lack of time usually gets its
 * next invocation at once (work waits), and renews its shares while it sends on their slots, without a gap. One that
 * does not come back leaves them idle this long.
 */
const LEASE_GRACE_MS = 500;

/** A holder no caller waits on for this long gives its shares back. */
const IDLE_MS = 250;

/** How long a view that shows every share leased is trusted without a read (a holder may give them back early). */
const BUSY_TRUST_MS = 1_000;

/** A renewal is written only when it lengthens the lease by this much at least (deadlines move by a millisecond). */
const MIN_GAIN_MS = 250;

/** The shares this worker holds of one sender, and the last slot it handed out. */
interface Holding {
  spacing: number;
  shares: number;
  anchor: number;
  held: HeldShare[];
  lastSlot: number;
  /** A renewal under way (booked while the lease still runs, so its holder leaves no gap). */
  renewing?: Promise<void> | undefined;
}

/**
 * The sender's rate budget on DynamoDB, shared by every worker of every Lambda, as leases of rate shares
 * (`rate-shares.ts`): the item holds the grid (spacing, share count, start) and, per share, its holder and lease
 * end. A worker takes the shares it can use in one conditional write, sends on their slots with no further write
 * until the lease (10 s, or its deadline and half a second) nears its end, renews while it still sends, and gives
 * them back when no caller waits on it any more. A worker that finds every share leased writes nothing: a caller
 * with a deadline steps back at once (it hands its recipients back) and the worker reads nothing again for a second;
 * one without waits and looks again. So the budget costs a write per holder every few seconds, however many workers
 * share it and whatever the rate, and all shares together never send faster than the rate.
 */
export class DynamoRateBudget implements RateBudget {
  private readonly holdings = new Map<string, Holding>();
  private readonly views = new Map<string, SharesView>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Callers waiting for a slot per sender: a holder none waits on for a while gives its shares back. */
  private readonly waiting = new Map<string, number>();
  /** This worker in the budget's leases. */
  readonly holder = randomUUID();
  /** Budget writes (refused ones too) and reads made, and slots given up for waking too late (for the bench). */
  writes = 0;
  refusedWrites = 0;
  reads = 0;
  droppedSlots = 0;
  private latencyMs = 0;
  private lastReadMs = 0;

  /**
   * @param workerMps the rate this worker keeps up with: it leases no more shares than that (the rest stay for
   *   other workers); unbounded by default. `idleMs`: how long no caller waits before it gives its shares back.
   */
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Pick<Clock, 'now' | 'sleep'>,
    private readonly options: { workerMps?: number; idleMs?: number; random?: () => number } = {},
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
    // Callers of one sender take slots one after another, in arrival order.
    this.waiting.set(sender, (this.waiting.get(sender) ?? 0) + 1);
    const turn = (this.queues.get(sender) ?? Promise.resolve())
      .then(() => this.nextSlot(sender, messagesPerSecond, notAfter))
      .finally(() => this.leftQueue(sender));
    this.queues.set(
      sender,
      turn.catch(() => undefined),
    );
    return turn;
  }

  /**
   * The last caller of a sender left: unless another comes within `IDLE_MS` (real time: it watches this process's
   * activity, not business time), the shares are given back, so a worker done with its batch does not keep them
   * idle until the lease ends.
   */
  private leftQueue(sender: string): void {
    const left = (this.waiting.get(sender) ?? 1) - 1;
    this.waiting.set(sender, left);
    const holding = this.holdings.get(sender);
    if (left > 0 || !holding) return;
    setTimeout(() => {
      if ((this.waiting.get(sender) ?? 0) > 0 || this.holdings.get(sender) !== holding || holding.renewing) return;
      this.holdings.delete(sender);
      this.release(sender, holding).catch(() => undefined);
    }, this.options.idleMs ?? IDLE_MS).unref();
  }

  /** Ends its leases now (one write), so other workers may take the shares at once. */
  private async release(sender: string, holding: Holding): Promise<void> {
    const now = this.now();
    const until = leaseEndOf(holding);
    // A claim's shares share one lease end.
    const shares = holding.held.filter((h) => h.until === until && until > now).map((h) => h.share);
    if (shares.length === 0) return;
    this.writes++;
    this.views.delete(sender);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: budgetKey(sender),
          ...releaseExpression(shares, now, this.holder, until),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      this.refusedWrites++;
    }
  }

  private random(): number {
    return (this.options.random ?? Math.random)();
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private async nextSlot(sender: string, messagesPerSecond: number, notAfter: number): Promise<number | undefined> {
    for (let claims = 0; claims < 50; ) {
      const holding = this.currentHolding(sender, messagesPerSecond);
      // A slot passed by less than the slack is still given (the process woke a little late).
      const notBefore = this.now() - LATE_LIMIT_MS;
      const slot =
        holding &&
        nextHeldSlot(holding.held, holding.shares, holding.spacing, holding.lastSlot, notBefore, holding.anchor);
      if (holding && slot) {
        if (slot.at > notAfter) return undefined;
        this.renewAhead(sender, holding, messagesPerSecond, notAfter);
        // Timers may wake a millisecond early: never hand a slot out before its time.
        for (let wait = slot.at - this.now(); wait > 0; wait = slot.at - this.now()) await this.clock.sleep(wait);
        holding.lastSlot = slot.n;
        // Woken too late (a busy process): the slot is dropped, never sent in a bunch with the next ones.
        if (this.now() <= slot.at + LATE_LIMIT_MS) return slot.at;
        this.droppedSlots++;
        continue;
      }
      if (holding?.renewing) {
        await holding.renewing;
        continue;
      }
      // Its lease runs (nearly) to the caller's deadline: no slot is left before it worth a write.
      if (holding && leaseEndOf(holding) + MIN_GAIN_MS >= notAfter) return undefined;
      claims++;
      const outcome = await this.claim(sender, messagesPerSecond, notAfter);
      if (outcome === 'claimed') continue;
      if (outcome === 'none') return undefined;
      // Every share is leased: a caller with a deadline steps back (its recipients come round again); one without
      // looks again when the first lease ends, or a little later (a holder may give its shares back early).
      if (Number.isFinite(notAfter)) return undefined;
      // (at a random moment within the second, so waiters do not all look together)
      const poll = BUSY_TRUST_MS * (0.5 + this.random() / 2);
      await this.clock.sleep(Math.max(1, Math.min(outcome.busyUntil - this.now(), poll)));
      this.views.delete(sender);
    }
    throw new Error(`the rate budget of ${sender} kept changing under 50 claims`);
  }

  /** What this worker holds at this rate; a rate change drops the old holding (its leases lapse on their own). */
  private currentHolding(sender: string, messagesPerSecond: number): Holding | undefined {
    const holding = this.holdings.get(sender);
    if (!holding) return undefined;
    if (holding.spacing === spacingOf(messagesPerSecond) && holding.shares === shareCount(messagesPerSecond)) {
      return holding;
    }
    this.holdings.delete(sender);
    return undefined;
  }

  /** A holder that still has callers after its lease renews it before it ends, in the background. */
  private renewAhead(sender: string, holding: Holding, messagesPerSecond: number, notAfter: number): void {
    const leaseEnd = leaseEndOf(holding);
    if (holding.renewing || notAfter <= leaseEnd + MIN_GAIN_MS || leaseEnd - this.now() > RENEW_AHEAD_MS) return;
    holding.renewing = this.claim(sender, messagesPerSecond, notAfter)
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        holding.renewing = undefined;
      });
  }

  /**
   * Leases the shares this worker can use (its own ones again, and free ones) in one conditional write. Returns
   * `busyUntil` without a write when every share is leased to others, `none` when the first slot it could get comes
   * after `notAfter`. A worker that would take shares others let lapse, or that lays the grid, first waits a random
   * moment (a few round trips) and reads again, so workers that saw the same lapse do not all write for it.
   */
  private async claim(
    sender: string,
    messagesPerSecond: number,
    notAfter: number,
  ): Promise<'claimed' | 'none' | { busyUntil: number }> {
    const want = sharesWanted(messagesPerSecond, this.options.workerMps ?? Number.POSITIVE_INFINITY);
    const offset = Math.floor(this.random() * shareCount(messagesPerSecond));
    let jittered = false;
    for (let attempt = 0; attempt < 20; attempt++) {
      const cached = this.views.get(sender);
      // A lease is only shortened when its holder gives it back: a share a recent view shows leased is.
      const cachedPlan = cached && planClaim(cached, this.now(), this.holder, messagesPerSecond, want, offset);
      if (cached && cachedPlan?.kind === 'busy' && this.now() - cached.readAt <= BUSY_TRUST_MS) {
        return { busyUntil: cachedPlan.until };
      }
      // Renewing its own shares needs no read: the write's condition checks them.
      const renewing =
        cached && cachedPlan?.kind === 'claim' && cachedPlan.shares.every((i) => ownLease(cached, i, this.holder));
      const fresh = cached && (renewing || this.now() - cached.readAt <= VIEW_FRESH_MS);
      const view = fresh ? cached : await this.read(sender);
      const now = this.now();
      const plan = planClaim(view, now, this.holder, messagesPerSecond, want, offset);
      if (plan.kind === 'busy') return { busyUntil: plan.until };
      const holding = this.holdings.get(sender);
      const lastHeldByMe = (share: number) => view.leases[share]?.holder === this.holder;
      if (!jittered && (plan.reset || !plan.shares.every(lastHeldByMe))) {
        jittered = true;
        await this.clock.sleep(this.random() * this.jitterWindow());
        this.views.delete(sender);
        continue;
      }
      const spacing = spacingOf(messagesPerSecond);
      const shares = shareCount(messagesPerSecond);
      const until = Math.min(notAfter + LEASE_GRACE_MS, now + Math.max(LEASE_MS, 2 * shares * spacing));
      // A grid laid again starts a lead from now (its first slot goes as soon as the write can land).
      const anchor = plan.reset ? now + this.lead() : (view.anchor as number);
      const held = plan.shares.map((share) => {
        // A share nobody else held since it was this worker's goes on; one taken from another worker starts a lead
        // later (clocks of two workers may differ by a little).
        const kept = holding?.held.find((h) => h.share === share && h.until >= now);
        const from = kept ? kept.from : !plan.reset && lastHeldByMe(share) ? now : now + this.lead();
        return { share, from, until };
      });
      const sameGrid = holding?.spacing === spacing && holding.shares === shares && holding.anchor === anchor;
      const lastSlot = sameGrid ? (holding as Holding).lastSlot : Number.NEGATIVE_INFINITY;
      const first = nextHeldSlot(held, shares, spacing, lastSlot, now, anchor);
      if (!first || first.at > notAfter) return 'none';
      if (await this.write(sender, plan, { now, until, holder: this.holder, spacing, shares, anchor })) {
        // Changed in place: a slot being handed out meanwhile moves the same `lastSlot`, so none is given twice.
        if (sameGrid) (holding as Holding).held = held;
        else this.holdings.set(sender, { spacing, shares, anchor, held, lastSlot });
        return 'claimed';
      }
    }
    throw new Error(`the rate budget of ${sender} kept changing under 20 tries`);
  }

  /**
   * How long to wait at most before taking shares: a few round trips of the last read, so a herd (many workers
   * reading at once queue up at the store, and each read takes long) spreads out, and a worker alone barely waits.
   */
  private jitterWindow(): number {
    return Math.min(MAX_JITTER_MS, 4 * this.lastReadMs);
  }

  /** How long a write takes to land, with room to spare: a slot leased sooner would be late on arrival. */
  private lead(): number {
    return Math.min(MAX_LEAD_MS, Math.max(TAKEOVER_LEAD_MS, 2 * this.latencyMs));
  }

  /** A moving average of the budget's round trips (real time: it measures the store, not business time). */
  private timed<T>(request: Promise<T>): Promise<T> {
    const started = performance.now();
    return request.finally(() => {
      this.latencyMs = 0.8 * this.latencyMs + 0.2 * (performance.now() - started);
    });
  }

  /** The conditional write of a claim; false (and no view kept) when the store had moved on. */
  private async write(
    sender: string,
    plan: Extract<ReturnType<typeof planClaim>, { kind: 'claim' }>,
    lease: LeaseWrite,
  ): Promise<boolean> {
    const now = lease.now;
    const command = new UpdateCommand({
      TableName: this.tableName,
      Key: budgetKey(sender),
      ...claimExpression(plan, lease),
    });
    try {
      this.writes++;
      await this.timed(this.client.send(command));
      this.views.set(sender, afterClaim(this.views.get(sender), plan, lease));
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      this.refusedWrites++;
      // DynamoDB returns the item with the refusal; a store that does not (dynalite) is read on the next try.
      const item = (error as { Item?: Record<string, { N?: string; S?: string }> }).Item;
      if (item)
        this.views.set(
          sender,
          viewOf((name) => item[name]?.N ?? item[name]?.S, now),
        );
      else this.views.delete(sender);
      return false;
    }
  }

  private async read(sender: string): Promise<SharesView> {
    const readAt = this.now();
    this.reads++;
    const started = performance.now();
    const out = await this.timed(
      this.client.send(new GetCommand({ TableName: this.tableName, Key: budgetKey(sender), ConsistentRead: true })),
    );
    this.lastReadMs = performance.now() - started;
    const item = out.Item ?? {};
    const view = viewOf((name) => item[name] as string | number | undefined, readAt);
    this.views.set(sender, view);
    return view;
  }
}

const leaseEndOf = (holding: Holding) => Math.max(...holding.held.map((h) => h.until));
