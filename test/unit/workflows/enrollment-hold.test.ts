import { advance, exitEnrollment, holdEnrollment, nextWakeOf } from '../../../shared/domain/workflows/enrollment';
import { contact, enrollIn, HOUR_MS, later, NOW, workflow } from './workflow-fixtures';

/** Wait two hours, then text: the text may fall outside the send window when the wait ends. */
const flow = workflow([
  { id: 'pause', type: 'wait', duration: 'PT2H' },
  { id: 'hello', type: 'send_sms', body: 'Still looking?' },
]);
const OPENING = later(18 * HOUR_MS);

describe('holdEnrollment', () => {
  it('shows a fresh enrollment held until the opening, with a held entry', () => {
    // Arrange
    const fresh = enrollIn(flow);

    // Act
    const held = holdEnrollment(fresh, OPENING, NOW);

    // Assert
    expect(held).toMatchObject({ status: 'active', currentStepId: 'pause', heldUntil: OPENING.toISOString() });
    expect(held.history).toEqual([
      { at: NOW.toISOString(), stepId: 'pause', outcome: 'held', until: OPENING.toISOString() },
    ]);
    expect(nextWakeOf(fresh)).toBeNull();
    expect(nextWakeOf(held)).toBe(OPENING.toISOString());
  });

  it('writes nothing new when already held until then, and nothing on a finished enrollment', () => {
    // Arrange
    const held = holdEnrollment(enrollIn(flow), OPENING, NOW);
    const exited = exitEnrollment(enrollIn(flow), 'opted_out', NOW);

    // Act / Assert
    expect(holdEnrollment(held, OPENING, later(HOUR_MS))).toBe(held);
    expect(holdEnrollment(exited, OPENING, NOW)).toBe(exited);
    expect(nextWakeOf(exited)).toBeNull();
  });

  it("keeps the wait's wakeAt, so the held wake-up still advances once, and the advance clears the hold", () => {
    // Arrange: waiting until NOW + 2h; that wake-up is held until the opening
    const waiting = advance(flow, enrollIn(flow), { type: 'start' }, { now: NOW, contact: contact() }).enrollment;
    const dueAt = waiting.wakeAt as string;
    const held = holdEnrollment(waiting, OPENING, later(2 * HOUR_MS));

    // Act
    const woken = advance(flow, held, { type: 'wake', at: dueAt }, { now: OPENING, contact: contact() });

    // Assert
    expect(held.wakeAt).toBe(dueAt);
    expect(nextWakeOf(held)).toBe(OPENING.toISOString());
    expect(woken.changed).toBe(true);
    expect(woken.actions.map((action) => action.type)).toEqual(['send_sms']);
    expect(woken.enrollment.heldUntil).toBeUndefined();
    expect(woken.enrollment.history?.map((entry) => entry.outcome)).toEqual([
      'waiting',
      'held',
      'woke',
      'sent',
      'completed',
    ]);
  });
});
