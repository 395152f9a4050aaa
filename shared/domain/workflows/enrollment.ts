import { DateTime } from 'luxon';
import { z } from 'zod';
import { compileFilter, type FilterableContact } from '../audience/filter-evaluator';
import { isKnownZone, zoneClock } from '../sending/zone-clock';
import { durationMs, stepIdSchema, WEEKDAYS, type Weekday, type Workflow, type WorkflowStep } from './workflow.schema';
import { indexStepIds, resolveNext } from './workflow-graph';

const DAY_MS = 86_400_000;

/** More steps than a workflow holds: a valid graph (no loop without a wait) never reaches it in one advance. */
export const MAX_STEPS_PER_ADVANCE = 100;

/** History keeps the latest entries only, so a long-lived looping enrollment stays a small item. */
export const MAX_HISTORY_ENTRIES = 50;

/**
 * `active`: enrolled, not started yet; `waiting`: stopped at a wait step until `wakeAt` (or a reply);
 * `completed`: reached an `end` step or ran off the last step; `exited`: taken out early (`exitReason` says why).
 */
export const enrollmentStatusSchema = z.enum(['active', 'waiting', 'completed', 'exited']);
export type EnrollmentStatus = z.infer<typeof enrollmentStatusSchema>;

export const enrollmentOutcomeSchema = z.enum([
  'sent',
  'tagged',
  'untagged',
  'then',
  'else',
  'waiting',
  'woke',
  'replied',
  'timed_out',
  'completed',
  'exited',
  'held',
]);
export type EnrollmentOutcome = z.infer<typeof enrollmentOutcomeSchema>;

/** One thing that happened to an enrollment at a step, for `GET /v1/workflows/{id}/enrollments`. */
export const enrollmentHistoryEntrySchema = z.object({
  at: z.iso.datetime(),
  stepId: z.string(),
  outcome: enrollmentOutcomeSchema,
  /** For `held`: when the send window next opens, the time the held step runs. */
  until: z.iso.datetime().optional(),
});
export type EnrollmentHistoryEntry = z.infer<typeof enrollmentHistoryEntrySchema>;

/** Why an enrollment was taken out early when a step limit stopped it (anything else is the caller's reason). */
export const STEP_LIMIT_EXIT_REASON = 'step_limit';

/**
 * One contact's way through one version of a workflow. While `waiting`, `currentStepId` is the wait step and `wakeAt`
 * the instant its wake-up is due; `waitingForReplySince` is set only at a `wait_for_reply` step.
 */
export const enrollmentSchema = z.object({
  workflowId: z.string().min(1),
  workflowVersion: z.number().int().positive(),
  contactId: z.string().min(1),
  status: enrollmentStatusSchema,
  currentStepId: stepIdSchema,
  wakeAt: z.iso.datetime().optional(),
  waitingForReplySince: z.iso.datetime().optional(),
  exitReason: z.string().min(1).max(200).optional(),
  enrolledAt: z.iso.datetime().optional(),
  endedAt: z.iso.datetime().optional(),
  history: z.array(enrollmentHistoryEntrySchema).optional(),
  /** Set while a text of the next advance is held for the send window: when it next opens (see {@link holdEnrollment}). */
  heldUntil: z.iso.datetime().optional(),
});
export type Enrollment = z.infer<typeof enrollmentSchema>;

/**
 * What moves an enrollment: `start` right after enrolling; `wake` when a scheduled wake-up fires, `at` being the
 * instant it was scheduled for; `reply` when the contact texts in, `at` being when the text arrived.
 */
export const enrollmentEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start') }),
  z.strictObject({ type: z.literal('wake'), at: z.iso.datetime() }),
  z.strictObject({ type: z.literal('reply'), at: z.iso.datetime() }),
]);
export type EnrollmentEvent = z.infer<typeof enrollmentEventSchema>;

/**
 * Work for the caller, in order. `body` is the step's template as written: personalising it, the opt-out footer, the
 * send window and consent checks are the sender's job.
 */
export const workflowActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('send_sms'), stepId: z.string(), body: z.string() }),
  z.object({ type: z.literal('add_tag'), stepId: z.string(), tag: z.string() }),
  z.object({ type: z.literal('remove_tag'), stepId: z.string(), tag: z.string() }),
]);
export type WorkflowAction = z.infer<typeof workflowActionSchema>;

/** The parts of a workflow the state machine reads. */
export type EnrollmentWorkflow = Pick<Workflow, 'id' | 'version' | 'steps'>;

export interface AdvanceContext {
  /** The injected clock: waits run from here, and a wake-up is due only once it has reached `wakeAt`. */
  now: Date;
  /** The contact as last read; `if` steps test it, with the tags of earlier steps of this advance applied. */
  contact: FilterableContact;
  /** The zone for `wait_until` when the contact's is not a known IANA zone; UTC when this one is not either. */
  defaultTimeZone?: string;
}

export interface AdvanceResult {
  enrollment: Enrollment;
  actions: WorkflowAction[];
  /** When to wake the enrollment (= `enrollment.wakeAt`); undefined once it has completed or exited. */
  wakeAt: string | undefined;
  /** False when the event changed nothing: `enrollment` is then the object passed in and `actions` is empty. */
  changed: boolean;
  /** What this advance added to the history (untruncated), for per-step counters. */
  entries: EnrollmentHistoryEntry[];
}

/** A fresh enrollment at the first step, to be moved with a `start` event. */
export function newEnrollment(workflow: EnrollmentWorkflow, contactId: string, now: Date): Enrollment {
  const first = workflow.steps[0];
  if (first === undefined) throw new RangeError(`Workflow ${workflow.id} has no steps`);
  return {
    workflowId: workflow.id,
    workflowVersion: workflow.version,
    contactId,
    status: 'active',
    currentStepId: first.id,
    enrolledAt: now.toISOString(),
    history: [],
  };
}

function instantOf(text: string, what: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new RangeError(`${what} must be an ISO instant, got "${text}"`);
  return ms;
}

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The first instant strictly after `after` at which the clock of `zone` shows `time` (`HH:MM`) on one of `days`
 * (every day when undefined). DST-correct: the local date is read with luxon and the zone's offsets come from the time
 * zone database, so a time that does not exist on a spring-forward day (02:30 in New York on 2026-03-08) resolves to
 * the first instant after the gap (03:00 EDT), and a time shown twice on a fall-back day resolves to the first.
 *
 * @throws RangeError for a malformed time, an empty `days`, or a zone this runtime does not know.
 */
export function nextOccurrence(time: string, days: readonly Weekday[] | undefined, zone: string, after: Date): Date {
  const match = CLOCK_TIME.exec(time);
  if (match === null) throw new RangeError(`"${time}" is not a time of day as HH:MM`);
  if (days !== undefined && days.length === 0) throw new RangeError('days must name at least one day');
  const afterMs = after.getTime();
  if (Number.isNaN(afterMs)) throw new RangeError('after must be a valid date');
  const clock = zoneClock(zone);
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const today = DateTime.fromMillis(afterMs, { zone });
  const todayUtc = DateTime.utc(today.year, today.month, today.day);
  // Eight days: today (if the time is still ahead) through the same weekday next week.
  for (let offset = 0; offset <= 7; offset++) {
    const date = todayUtc.plus({ days: offset });
    if (days !== undefined && !days.includes(WEEKDAYS[date.weekday - 1]!)) continue;
    const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
    const instant = clock.firstReaching(wall, wall - DAY_MS);
    if (instant > afterMs) return new Date(instant);
  }
  throw new RangeError(
    `No ${time} on ${days?.join(',') ?? 'any day'} in ${zone} within a week after ${after.toISOString()}`,
  );
}

function zoneFor(context: AdvanceContext): string {
  if (isKnownZone(context.contact.timeZone)) return context.contact.timeZone;
  if (context.defaultTimeZone !== undefined && isKnownZone(context.defaultTimeZone)) return context.defaultTimeZone;
  return 'UTC';
}

function appendHistory(
  history: readonly EnrollmentHistoryEntry[],
  entries: readonly EnrollmentHistoryEntry[],
): EnrollmentHistoryEntry[] {
  const all = [...history, ...entries];
  return all.length > MAX_HISTORY_ENTRIES ? all.slice(all.length - MAX_HISTORY_ENTRIES) : all;
}

/** The enrollment without the fields of a wait, so that a resumed or finished enrollment carries none. */
function withoutWait(enrollment: Enrollment): Enrollment {
  const { wakeAt: _wakeAt, waitingForReplySince: _since, heldUntil: _held, ...rest } = enrollment;
  return rest;
}

function unchanged(enrollment: Enrollment): AdvanceResult {
  return { enrollment, actions: [], wakeAt: enrollment.wakeAt, changed: false, entries: [] };
}

interface Resumption {
  /** The step to run next (undefined: the workflow ends after the waiting step). */
  stepId: string | undefined;
  /** What is logged against the step the enrollment leaves (none when starting). */
  outcome?: EnrollmentOutcome;
}

/** Where an event takes the enrollment, or null when it does not apply (early, duplicate or stale, or wrong state). */
function resumption(
  steps: readonly WorkflowStep[],
  index: number,
  enrollment: Enrollment,
  event: EnrollmentEvent,
  nowMs: number,
): Resumption | null {
  const step = steps[index]!;
  if (event.type === 'start') return enrollment.status === 'active' ? { stepId: step.id } : null;
  if (enrollment.status !== 'waiting' || enrollment.wakeAt === undefined) return null;
  const wakeMs = instantOf(enrollment.wakeAt, 'wakeAt');
  const atMs = instantOf(event.at, `The ${event.type} event's at`);
  if (event.type === 'wake') {
    // A wake-up for an earlier wait, a duplicate, or one that fires before the time: nothing to do yet.
    if (atMs < wakeMs || nowMs < wakeMs) return null;
    if (step.type === 'wait_for_reply') return { stepId: step.onTimeout, outcome: 'timed_out' };
    if (step.type === 'wait' || step.type === 'wait_until')
      return { stepId: resolveNext(steps, index), outcome: 'woke' };
    throw new RangeError(`Enrollment is waiting at ${step.type} step "${step.id}", which does not wait`);
  }
  if (step.type !== 'wait_for_reply' || enrollment.waitingForReplySince === undefined) return null;
  // A text from before the wait began does not answer it; one after the timeout lost to the timeout.
  if (atMs < instantOf(enrollment.waitingForReplySince, 'waitingForReplySince') || atMs >= wakeMs) return null;
  return { stepId: step.onReply, outcome: 'replied' };
}

/**
 * Moves an enrollment with one event and runs its steps until it must wait or the workflow ends, returning the new
 * enrollment and the actions (texts, tag changes) for the caller to carry out. Pure: time is `context.now`.
 *
 * - `start` runs an `active` enrollment from its current step; on any other enrollment it does nothing.
 * - `wait` wakes at now + duration; `wait_until` at the next occurrence of its time on an allowed day in the
 *   contact's zone (see {@link nextOccurrence}); `wait_for_reply` at now + timeout, waiting for a reply meanwhile.
 * - `wake` goes on once both its `at` and `now` have reached `wakeAt` (to `onTimeout` at a `wait_for_reply`). A wake
 *   that is early, stale or duplicated, or that finds the enrollment not waiting, does nothing, so each wait is left
 *   once however often its wake-up fires. A caller woken early keeps `wakeAt` (still returned) and wakes again then.
 * - `reply` at a `wait_for_reply`, sent after the wait began and before its timeout, goes to `onReply`; anywhere else
 *   it does nothing here (stopping on response is the caller's choice: see {@link exitEnrollment}).
 * - `if` tests its condition with the filter evaluator against the contact as this advance has changed it.
 * - `end`, or running off the last step, completes the enrollment.
 *
 * More than {@link MAX_STEPS_PER_ADVANCE} steps in one advance exits the enrollment (`exitReason: step_limit`); the
 * graph rules rule that out for a valid workflow.
 *
 * @throws RangeError when the enrollment belongs to another workflow or version, or names a step it does not have.
 */
export function advance(
  workflow: EnrollmentWorkflow,
  enrollment: Enrollment,
  event: EnrollmentEvent,
  context: AdvanceContext,
): AdvanceResult {
  const nowMs = context.now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('now must be a valid date');
  if (enrollment.workflowId !== workflow.id || enrollment.workflowVersion !== workflow.version) {
    throw new RangeError(
      `Enrollment is in version ${enrollment.workflowVersion} of workflow ${enrollment.workflowId}, not version ${workflow.version} of ${workflow.id}`,
    );
  }
  const steps = workflow.steps;
  const ids = indexStepIds(steps);
  const stepIndex = (id: string) => {
    const index = ids.get(id);
    if (index === undefined) throw new RangeError(`Workflow ${workflow.id} has no step "${id}"`);
    return index;
  };

  const resumed = resumption(steps, stepIndex(enrollment.currentStepId), enrollment, event, nowMs);
  if (resumed === null) return unchanged(enrollment);

  const now = context.now.toISOString();
  const actions: WorkflowAction[] = [];
  const log: EnrollmentHistoryEntry[] = [];
  if (resumed.outcome !== undefined) log.push({ at: now, stepId: enrollment.currentStepId, outcome: resumed.outcome });
  let contact = context.contact;
  let lastStepId = enrollment.currentStepId;
  const base = withoutWait(enrollment);

  const finish = (fields: Partial<Enrollment>, outcome: EnrollmentOutcome): AdvanceResult => {
    log.push({ at: now, stepId: lastStepId, outcome });
    const ended = fields.status === 'completed' || fields.status === 'exited';
    const next: Enrollment = {
      ...base,
      ...fields,
      currentStepId: lastStepId,
      ...(ended ? { endedAt: now } : {}),
      history: appendHistory(enrollment.history ?? [], log),
    };
    return { enrollment: next, actions, wakeAt: next.wakeAt, changed: true, entries: log };
  };

  let stepId = resumed.stepId;
  for (let count = 0; stepId !== undefined; count++) {
    if (count >= MAX_STEPS_PER_ADVANCE) {
      return finish({ status: 'exited', exitReason: STEP_LIMIT_EXIT_REASON }, 'exited');
    }
    const index = stepIndex(stepId);
    const step = steps[index]!;
    lastStepId = step.id;
    switch (step.type) {
      case 'send_sms':
        actions.push({ type: 'send_sms', stepId: step.id, body: step.body });
        log.push({ at: now, stepId: step.id, outcome: 'sent' });
        stepId = resolveNext(steps, index);
        break;
      case 'add_tag':
        actions.push({ type: 'add_tag', stepId: step.id, tag: step.tag });
        log.push({ at: now, stepId: step.id, outcome: 'tagged' });
        if (!contact.tags.includes(step.tag)) contact = { ...contact, tags: [...contact.tags, step.tag] };
        stepId = resolveNext(steps, index);
        break;
      case 'remove_tag':
        actions.push({ type: 'remove_tag', stepId: step.id, tag: step.tag });
        log.push({ at: now, stepId: step.id, outcome: 'untagged' });
        if (contact.tags.includes(step.tag)) contact = { ...contact, tags: contact.tags.filter((t) => t !== step.tag) };
        stepId = resolveNext(steps, index);
        break;
      case 'if': {
        const matches = compileFilter({ all: [step.condition] }, context.now)(contact);
        log.push({ at: now, stepId: step.id, outcome: matches ? 'then' : 'else' });
        stepId = matches ? step.then : step.else;
        break;
      }
      case 'wait':
        return finish(
          { status: 'waiting', wakeAt: new Date(nowMs + durationMs(step.duration)).toISOString() },
          'waiting',
        );
      case 'wait_until': {
        const wakeAt = nextOccurrence(step.time, step.days, zoneFor(context), context.now);
        return finish({ status: 'waiting', wakeAt: wakeAt.toISOString() }, 'waiting');
      }
      case 'wait_for_reply': {
        const wakeAt = new Date(nowMs + durationMs(step.timeout)).toISOString();
        return finish({ status: 'waiting', wakeAt, waitingForReplySince: now }, 'waiting');
      }
      case 'end':
        return finish({ status: 'completed' }, 'completed');
    }
  }
  return finish({ status: 'completed' }, 'completed');
}

/**
 * Takes an enrollment out early (the contact replied to a stop-on-response workflow, opted out, the workflow was
 * paused): it stops waiting, so its pending wake-up will find nothing to do. An enrollment that already completed or
 * exited is returned as it is.
 */
export function exitEnrollment(enrollment: Enrollment, reason: string, now: Date): Enrollment {
  if (enrollment.status === 'completed' || enrollment.status === 'exited') return enrollment;
  const at = now.toISOString();
  return {
    ...withoutWait(enrollment),
    status: 'exited',
    exitReason: reason,
    endedAt: at,
    history: appendHistory(enrollment.history ?? [], [{ at, stepId: enrollment.currentStepId, outcome: 'exited' }]),
  };
}

/**
 * Records that the enrollment's next advance is held until `until` (a text it sends falls outside the send window),
 * with a `held` history entry, so the enrollment shows when it will go. The wait it is in, if any, is kept as it is:
 * its `wakeAt` still decides which wake-ups are stale. The next advance clears the hold. Returns the enrollment as
 * it is when it is already held until then (a duplicate delivery writes nothing).
 */
export function holdEnrollment(enrollment: Enrollment, until: Date, now: Date): Enrollment {
  const heldUntil = until.toISOString();
  if (enrollment.heldUntil === heldUntil || isFinished(enrollment)) return enrollment;
  const entry: EnrollmentHistoryEntry = {
    at: now.toISOString(),
    stepId: enrollment.currentStepId,
    outcome: 'held',
    until: heldUntil,
  };
  return { ...enrollment, heldUntil, history: appendHistory(enrollment.history ?? [], [entry]) };
}

/**
 * When the enrollment next moves on its own: the end of its hold or its wait's wake-up, whichever is later; null once
 * it has finished or while it only waits for a reply's event (no time set).
 */
export function nextWakeOf(enrollment: Enrollment): string | null {
  if (isFinished(enrollment)) return null;
  const times = [enrollment.heldUntil, enrollment.wakeAt].filter((time) => time !== undefined);
  return times.length === 0 ? null : times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}

/** True when the enrollment has nothing more to do (completed or exited). */
export function isFinished(enrollment: Enrollment): boolean {
  return enrollment.status === 'completed' || enrollment.status === 'exited';
}
