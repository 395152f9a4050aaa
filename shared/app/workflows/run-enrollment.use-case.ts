import type { Contact } from '../../domain/contacts/contact.schema';
import { ConcurrentModificationError } from '../../domain/errors';
import { checkSendTime } from '../../domain/sending/send-window';
import type { Settings } from '../../domain/settings/settings.schema';
import {
  type AdvanceResult,
  advance,
  type Enrollment,
  type EnrollmentEvent,
  holdEnrollment,
  isFinished,
} from '../../domain/workflows/enrollment';
import { type StepCountDeltas, stepCountDeltas } from '../../domain/workflows/step-counts';
import type { Workflow, WorkflowStep } from '../../domain/workflows/workflow.schema';
import type { TimerMessage } from '../../domain/workflows/workflow-messages';
import type { EnrollmentTotals, StoredEnrollment } from '../../ports/workflow-store.port';
import { addContactTags, removeContactTag } from '../contacts/contact-tags.use-case';
import { exitStoredEnrollment } from './exit-enrollment';
import { sendWorkflowMessage } from './send-workflow-message';
import type { WorkflowDeps } from './workflow-deps';
import { armTimers } from './workflow-timers';
import { loadWorkflowVersion } from './workflow-versions';

/** What moves an enrollment: its start, a wake-up due at `dueAt`, or a reply sent at `at`. */
export type EnrollmentTrigger =
  | { type: 'start' }
  | { type: 'wake'; dueAt: string; notBefore?: string | undefined }
  | { type: 'reply'; at: string; notBefore?: string | undefined };

export type RunOutcome = 'advanced' | 'unchanged' | 'early' | 'held' | 'deferred' | 'exited' | 'missing';

const MAX_ROUNDS = 5;

/**
 * Runs one event through an enrollment: reads it, its version's definition, the contact and the settings, asks the
 * pure state machine (`advance`) what happens, and applies it with a version-conditional write. That write is the
 * claim: of two concurrent runs (a wake-up delivered twice) one applies and the other re-reads and finds nothing to
 * do, so every step's actions run at most once per visit. The actions (texts, tags) run after the claim; a text that
 * would fall outside the send window holds the whole advance back to the window's next opening instead.
 *
 * A contact that opted out or was deleted exits before any step; a paused (or deleted) workflow holds the enrollment
 * until resumed (its wake-up is re-armed then).
 */
export async function runEnrollment(
  tenantId: string,
  workflowId: string,
  enrollmentId: string,
  trigger: EnrollmentTrigger,
  deps: WorkflowDeps,
): Promise<RunOutcome> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const stored = await deps.workflows.getEnrollment(tenantId, workflowId, enrollmentId);
    if (!stored) return 'missing';
    if (isFinished(stored.enrollment)) return 'unchanged';
    try {
      return await runOnce(tenantId, stored, trigger, deps);
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError)) throw error;
    }
  }
  throw new ConcurrentModificationError(`Enrollment ${enrollmentId} kept changing while it was run`);
}

async function runOnce(
  tenantId: string,
  stored: StoredEnrollment,
  trigger: EnrollmentTrigger,
  deps: WorkflowDeps,
): Promise<RunOutcome> {
  const { workflowId, contactId } = stored.enrollment;
  const [head, contact, { settings }] = await Promise.all([
    deps.workflows.getWorkflow(tenantId, workflowId),
    deps.contacts.getContact(tenantId, contactId),
    deps.settings.getSettings(tenantId),
  ]);
  if (!contact) return exitWith('contact_deleted');
  if (contact.contact.smsConsent.status === 'opted_out') return exitWith('opted_out');
  if (head?.workflow.status !== 'active') {
    if (trigger.type === 'reply') return 'held';
    if (!stored.held) await deps.workflows.saveEnrollment(tenantId, stored, stored.enrollment, true);
    return 'held';
  }
  const definition = await loadWorkflowVersion(tenantId, workflowId, stored.enrollment.workflowVersion, deps);
  if (!definition) return exitWith('version_missing');

  const now = deps.clock.now();
  const notBefore = trigger.type === 'start' ? undefined : trigger.notBefore;
  const dueAt = trigger.type === 'wake' ? trigger.dueAt : undefined;
  const earliest = Math.max(Date.parse(notBefore ?? '') || 0, Date.parse(dueAt ?? '') || 0);
  if (earliest > now.getTime()) {
    await armTimers(tenantId, [timerFor(tenantId, stored, trigger, notBefore)], deps);
    return 'early';
  }
  // A start the send window held back comes back as a wake-up; a start it is, while the enrollment has not begun.
  const event: EnrollmentEvent =
    stored.enrollment.status === 'active'
      ? { type: 'start' }
      : trigger.type === 'reply'
        ? { type: 'reply', at: trigger.at }
        : { type: 'wake', at: dueAt ?? stored.enrollment.wakeAt ?? now.toISOString() };
  const result = advance(definition, stored.enrollment, event, {
    now,
    contact: contact.contact,
    defaultTimeZone: settings.defaultTimeZone,
  });
  if (!result.changed) return 'unchanged';

  if (result.actions.some((action) => action.type === 'send_sms')) {
    const window = checkSendTime(now, contact.contact, settings.sendWindow, { messageType: definition.messageType });
    if (!window.allowed) {
      const opening = window.nextOpening.toISOString();
      await armTimers(tenantId, [timerFor(tenantId, stored, trigger, opening)], deps);
      // Shown on the enrollment (nextWakeAt, a `held` history entry); written after the timer, as any wait is.
      const held = holdEnrollment(stored.enrollment, window.nextOpening, now);
      if (held !== stored.enrollment) await deps.workflows.saveEnrollment(tenantId, stored, held, stored.held);
      return 'deferred';
    }
  }
  // Armed before the state that expects it is written: a crash in between leaves a wake-up that finds nothing to
  // do, never an enrollment waiting for a wake-up that was never armed.
  if (result.wakeAt) {
    await armTimers(tenantId, [timerFor(tenantId, stored, { type: 'wake', dueAt: result.wakeAt }, undefined)], deps);
  }
  await deps.workflows.saveEnrollment(tenantId, stored, result.enrollment);
  await applyResult(tenantId, stored, result, definition, settings, contact.contact, deps);
  return 'advanced';

  async function exitWith(reason: string): Promise<RunOutcome> {
    await exitStoredEnrollment(tenantId, workflowId, stored.id, reason, deps, stored);
    return 'exited';
  }
}

/**
 * Starts an enrollment whose lock the caller has just claimed, and writes it once, already advanced to its first wait
 * (or its end), instead of writing it fresh, reading it back and writing it again. It is the same advance `runEnrollment`
 * would make from the fresh enrollment, run before anyone else can know of the enrollment: its id is new, so the write
 * that creates it is also the claim of this first advance, and the actions run only after it. False (nothing written)
 * when the start cannot run at once (the contact is gone or opted out, a text falls outside the send window, the
 * start changes nothing): the caller then writes the fresh enrollment and runs it the usual way.
 */
export async function startClaimedEnrollment(
  tenantId: string,
  workflow: Workflow,
  enrollmentId: string,
  fresh: Enrollment,
  deps: WorkflowDeps,
): Promise<boolean> {
  const [contact, { settings }] = await Promise.all([
    deps.contacts.getContact(tenantId, fresh.contactId),
    deps.settings.getSettings(tenantId),
  ]);
  if (!contact || contact.contact.smsConsent.status === 'opted_out') return false;
  const now = deps.clock.now();
  const result = advance(
    workflow,
    fresh,
    { type: 'start' },
    {
      now,
      contact: contact.contact,
      defaultTimeZone: settings.defaultTimeZone,
    },
  );
  if (!result.changed) return false;
  if (result.actions.some((action) => action.type === 'send_sms')) {
    const window = checkSendTime(now, contact.contact, settings.sendWindow, { messageType: workflow.messageType });
    if (!window.allowed) return false;
  }
  const pending: StoredEnrollment = { id: enrollmentId, enrollment: fresh, rev: 0, held: false };
  if (result.wakeAt) {
    await armTimers(tenantId, [timerFor(tenantId, pending, { type: 'wake', dueAt: result.wakeAt }, undefined)], deps);
  }
  const stored = await deps.workflows.createEnrollment(tenantId, enrollmentId, result.enrollment);
  await applyResult(tenantId, stored, result, workflow, settings, contact.contact, deps, { enrolled: 1 });
  return true;
}

/**
 * Carries out the actions of an applied advance, then counts the steps and frees the lock of a finished enrollment
 * (of a workflow with re-entry).
 * `contact` is the contact the advance was planned with (a text still reads it again right before it goes out).
 */
async function applyResult(
  tenantId: string,
  stored: StoredEnrollment,
  result: AdvanceResult,
  definition: Workflow,
  settings: Settings,
  contact: Contact,
  deps: WorkflowDeps,
  extraTotals: EnrollmentTotals = {},
): Promise<void> {
  const { workflowId, contactId } = stored.enrollment;
  const deltas: StepCountDeltas = stepCountDeltas(result.entries, definition.steps);
  const bump = (stepId: string, counter: 'sent' | 'skipped') => {
    const step = deltas[stepId] ?? {};
    step[counter] = (step[counter] ?? 0) + 1;
    deltas[stepId] = step;
  };
  for (const action of result.actions) {
    switch (action.type) {
      case 'send_sms': {
        const outcome = await sendWorkflowMessage(
          {
            tenantId,
            workflowId,
            enrollmentId: stored.id,
            stepId: action.stepId,
            body: action.body,
            messageType: definition.messageType,
            trackLinks: stepTracksLinks(definition.steps, action.stepId) ?? settings.trackLinks,
          },
          contactId,
          settings,
          deps,
          contact,
        );
        bump(action.stepId, outcome.kind === 'sent' ? 'sent' : 'skipped');
        break;
      }
      case 'add_tag':
        await addContactTags(tenantId, contactId, [action.tag], deps, workflowId).catch(ignoreMissingContact);
        break;
      case 'remove_tag':
        await removeContactTag(tenantId, contactId, action.tag, deps).catch(ignoreMissingContact);
        break;
    }
  }
  const status = result.enrollment.status;
  const totals: EnrollmentTotals = {
    ...extraTotals,
    ...(status === 'completed' ? { completed: 1 } : status === 'exited' ? { exited: 1 } : {}),
  };
  await deps.workflows.addCounts(tenantId, workflowId, deltas, totals);
  // Without re-entry the lock is never claimed again: it stays, naming the finished enrollment (whoever looks at the
  // contact's locks finds it finished; see `activeEnrollmentsOf`), which saves a write per enrollment.
  if (isFinished(result.enrollment) && definition.allowReentry) {
    await deps.workflows.releaseEnrollmentLock(tenantId, workflowId, contactId, stored.id);
  }
}

/** A contact deleted between the claim and a tag step: nothing to tag (its deletion ends the enrollment). */
function ignoreMissingContact(error: unknown): void {
  if ((error as { code?: string } | undefined)?.code === 'CONTACT.NOT_FOUND') return;
  throw error;
}

/** The queue message that brings this trigger back to the enrollment, not before `notBefore`. */
function timerFor(
  tenantId: string,
  stored: StoredEnrollment,
  trigger: EnrollmentTrigger,
  notBefore: string | undefined,
): TimerMessage {
  const { workflowId } = stored.enrollment;
  const base = { kind: 'enrollmentWake' as const, tenantId, workflowId, enrollmentId: stored.id };
  const dueAt =
    trigger.type === 'wake'
      ? trigger.dueAt
      : trigger.type === 'reply'
        ? trigger.at
        : (stored.enrollment.enrolledAt ?? new Date(0).toISOString());
  return {
    ...base,
    dueAt,
    ...(notBefore ? { notBefore } : {}),
    ...(trigger.type === 'reply' ? { replyAt: trigger.at } : {}),
  };
}

/** A `send_sms` step's own `trackLinks`, if it says. */
function stepTracksLinks(steps: readonly WorkflowStep[], stepId: string): boolean | undefined {
  const step = steps.find((candidate) => candidate.id === stepId);
  return step?.type === 'send_sms' ? step.trackLinks : undefined;
}
