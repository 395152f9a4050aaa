import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { DynamoRateBudget } from '../../../shared/adapters/aws/dynamo/dynamo-rate-budget';
import { grantSize, takeGrant } from '../../../shared/domain/sending/send-slots';
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

describe('the DynamoDB rate budget', () => {
  it('gives workers of separate processes slots that never repeat and never beat the rate, in grants, not a write per message', async () => {
    // Arrange: four "Lambdas", each with its own budget object, sharing one sender at 40 messages a second
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    const budgets = Array.from(
      { length: 4 },
      () => new DynamoRateBudget(client, dynamo.tableNames.numbers, systemClock),
    );
    const rate = 40;

    // Act: 30 sends each, all at once
    const slots = (
      await Promise.all(
        budgets.map((budget) =>
          Promise.all(Array.from({ length: 30 }, () => budget.acquireSlot('+18335550100', rate))),
        ),
      )
    )
      .flat()
      .map((at) => at as number);

    // Assert
    expect(new Set(slots).size).toBe(120);
    const sorted = [...slots].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) {
      expect((sorted[i] as number) - (sorted[i - 1] as number)).toBeGreaterThanOrEqual(1000 / rate - 1e-6);
    }
    expect(peakPerSecond(slots)).toBeLessThanOrEqual(rate);
    const granted = budgets.reduce((sum, b) => sum + b.writes, 0);
    // Ten slots a grant: at least 12 grants; a refused try (another worker moved it first) costs a write too.
    expect(granted).toBeGreaterThanOrEqual(Math.ceil(120 / grantSize(rate)));
    expect(granted).toBeLessThan(120);
    client.destroy();
  });

  it('paces rates under one a second: one slot a grant, spaced by the rate', async () => {
    // Arrange
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    let now = Date.parse('2026-03-04T19:00:00Z');
    const clock = {
      now: () => new Date(now),
      sleep: async (ms: number) => {
        now += ms;
      },
    };
    const budget = new DynamoRateBudget(client, dynamo.tableNames.numbers, clock);

    // Act
    const slots: number[] = [];
    for (let i = 0; i < 3; i++) slots.push((await budget.acquireSlot('+18335550101', 0.1)) as number);

    // Assert
    // 10 s apart plus the slack (20 ms a second).
    expect(slots.map((at) => at - (slots[0] as number))).toEqual([0, 10_200, 20_400]);
    expect(budget.writes).toBe(3);
    // A caller whose deadline comes before the next slot takes none (and writes nothing).
    expect(await budget.acquire('+18335550101', 0.1, now + 5_000)).toBe(false);
    expect(budget.writes).toBe(3);
    client.destroy();
  });
});

describe('takeGrant', () => {
  it('starts at the budget or now, whichever is later, and saves up nothing', () => {
    expect(takeGrant(undefined, 1000, 10, 2)).toEqual({
      grant: { start: 1000, spacing: 102, count: 2 },
      nextFree: 1204,
    });
    expect(takeGrant(5000, 1000, 10, 2).grant.start).toBe(5000);
    expect(takeGrant(500, 1000, 10, 2).grant.start).toBe(1000);
  });
});
