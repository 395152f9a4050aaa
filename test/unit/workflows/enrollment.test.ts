import {
  type AdvanceContext,
  advance,
  type Enrollment,
  exitEnrollment,
  isFinished,
  MAX_HISTORY_ENTRIES,
  MAX_STEPS_PER_ADVANCE,
  newEnrollment,
} from '../../../shared/domain/workflows/enrollment';
import type { Workflow, WorkflowStep } from '../../../shared/domain/workflows/workflow.schema';
import { contact, DAY_MS, enrollIn, HOUR_MS, later, NOW, workflow } from './workflow-fixtures';

const ctx = (now: Date, overrides: Partial<AdvanceContext['contact']> = {}): AdvanceContext => ({
  now,
  contact: contact(overrides),
});
const wake = (at: string | Date) => ({ type: 'wake' as const, at: typeof at === 'string' ? at : at.toISOString() });
const reply = (at: Date) => ({ type: 'reply' as const, at: at.toISOString() });

/** An `if` step; `then` is its documented field name, so it is built here once. */
function ifStep(id: string, condition: object, yes: string, no: string) {
  // biome-ignore lint/suspicious/noThenProperty: an if step's branch is called then.
  return { id, type: 'if', condition, then: yes, else: no };
}

/** form -> welcome text -> wait a day for a reply -> thank and tag, or follow up. */
const welcomeFlow = workflow([
  { id: 'welcome', type: 'send_sms', body: 'Thanks for signing up! Reply YES to confirm.' },
  { id: 'ask', type: 'wait_for_reply', timeout: 'PT24H', onReply: 'confirmed', onTimeout: 'follow-up' },
  { id: 'confirmed', type: 'add_tag', tag: 'confirmed', next: 'done' },
  { id: 'follow-up', type: 'send_sms', body: 'Still interested? Reply YES.' },
  { id: 'done', type: 'end' },
]);

function startWelcome(): Enrollment {
  return advance(welcomeFlow, enrollIn(welcomeFlow), { type: 'start' }, ctx(NOW)).enrollment;
}

describe('advance: a welcome flow with a reply timeout', () => {
  it('start sends the welcome text and waits a day for a reply', () => {
    // Act
    const result = advance(welcomeFlow, enrollIn(welcomeFlow), { type: 'start' }, ctx(NOW));

    // Assert
    expect(result.actions).toEqual([
      { type: 'send_sms', stepId: 'welcome', body: 'Thanks for signing up! Reply YES to confirm.' },
    ]);
    expect(result.enrollment).toMatchObject({
      status: 'waiting',
      currentStepId: 'ask',
      wakeAt: '2026-03-03T15:00:00.000Z',
      waitingForReplySince: NOW.toISOString(),
    });
    expect(result.wakeAt).toBe('2026-03-03T15:00:00.000Z');
    expect(result.changed).toBe(true);
  });

  it('without a reply, the timeout sends the follow-up and completes', () => {
    // Arrange
    const waiting = startWelcome();
    const timeout = later(DAY_MS);

    // Act
    const result = advance(welcomeFlow, waiting, wake(timeout), ctx(timeout));

    // Assert
    expect(result.actions).toEqual([{ type: 'send_sms', stepId: 'follow-up', body: 'Still interested? Reply YES.' }]);
    expect(result.enrollment).toMatchObject({
      status: 'completed',
      currentStepId: 'done',
      endedAt: timeout.toISOString(),
    });
    expect(result.enrollment).not.toHaveProperty('wakeAt');
    expect(result.enrollment).not.toHaveProperty('waitingForReplySince');
    expect(result.wakeAt).toBeUndefined();
  });

  it('a reply tags the contact, sends no follow-up, and the later timeout does nothing', () => {
    // Arrange
    const waiting = startWelcome();
    const replyAt = later(HOUR_MS);

    // Act
    const replied = advance(welcomeFlow, waiting, reply(replyAt), ctx(replyAt));
    const timedOut = advance(welcomeFlow, replied.enrollment, wake(waiting.wakeAt!), ctx(later(DAY_MS)));

    // Assert
    expect(replied.actions).toEqual([{ type: 'add_tag', stepId: 'confirmed', tag: 'confirmed' }]);
    expect(replied.enrollment).toMatchObject({ status: 'completed', currentStepId: 'done' });
    expect(timedOut).toEqual({
      enrollment: replied.enrollment,
      actions: [],
      wakeAt: undefined,
      changed: false,
      entries: [],
    });
  });

  it('a reply sent before the wait began does not answer it', () => {
    const waiting = startWelcome();
    const result = advance(welcomeFlow, waiting, reply(later(-1)), ctx(later(HOUR_MS)));
    expect(result.changed).toBe(false);
    expect(result.enrollment).toBe(waiting);
  });

  it('a reply that arrived at or after the timeout loses to the timeout, whichever is processed first', () => {
    // Arrange
    const waiting = startWelcome();
    const timeout = later(DAY_MS);

    // Act
    const lateReply = advance(welcomeFlow, waiting, reply(timeout), ctx(later(HOUR_MS, timeout)));
    const woken = advance(welcomeFlow, lateReply.enrollment, wake(timeout), ctx(later(HOUR_MS, timeout)));

    // Assert
    expect(lateReply.changed).toBe(false);
    expect(woken.actions.map((action) => action.stepId)).toEqual(['follow-up']);
  });

  it('records what happened at each step', () => {
    const waiting = startWelcome();
    const timeout = later(DAY_MS);
    const done = advance(welcomeFlow, waiting, wake(timeout), ctx(timeout)).enrollment;
    expect(done.history).toEqual([
      { at: NOW.toISOString(), stepId: 'welcome', outcome: 'sent' },
      { at: NOW.toISOString(), stepId: 'ask', outcome: 'waiting' },
      { at: timeout.toISOString(), stepId: 'ask', outcome: 'timed_out' },
      { at: timeout.toISOString(), stepId: 'follow-up', outcome: 'sent' },
      { at: timeout.toISOString(), stepId: 'done', outcome: 'completed' },
    ]);
  });
});

describe('advance: wake-ups that must change nothing', () => {
  it('a wake-up that fires before wakeAt does nothing and keeps wakeAt for the caller to re-arm', () => {
    // Arrange
    const waiting = startWelcome();

    // Act
    const early = advance(welcomeFlow, waiting, wake(waiting.wakeAt!), ctx(later(DAY_MS - 1)));

    // Assert
    expect(early).toEqual({ enrollment: waiting, actions: [], wakeAt: waiting.wakeAt, changed: false, entries: [] });
    expect(early.enrollment).toBe(waiting);
  });

  it('a duplicated wake-up advances once', () => {
    // Arrange
    const waiting = startWelcome();
    const timeout = later(DAY_MS);

    // Act
    const first = advance(welcomeFlow, waiting, wake(timeout), ctx(timeout));
    const second = advance(welcomeFlow, first.enrollment, wake(timeout), ctx(later(5_000, timeout)));

    // Assert
    expect(first.actions).toHaveLength(1);
    expect(second.actions).toEqual([]);
    expect(second.enrollment).toBe(first.enrollment);
  });

  it('a stale wake-up from an earlier wait does not end the current one, even when it arrives late', () => {
    // Arrange: two waits in a row
    const flow = workflow([
      { id: 'w1', type: 'wait', duration: 'PT1H' },
      { id: 'text', type: 'send_sms', body: 'Hello' },
      { id: 'w2', type: 'wait', duration: 'PT1H' },
      { id: 'bye', type: 'send_sms', body: 'Bye' },
    ]);
    const atW1 = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW)).enrollment;
    const atW2 = advance(flow, atW1, wake(atW1.wakeAt!), ctx(later(HOUR_MS))).enrollment;

    // Act: the first wake-up is delivered again after the second wait is due
    const stale = advance(flow, atW2, wake(atW1.wakeAt!), ctx(later(3 * HOUR_MS)));

    // Assert
    expect(atW2).toMatchObject({ currentStepId: 'w2', wakeAt: later(2 * HOUR_MS).toISOString() });
    expect(stale.changed).toBe(false);
  });

  it.each([
    ['not started yet', (flow: Workflow) => enrollIn(flow)],
    ['completed', () => ({ ...startWelcome(), status: 'completed' as const })],
    ['exited', () => exitEnrollment(startWelcome(), 'opted_out', NOW)],
  ])('a wake-up for an enrollment %s does nothing', (_label, build) => {
    const enrollment = build(welcomeFlow);
    const result = advance(welcomeFlow, enrollment, wake(later(DAY_MS)), ctx(later(DAY_MS)));
    expect(result.changed).toBe(false);
    expect(result.enrollment).toBe(enrollment);
  });

  it('a second start does nothing', () => {
    const waiting = startWelcome();
    expect(advance(welcomeFlow, waiting, { type: 'start' }, ctx(NOW)).changed).toBe(false);
  });

  it('a reply while at a plain wait does nothing (stopping on response is the caller’s call)', () => {
    const flow = workflow([
      { id: 'pause', type: 'wait', duration: 'PT2H' },
      { id: 'text', type: 'send_sms', body: 'Hi' },
    ]);
    const waiting = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW)).enrollment;
    expect(advance(flow, waiting, reply(later(HOUR_MS)), ctx(later(HOUR_MS))).changed).toBe(false);
  });
});

describe('advance: waits', () => {
  it('wait wakes after its duration, then goes on', () => {
    // Arrange
    const flow = workflow([
      { id: 'pause', type: 'wait', duration: 'PT2H30M' },
      { id: 'text', type: 'send_sms', body: 'Hi' },
    ]);

    // Act
    const waiting = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW));
    const woken = advance(flow, waiting.enrollment, wake(waiting.wakeAt!), ctx(later(2.5 * HOUR_MS)));

    // Assert
    expect(waiting.actions).toEqual([]);
    expect(waiting.wakeAt).toBe('2026-03-02T17:30:00.000Z');
    expect(woken.actions).toEqual([{ type: 'send_sms', stepId: 'text', body: 'Hi' }]);
    expect(woken.enrollment.status).toBe('completed');
  });

  it('a wait counts from the time the wake-up actually ran', () => {
    const flow = workflow([
      { id: 'w1', type: 'wait', duration: 'PT1H' },
      { id: 'w2', type: 'wait', duration: 'PT1H' },
    ]);
    const atW1 = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW)).enrollment;
    const lateBy10Minutes = later(HOUR_MS + 10 * 60_000);
    const atW2 = advance(flow, atW1, wake(atW1.wakeAt!), ctx(lateBy10Minutes));
    expect(atW2.wakeAt).toBe(later(HOUR_MS, lateBy10Minutes).toISOString());
  });

  it('wait_until wakes at the next time on an allowed day in the contact’s zone', () => {
    // Arrange: Monday 10:00 in New York, 16:00 in Paris
    const flow = workflow([
      { id: 'morning', type: 'wait_until', time: '09:00', days: ['TUE', 'THU'] },
      { id: 'text', type: 'send_sms', body: 'Good morning' },
    ]);

    // Act
    const inNewYork = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW));
    const inParis = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW, { timeZone: 'Europe/Paris' }));

    // Assert
    expect(inNewYork.wakeAt).toBe('2026-03-03T14:00:00.000Z');
    expect(inParis.wakeAt).toBe('2026-03-03T08:00:00.000Z');
  });

  it('wait_until falls back to the default zone, then UTC, when the contact’s zone is unknown', () => {
    const flow = workflow([{ id: 'morning', type: 'wait_until', time: '09:00' }]);
    const start = { type: 'start' } as const;
    const unknown = contact({ timeZone: 'Etc/Unknown' });
    const withDefault = advance(flow, enrollIn(flow), start, {
      now: NOW,
      contact: unknown,
      defaultTimeZone: 'America/Chicago',
    });
    const withoutDefault = advance(flow, enrollIn(flow), start, { now: NOW, contact: unknown });
    expect(withDefault.wakeAt).toBe('2026-03-03T15:00:00.000Z');
    expect(withoutDefault.wakeAt).toBe('2026-03-03T09:00:00.000Z');
  });
});

describe('advance: conditions and tags', () => {
  const vipFlow = workflow([
    ifStep('is-vip', { field: 'tags', op: 'contains', value: 'vip' }, 'vip-offer', 'regular-offer'),
    { id: 'vip-offer', type: 'send_sms', body: 'VIP: 30% off', next: 'done' },
    { id: 'regular-offer', type: 'send_sms', body: '10% off' },
    { id: 'done', type: 'end' },
  ]);

  it.each([
    ['then', ['vip'], 'vip-offer'],
    ['else', ['lead'], 'regular-offer'],
  ])('if takes the %s branch', (outcome, tags, stepId) => {
    // Act
    const result = advance(vipFlow, enrollIn(vipFlow), { type: 'start' }, ctx(NOW, { tags }));

    // Assert
    expect(result.actions.map((action) => action.stepId)).toEqual([stepId]);
    expect(result.enrollment.history).toContainEqual({ at: NOW.toISOString(), stepId: 'is-vip', outcome });
    expect(result.enrollment.status).toBe('completed');
  });

  it('if reads custom fields and dates against the injected clock', () => {
    const flow = workflow([
      ifStep('recent', { field: 'customFields.lastVisit', op: 'withinDays', value: 7 }, 'welcome-back', 'miss-you'),
      { id: 'welcome-back', type: 'send_sms', body: 'Welcome back', next: 'done' },
      { id: 'miss-you', type: 'send_sms', body: 'We miss you' },
      { id: 'done', type: 'end' },
    ]);
    const visited = (daysAgo: number) => ({ customFields: { lastVisit: later(-daysAgo * DAY_MS).toISOString() } });
    const recent = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW, visited(3)));
    const lapsed = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW, visited(30)));
    expect(recent.actions.map((action) => action.stepId)).toEqual(['welcome-back']);
    expect(lapsed.actions.map((action) => action.stepId)).toEqual(['miss-you']);
  });

  it('a tag added earlier in the same advance is seen by a later if', () => {
    // Arrange
    const flow = workflow([
      { id: 'tag', type: 'add_tag', tag: 'vip' },
      ifStep('check', { field: 'tags', op: 'contains', value: 'vip' }, 'yes', 'no'),
      { id: 'yes', type: 'send_sms', body: 'yes', next: 'done' },
      { id: 'no', type: 'send_sms', body: 'no' },
      { id: 'done', type: 'end' },
    ]);

    // Act
    const result = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW, { tags: [] }));

    // Assert
    expect(result.actions).toEqual([
      { type: 'add_tag', stepId: 'tag', tag: 'vip' },
      { type: 'send_sms', stepId: 'yes', body: 'yes' },
    ]);
  });

  it('a tag removed earlier in the same advance is gone for a later if', () => {
    const flow = workflow([
      { id: 'untag', type: 'remove_tag', tag: 'vip' },
      ifStep('check', { field: 'tags', op: 'notContains', value: 'vip' }, 'gone', 'kept'),
      { id: 'gone', type: 'send_sms', body: 'gone', next: 'done' },
      { id: 'kept', type: 'send_sms', body: 'kept' },
      { id: 'done', type: 'end' },
    ]);
    const result = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW, { tags: ['vip', 'lead'] }));
    expect(result.actions.map((action) => action.stepId)).toEqual(['untag', 'gone']);
  });

  it('runs off the last step into completion', () => {
    const flow = workflow([
      { id: 'a', type: 'add_tag', tag: 'x' },
      { id: 'b', type: 'send_sms', body: 'Hi' },
    ]);
    const result = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW));
    expect(result.enrollment).toMatchObject({ status: 'completed', currentStepId: 'b' });
    expect(isFinished(result.enrollment)).toBe(true);
  });
});

describe('advance: guards', () => {
  it('exits a run-away loop after the step limit (a definition the graph rules would have refused)', () => {
    // Arrange: stored without going through the schema
    const steps: WorkflowStep[] = [
      { id: 'a', type: 'send_sms', body: 'again' },
      { id: 'b', type: 'add_tag', tag: 'looped', next: 'a' },
    ];
    const flow = { id: 'wf-bad', version: 1, steps };

    // Act
    const result = advance(flow, newEnrollment(flow, 'contact-1', NOW), { type: 'start' }, ctx(NOW));

    // Assert
    expect(result.actions).toHaveLength(MAX_STEPS_PER_ADVANCE);
    expect(result.enrollment).toMatchObject({ status: 'exited', exitReason: 'step_limit' });
    expect(result.wakeAt).toBeUndefined();
  });

  it('keeps only the latest history entries', () => {
    const flow = workflow([
      { id: 'text', type: 'send_sms', body: 'ping' },
      { id: 'pause', type: 'wait', duration: 'PT1H', next: 'text' },
    ]);
    let enrollment = advance(flow, enrollIn(flow), { type: 'start' }, ctx(NOW)).enrollment;
    for (let hour = 1; hour <= 40; hour++) {
      enrollment = advance(flow, enrollment, wake(enrollment.wakeAt!), ctx(later(hour * HOUR_MS))).enrollment;
    }
    expect(enrollment.history).toHaveLength(MAX_HISTORY_ENTRIES);
    expect(enrollment.history?.at(-1)).toEqual({
      at: later(40 * HOUR_MS).toISOString(),
      stepId: 'pause',
      outcome: 'waiting',
    });
  });

  it.each([
    ['another version', { workflowVersion: 2 }],
    ['another workflow', { workflowId: 'wf-2' }],
    ['a step the workflow lacks', { currentStepId: 'gone' }],
  ])('refuses an enrollment in %s', (_label, overrides) => {
    const enrollment = { ...enrollIn(welcomeFlow), ...overrides };
    expect(() => advance(welcomeFlow, enrollment, { type: 'start' }, ctx(NOW))).toThrow(RangeError);
  });

  it('refuses an event time that is not an instant', () => {
    const waiting = startWelcome();
    expect(() => advance(welcomeFlow, waiting, wake('tomorrow'), ctx(later(DAY_MS)))).toThrow(RangeError);
  });
});

describe('exitEnrollment', () => {
  it('takes a waiting enrollment out, so its pending wake-up finds nothing to do', () => {
    // Arrange
    const waiting = startWelcome();

    // Act
    const exited = exitEnrollment(waiting, 'replied', later(HOUR_MS));
    const woken = advance(welcomeFlow, exited, wake(waiting.wakeAt!), ctx(later(DAY_MS)));

    // Assert
    expect(exited).toMatchObject({ status: 'exited', exitReason: 'replied', endedAt: later(HOUR_MS).toISOString() });
    expect(exited).not.toHaveProperty('wakeAt');
    expect(exited.history?.at(-1)).toEqual({ at: later(HOUR_MS).toISOString(), stepId: 'ask', outcome: 'exited' });
    expect(woken.changed).toBe(false);
  });

  it('leaves a finished enrollment as it is', () => {
    const exited = exitEnrollment(startWelcome(), 'opted_out', NOW);
    expect(exitEnrollment(exited, 'paused', later(HOUR_MS))).toBe(exited);
  });
});

describe('newEnrollment', () => {
  it('starts at the first step, pinned to the workflow version', () => {
    expect(newEnrollment(welcomeFlow, 'contact-9', NOW)).toEqual({
      workflowId: 'wf-1',
      workflowVersion: 1,
      contactId: 'contact-9',
      status: 'active',
      currentStepId: 'welcome',
      enrolledAt: NOW.toISOString(),
      history: [],
    });
  });
});
