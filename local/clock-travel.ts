import type { LocalClock } from '../shared/adapters/local/local-clock';
import type { LocalMessaging } from './local-messaging';

/** What moving the clock did. */
export interface ClockAdvance {
  from: string;
  now: string;
  /** Timers that fell due on the way and fired (queue delays and redeliveries, schedules, receipts, sleeps). */
  fired: number;
  /** Due instants stepped through, each followed by the stack settling. */
  steps: number;
}

/** A bound on the due instants one advance walks through, so a timer that keeps re-arming cannot hang a request. */
const MAX_STEPS = 200_000;

/** An instant (epoch ms), or how to compute it from the clock's reading when the advance starts. */
export type Target = number | ((nowMs: number) => number);

type Stack = Pick<LocalMessaging, 'queue' | 'scheduler' | 'carrier'>;

/** A figure that changes whenever the queue, the scheduler's targets or the carrier did something. */
function activity({ queue, carrier }: Stack): string {
  const q = queue.stats();
  const c = carrier.stats();
  return [q.sent, q.received, q.deleted, q.deadLettered, c.accepted, c.throttled, c.rejected, c.receiptsEmitted].join();
}

/**
 * Resolves once the stack has nothing to do now: no batch in flight and nothing visible on any queue, no schedule
 * firing or due, no send or receipt under way or due at the carrier, and a full round of those looks changed nothing.
 */
export async function settle(stack: Stack): Promise<void> {
  for (;;) {
    const before = activity(stack);
    await stack.carrier.idle();
    await stack.scheduler.idle();
    await stack.queue.idle();
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (activity(stack) === before) return;
  }
}

/**
 * Moves the stack's clock forward to `targetMs`, in order: it jumps to each instant a timer waits for (a scheduled
 * launch, a queue delay such as a workflow wait or a recipient deferred to the window's opening, a receipt), fires
 * it, lets the stack settle (so what that fire arms in turn is due at the right instant), and goes on to the next,
 * until nothing more falls due before the target. Throws ClockBackwardError for an instant before the clock's reading.
 */
export function createClockTravel(clock: LocalClock, stack: Stack) {
  let running: Promise<unknown> = Promise.resolve();
  const advanceTo = async (target: Target): Promise<ClockAdvance> => {
    const from = clock.now().toISOString();
    const targetMs = typeof target === 'number' ? target : target(clock.nowMs());
    // Refused before anything moves; checked again by jumpTo itself.
    if (targetMs < clock.nowMs()) clock.jumpTo(targetMs);
    await settle(stack);
    let fired = 0;
    let steps = 0;
    for (let next = clock.nextDueAt(); next !== undefined && next <= targetMs; next = clock.nextDueAt()) {
      if (++steps > MAX_STEPS) throw new Error(`the clock stopped after ${MAX_STEPS} due instants on the way`);
      fired += clock.jumpTo(Math.max(next, clock.nowMs()));
      await settle(stack);
    }
    if (targetMs > clock.nowMs()) fired += clock.jumpTo(targetMs);
    await settle(stack);
    return { from, now: clock.now().toISOString(), fired, steps };
  };
  return {
    /** One advance at a time: a second waits for the first, then moves on from where that one left the clock. */
    advanceTo(target: Target): Promise<ClockAdvance> {
      const run = running.then(() => advanceTo(target));
      running = run.catch(() => undefined);
      return run;
    },
  };
}

export type ClockTravel = ReturnType<typeof createClockTravel>;
