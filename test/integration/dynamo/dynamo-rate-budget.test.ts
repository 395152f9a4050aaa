import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { DynamoRateBudget } from '../../../shared/adapters/aws/dynamo/dynamo-rate-budget';
import { spacingOf } from '../../../shared/domain/sending/send-slots';
import { systemClock } from '../../../shared/ports/clock.port';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';

let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => dynamo.stop());

/** The most slot instants that fall in any one-second window. */
function peakPerSecond(slots: number[]): number {
  const sorted = [...slots].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

function expectPacedAt(slots: number[], rate: number) {
  expect(new Set(slots).size).toBe(slots.length);
  const sorted = [...slots].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    expect((sorted[i] as number) - (sorted[i - 1] as number)).toBeGreaterThanOrEqual(spacingOf(rate) - 1e-3);
  }
  expect(peakPerSecond(slots)).toBeLessThanOrEqual(rate);
}

/** A business clock whose sleeps move it on at once. */
function steppedClock(start = Date.parse('2026-03-04T19:00:00Z')) {
  let now = start;
  return {
    now: () => new Date(now),
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

const sendsOf = (budget: DynamoRateBudget, sender: string, rate: number, count: number, notAfter?: number) =>
  Promise.all(Array.from({ length: count }, () => budget.acquireSlot(sender, rate, notAfter)));

describe('the DynamoDB rate budget', () => {
  it('gives workers of separate processes slots that never repeat and never beat the rate, a write per lease, not per message', async () => {
    // Arrange: four "Lambdas", each with its own budget object, sharing one sender at 40 messages a second
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const budgets = Array.from(
      { length: 4 },
      () => new DynamoRateBudget(client, dynamo.tableNames.numbers, systemClock),
    );
    const rate = 40;

    // Act: 20 sends each, all at once, no deadline (a worker that finds the share leased waits for it)
    const slots = (await Promise.all(budgets.map((budget) => sendsOf(budget, '+18335550100', rate, 20)))).flat();

    // Assert
    expect(slots.every((at) => at !== undefined)).toBe(true);
    expectPacedAt(slots as number[], rate);
    // Each worker leased the one share once and gave it back when it was done (two writes), not a write per message;
    // workers that found it free at the same moment may have had a claim refused (then they read again first).
    const writes = budgets.reduce((sum, b) => sum + b.writes, 0);
    const refused = budgets.reduce((sum, b) => sum + b.refusedWrites, 0);
    // (the last worker gives it back a moment after its last slot)
    expect(writes - refused).toBeGreaterThanOrEqual(4 + 3);
    expect(writes - refused).toBeLessThanOrEqual(4 * 2);
    expect(refused).toBeLessThanOrEqual(2 * 4);
    client.destroy();
  }, 30_000);

  it('splits a high rate over workers that each keep up with a share of it, all sending at once', async () => {
    // Arrange: 300 MPS is three shares; each worker keeps up with 100 MPS, so takes one
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const budgets = Array.from(
      { length: 3 },
      () => new DynamoRateBudget(client, dynamo.tableNames.numbers, systemClock, { workerMps: 100 }),
    );
    const rate = 300;

    // Act
    const perWorker = await Promise.all(budgets.map((budget) => sendsOf(budget, '+18335550102', rate, 60)));

    // Assert: the three sent side by side (their slots interleave), never together above the rate
    const slots = perWorker.flat() as number[];
    expectPacedAt(slots, rate);
    const spans = perWorker.map((own) => [Math.min(...(own as number[])), Math.max(...(own as number[]))]);
    const overlap = Math.min(...spans.map((s) => s[1] as number)) - Math.max(...spans.map((s) => s[0] as number));
    expect(overlap).toBeGreaterThan(0);
    for (const own of perWorker as number[][]) {
      const sorted = [...own].sort((a, b) => a - b);
      // Each on its own share: three slots of the grid apart.
      for (let i = 1; i < sorted.length; i++) {
        expect((sorted[i] as number) - (sorted[i - 1] as number)).toBeGreaterThanOrEqual(3 * spacingOf(rate) - 1e-3);
      }
    }
    client.destroy();
  }, 30_000);

  it('paces rates under one a second on the grid, and a caller whose deadline comes first takes nothing and writes nothing', async () => {
    // Arrange
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const clock = steppedClock();
    const budget = new DynamoRateBudget(client, dynamo.tableNames.numbers, clock);

    // Act
    const slots: number[] = [];
    for (let i = 0; i < 3; i++) slots.push((await budget.acquireSlot('+18335550101', 0.1)) as number);

    // Assert
    // 10 s apart plus the slack (20 ms a second).
    expect(slots.map((at) => Math.round(at - (slots[0] as number)))).toEqual([0, 10_200, 20_400]);
    // A lease of 20.4 s at least: two writes for three slots.
    expect(budget.writes).toBeLessThanOrEqual(2);
    const writes = budget.writes;
    expect(await budget.acquire('+18335550101', 0.1, clock.now().getTime() + 5_000)).toBe(false);
    expect(budget.writes).toBe(writes);
    client.destroy();
  });

  it('a worker that finds every share leased steps back at once without writing, and takes them once given back', async () => {
    // Arrange
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const holder = new DynamoRateBudget(client, dynamo.tableNames.numbers, systemClock);
    const other = new DynamoRateBudget(client, dynamo.tableNames.numbers, systemClock);
    const sender = '+18335550103';
    const held = (await sendsOf(holder, sender, 20, 5, Date.now() + 60_000)) as number[];

    // Act
    const refused = await other.acquire(sender, 20, Date.now() + 60_000);
    const writesWhileHeld = other.writes;
    // The holder has no caller left: it gives its share back within a moment (and the other, which stepped back,
    // reads again a second later).
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const taken = await other.acquireSlot(sender, 20, Date.now() + 60_000);

    // Assert
    expect(refused).toBe(false);
    expect(writesWhileHeld).toBe(0);
    expect(taken).toBeGreaterThan(Math.max(...held));
    expect(other.writes).toBe(1);
    client.destroy();
  });

  it('keeps its shares from one invocation to the next with no gap, renewing them once while it sends, and its lease past a deadline only by a moment', async () => {
    // Arrange
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    // (idle for seconds before it gives its shares back: this test's pauses between invocations never count)
    const budget = new DynamoRateBudget(client, dynamo.tableNames.numbers, systemClock, { idleMs: 5_000 });
    const sender = '+18335550104';
    const rate = 50;
    const reader = createDocumentClient({ endpoint: dynamo.endpoint });
    await readBudget(sender, reader);
    const firstDeadline = Date.now() + 600;

    // Act: one invocation sends until its deadline, the next goes on at once
    const slots: number[] = [];
    for (let at = await budget.acquireSlot(sender, rate, firstDeadline); at !== undefined; ) {
      slots.push(at);
      at = await budget.acquireSlot(sender, rate, firstDeadline);
    }
    const leaseEnd = (await readBudget(sender, reader))?.leaseEnd0 as number;
    const secondDeadline = Date.now() + 2_000;
    for (let i = 0; i < 40; i++) slots.push((await budget.acquireSlot(sender, rate, secondDeadline)) as number);

    // Assert
    expect(leaseEnd - firstDeadline).toBeLessThanOrEqual(500);
    expect(slots.every((at) => at !== undefined)).toBe(true);
    expectPacedAt(slots, rate);
    expect(budget.writes).toBe(2);
    client.destroy();
    reader.destroy();
  });

  it('lays the grid for a new rate only once the old rate’s leases ended', async () => {
    // Arrange: one worker holds the share at 10 MPS
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const slow = new DynamoRateBudget(client, dynamo.tableNames.numbers, systemClock);
    const fast = new DynamoRateBudget(client, dynamo.tableNames.numbers, systemClock);
    const sender = '+18335550105';
    await slow.acquire(sender, 10, Date.now() + 60_000);

    // Act
    const whileHeld = await fast.acquire(sender, 20, Date.now() + 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const after = await sendsOf(fast, sender, 20, 5, Date.now() + 60_000);

    // Assert
    expect(whileHeld).toBe(false);
    expectPacedAt(after as number[], 20);
    expect((await readBudget(sender))?.gridSpacing).toBe(spacingOf(20));
    client.destroy();
  });
});

async function readBudget(sender: string, client = createDocumentClient({ endpoint: dynamo.endpoint })) {
  const out = await client.send(
    new GetCommand({ TableName: dynamo.tableNames.numbers, Key: { pk: `BUDGET#${sender}`, sk: 'BUDGET' } }),
  );
  return out.Item;
}
