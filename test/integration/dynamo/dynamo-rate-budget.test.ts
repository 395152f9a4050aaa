import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { DynamoRateBudget } from '../../../shared/adapters/aws/dynamo/dynamo-rate-budget';
import { grantSize, planBooking, spacingOf } from '../../../shared/domain/sending/send-slots';
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
    const writes = budgets.reduce((sum, b) => sum + b.writes, 0);
    // Each worker books grants of 12 slots for its 30 sends (and for any slot a busy process woke too late for), and
    // may have booked one more while its last slots ran; bookings add to the budget, so workers never refuse each
    // other, and only the first booking (all four restart the idle budget at once) may be refused, three times at most.
    const grants = budgets.reduce((sum, b) => sum + Math.ceil((30 + b.droppedSlots) / grantSize(rate)) + 1, 0);
    expect(writes).toBeGreaterThanOrEqual(4 * Math.ceil(30 / grantSize(rate)));
    expect(writes).toBeLessThanOrEqual(grants + 3);
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

describe('planBooking', () => {
  const rate = 10; // spacing 102 ms

  it('restarts an idle budget from now, and saves up nothing', () => {
    // It starts a moment after the reading (RESTART_LEAD_MS), the time the booking write takes.
    expect(planBooking(undefined, 1000, 5000, rate, 3)).toEqual({
      kind: 'restart',
      grant: { start: 1025, spacing: 102, count: 3 },
      nextFree: 1331,
    });
    expect(planBooking(500, 1000, 5000, rate, 3)).toMatchObject({ kind: 'restart', grant: { start: 1025 } });
    // Booked time that ends before the write could land counts as idle: the grant starts after the lead.
    expect(planBooking(1010, 1000, 5000, rate, 3)).toMatchObject({ kind: 'restart', grant: { start: 1025 } });
    expect(planBooking(1100, 1000, 5000, rate, 3, 200)).toMatchObject({ kind: 'restart', grant: { start: 1200 } });
  });

  it('books right after the last booking while that is no later than the latest start', () => {
    expect(planBooking(4000, 1000, 5000, rate, 3)).toEqual({ kind: 'append', span: 306, spacing: 102, count: 3 });
    expect(planBooking(5000, 1000, 5000, rate, 3).kind).toBe('append');
  });

  it('books nothing when the number is booked past the latest start (the deadline or the horizon)', () => {
    expect(planBooking(5001, 1000, 5000, rate, 3)).toEqual({ kind: 'full' });
    expect(planBooking(undefined, 1000, 1024, rate, 3)).toEqual({ kind: 'full' });
  });
});

describe('grantSize', () => {
  it('covers at least 300 ms of sending in whole slots: about three writes a second at any rate', () => {
    for (const mps of [0.1, 1, 3, 4, 7, 20, 100, 1000, 3000]) {
      const grantMs = grantSize(mps) * spacingOf(mps);
      expect(grantMs).toBeGreaterThanOrEqual(300);
      expect(1000 / grantMs).toBeLessThanOrEqual(1000 / 300);
    }
    expect(grantSize(1000, 12)).toBe(12);
  });
});
