import { monitorEventLoopDelay } from 'node:perf_hooks';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamo } from '../local/local-dynamo';
import { createDocumentClient } from '../shared/adapters/aws/dynamo/document-client';
import { DynamoRateBudget } from '../shared/adapters/aws/dynamo/dynamo-rate-budget';
import { handBackDelaySeconds, spacingOf } from '../shared/domain/sending/send-slots';
import { systemClock } from '../shared/ports/clock.port';
import { numberListFlag, numericFlag } from './bench-args';

/**
 * `npm run bench:pacing [-- --seconds 10 --rates 1,20 --workers 50 --worker-mps 100]`: the AWS way, here. N concurrent workers (N = 1, 4, 10, 50), each a run of
 * Lambda-like invocations with a time limit, send from one number through the DynamoDB rate budget (on dynalite, the
 * same adapter AWS runs) to a carrier that enforces the number's MPS like AWS (a bucket of one second's worth) and
 * records every acceptance. A worker out of time takes no turn it cannot use and hands its recipient back.
 */
const RATES = [1, 3, 20, 100, 1000];
const WORKERS = [1, 4, 10, 50];
/** A Lambda-like limit per invocation, and the margin a worker keeps before it. */
const INVOCATION_MS = 3_000;
const MARGIN_MS = 200;
const MIN_MESSAGES = 40;

/** A carrier that allows `mps` a second per number (a bucket of one second's worth) and records acceptances. */
class PacedCarrier {
  private tokens: number;
  private updatedAt = performance.now();
  readonly accepted: number[] = [];
  readonly ids: string[] = [];
  throttled = 0;

  constructor(private readonly mps: number) {
    this.tokens = mps;
  }

  send(id: string): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.mps, this.tokens + ((now - this.updatedAt) / 1000) * this.mps);
    this.updatedAt = now;
    if (this.tokens < 1) {
      this.throttled++;
      return false;
    }
    this.tokens -= 1;
    this.accepted.push(now);
    this.ids.push(id);
    return true;
  }
}

/** The most acceptances in any one-second window (sliding). */
function peakPerSecond(times: number[]): number {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

async function runCase(
  endpoint: string,
  table: string,
  mps: number,
  workers: number,
  minSeconds: number,
  caseNo: number,
  workerMps: number,
) {
  // Long enough for 40 messages at least: at 1 MPS, 4 s would measure utilisation in quarters.
  const seconds = Math.max(minSeconds, Math.ceil(MIN_MESSAGES / mps));
  const sender = `+1833555${String(1000 + caseNo).slice(-4)}`;
  const carrier = new PacedCarrier(mps);
  // More work than the case can send, so work always waits.
  const work = Array.from({ length: Math.ceil(mps * seconds * 1.5) + workers * 2 }, (_, i) => `r${i}`);
  const taken = new Set<string>();
  let handedBack = 0;
  const budgets = Array.from({ length: workers }, () => {
    const client = createDocumentClient({ endpoint });
    return { client, budget: new DynamoRateBudget(client, table, systemClock, { workerMps }) };
  });
  // Each Lambda sets its client up in its own cold start, on its own CPU; here 50 of them would queue on this one
  // process's thread. One request each (an unrelated key) before the clock starts, so the case measures the budget.
  await Promise.all(
    budgets.map(({ client }) =>
      client.send(new GetCommand({ TableName: table, Key: { pk: 'WARM-UP', sk: 'WARM-UP' } })),
    ),
  );
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const start = performance.now();
  const end = start + seconds * 1000;
  const epochAt = (t: number) => Date.now() + (t - performance.now());
  await Promise.all(
    budgets.map(async ({ budget }) => {
      while (performance.now() < end && work.length > 0) {
        // One invocation: sends until its time is nearly up (or the case ends), then hands back what it holds.
        const invocationEnd = Math.min(performance.now() + INVOCATION_MS, end);
        // The case is ending: no invocation starts that could not send anything.
        if (invocationEnd - performance.now() < 2 * MARGIN_MS + spacingOf(mps)) break;
        while (work.length > 0) {
          const id = work.shift() as string;
          taken.add(id);
          const deadline = epochAt(invocationEnd - MARGIN_MS);
          if (!(await budget.acquire(sender, mps, deadline))) {
            work.unshift(id);
            taken.delete(id);
            handedBack++;
            // Back on the queue, shown again after the hand-back delay (1-3 s). An invocation that ended for lack of
            // time (less than a slot and the margins left) is followed at once by the next one (other messages
            // wait); one that stepped back because the number is booked by others waits for the redelivery.
            if (invocationEnd - performance.now() > 2 * MARGIN_MS + spacingOf(mps)) {
              await new Promise((r) => setTimeout(r, handBackDelaySeconds() * 1_000));
            }
            break;
          }
          if (!carrier.send(id)) work.push(id);
          taken.delete(id);
        }
      }
    }),
  );
  loopDelay.disable();
  const sent = carrier.accepted.filter((t) => t < end);
  const writes = budgets.reduce((sum, b) => sum + b.budget.writes, 0);
  const reads = budgets.reduce((sum, b) => sum + b.budget.reads, 0);
  const refused = budgets.reduce((sum, b) => sum + b.budget.refusedWrites, 0);
  const dropped = budgets.reduce((sum, b) => sum + b.budget.droppedSlots, 0);
  for (const { client } of budgets) client.destroy();
  const ids = new Set(carrier.ids);
  return {
    mps,
    workers,
    utilization: Number((sent.length / (mps * seconds)).toFixed(3)),
    peakOverLimit: Number((peakPerSecond(carrier.accepted) / mps).toFixed(3)),
    throttleRate: Number((carrier.throttled / (carrier.accepted.length + carrier.throttled)).toFixed(4)),
    duplicates: carrier.ids.length - ids.size,
    unknownWithoutCrash: taken.size,
    handedBack,
    droppedSlots: dropped,
    seconds,
    // How late this process's timers ran: a slot woken later than the slack is dropped.
    eventLoopDelayP99Ms: Number((loopDelay.percentile(99) / 1e6).toFixed(1)),
    budgetWritesPerSecond: Number((writes / seconds).toFixed(2)),
    refusedWritesPerSecond: Number((refused / seconds).toFixed(2)),
    budgetReadsPerSecond: Number((reads / seconds).toFixed(2)),
    ...(Number.isFinite(workerMps) ? { workerMps } : {}),
  };
}

async function main() {
  // 10 s a case by default: the bench's own margins (slots spaced for a second plus 20 ms, the last invocation's
  // 200 ms) cap a 4 s case at 0.931 of the rate, below the 0.95 goal whatever the budget does; a 10 s one at 0.960.
  const seconds = numericFlag('seconds', 10);
  // A worker here sends one message at a time with no carrier latency, so it keeps up with any rate: it leases every
  // free share unless `--worker-mps` says what it keeps up with (on Lambda: one share, 100 MPS).
  const workerMps = numericFlag('worker-mps', Number.POSITIVE_INFINITY);
  const dynamo = await startLocalDynamo(undefined);
  try {
    const results = [];
    let caseNo = 0;
    for (const mps of numberListFlag('rates', RATES)) {
      for (const workers of numberListFlag('workers', WORKERS)) {
        const result = await runCase(
          dynamo.endpoint,
          dynamo.tableNames.numbers,
          mps,
          workers,
          seconds,
          caseNo++,
          workerMps,
        );
        console.log(JSON.stringify(result));
        results.push(result);
      }
    }
    console.log(
      JSON.stringify({
        bench: 'pacing',
        cases: results.length,
        worstUtilization: Math.min(...results.map((r) => r.utilization)),
        worstPeakOverLimit: Math.max(...results.map((r) => r.peakOverLimit)),
        throttleRate: Math.max(...results.map((r) => r.throttleRate)),
        duplicates: results.reduce((sum, r) => sum + r.duplicates, 0),
        unknownWithoutCrash: results.reduce((sum, r) => sum + r.unknownWithoutCrash, 0),
        budgetWritesPerSecondPerSender: Math.max(...results.map((r) => r.budgetWritesPerSecond)),
      }),
    );
  } finally {
    await dynamo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
