import fc from 'fast-check';
import { advance, type WorkflowAction } from '../../../shared/domain/workflows/enrollment';
import { WEEKDAYS } from '../../../shared/domain/workflows/workflow.schema';
import { contact, DAY_MS, enrollIn, HOUR_MS, NOW, workflow } from './workflow-fixtures';

/** One step of a linear workflow, before it is given its id and the id of the step after it. */
type StepSpec = (next: string) => Record<string, unknown>;

const stepSpec: fc.Arbitrary<StepSpec> = fc.oneof(
  fc.constantFrom('Hi', 'Reminder', 'Last call').map((body) => () => ({ type: 'send_sms', body })),
  fc.constantFrom('vip', 'lead').map((tag) => () => ({ type: 'add_tag', tag })),
  fc.constantFrom('vip', 'lead').map((tag) => () => ({ type: 'remove_tag', tag })),
  fc.constantFrom('PT5S', 'PT2H', 'P1D', 'P1W').map((duration) => () => ({ type: 'wait', duration })),
  fc
    .record({
      time: fc.constantFrom('00:00', '02:30', '09:00', '23:59'),
      days: fc.option(fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    })
    .map(({ time, days }) => () => ({ type: 'wait_until', time, ...(days ? { days } : {}) })),
  fc
    .constantFrom('PT1H', 'PT24H')
    .map((timeout) => (next: string) => ({ type: 'wait_for_reply', timeout, onReply: next, onTimeout: next })),
  fc.constantFrom('vip', 'lead').map((tag) => (next: string) => ({
    type: 'if',
    condition: { field: 'tags', op: 'contains', value: tag },
    // biome-ignore lint/suspicious/noThenProperty: an if step's branch is called then.
    then: next,
    else: next,
  })),
);

/** The actions a linear workflow makes, in order, whatever its waits. */
function expectedActions(steps: Record<string, unknown>[]): WorkflowAction[] {
  return steps.flatMap((step): WorkflowAction[] => {
    const stepId = String(step.id);
    if (step.type === 'send_sms') return [{ type: 'send_sms', stepId, body: String(step.body) }];
    if (step.type === 'add_tag') return [{ type: 'add_tag', stepId, tag: String(step.tag) }];
    if (step.type === 'remove_tag') return [{ type: 'remove_tag', stepId, tag: String(step.tag) }];
    return [];
  });
}

const scenario = fc.record({
  specs: fc.array(stepSpec, { minLength: 1, maxLength: 12 }),
  zone: fc.constantFrom('America/New_York', 'Europe/London', 'Asia/Tokyo', 'UTC'),
  start: fc.integer({ min: 0, max: 400 * DAY_MS }),
  /** How late each wake-up runs, and how long after it its duplicate arrives (up to past the next wake-up). */
  delays: fc.infiniteStream(fc.tuple(fc.integer({ min: 0, max: HOUR_MS }), fc.integer({ min: 0, max: 9 * DAY_MS }))),
});

describe('advance with duplicated wake-ups', () => {
  it('never acts twice: a linear workflow makes its actions once, in order, however often each wake-up fires', () => {
    fc.assert(
      fc.property(scenario, ({ specs, zone, start, delays }) => {
        // Arrange
        const ids = specs.map((_spec, i) => `s${i}`);
        const steps = [
          ...specs.map((spec, i) => ({ id: ids[i], ...spec(ids[i + 1] ?? 'done') })),
          { id: 'done', type: 'end' },
        ];
        const flow = workflow(steps);
        const person = contact({ timeZone: zone });
        let now = new Date(NOW.getTime() + start);
        let result = advance(flow, enrollIn(flow, now), { type: 'start' }, { now, contact: person });
        const actions = [...result.actions];
        const pending = delays[Symbol.iterator]();

        // Act
        for (let round = 0; result.enrollment.status === 'waiting' && round <= specs.length; round++) {
          const [late, duplicateAfter] = pending.next().value as [number, number];
          const event = { type: 'wake' as const, at: result.enrollment.wakeAt! };
          now = new Date(Date.parse(event.at) + late);
          const first = advance(flow, result.enrollment, event, { now, contact: person });
          const again = advance(flow, first.enrollment, event, {
            now: new Date(now.getTime() + duplicateAfter),
            contact: person,
          });

          // Assert (each duplicate)
          expect(first.changed).toBe(true);
          expect(again.actions).toEqual([]);
          expect(again.changed).toBe(false);
          expect(again.enrollment).toBe(first.enrollment);
          actions.push(...first.actions);
          result = first;
        }

        // Assert (the whole run)
        expect(result.enrollment.status).toBe('completed');
        expect(actions).toEqual(expectedActions(steps));
      }),
      { numRuns: 300 },
    );
  });
});
