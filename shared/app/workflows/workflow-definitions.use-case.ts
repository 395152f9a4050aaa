import type { PauseEvidence } from '../../domain/campaigns/campaign.schema';
import { ConflictError, NotFoundError, RuleViolationError } from '../../domain/errors';
import { assertBodyWithinSegmentLimit } from '../../domain/sms/segment-limit';
import { nextWakeOf } from '../../domain/workflows/enrollment';
import {
  graphIssueDetails,
  type ParsedWorkflowDraft,
  type Workflow,
  type WorkflowPatch,
} from '../../domain/workflows/workflow.schema';
import type { Page, PageRequest } from '../../ports/page';
import type { StoredWorkflow, WorkflowCounts } from '../../ports/workflow-store.port';
import { retryOnConflict } from '../retry-on-conflict';
import { forgetCachedWorkflows } from './batched-io';
import type { WorkflowDeps } from './workflow-deps';

type DefinitionDeps = Pick<WorkflowDeps, 'workflows' | 'clock' | 'ids' | 'queue' | 'settings'>;

async function load(tenantId: string, id: string, deps: Pick<WorkflowDeps, 'workflows'>): Promise<StoredWorkflow> {
  const stored = await deps.workflows.getWorkflow(tenantId, id);
  if (!stored) throw new NotFoundError('Workflow', id);
  return stored;
}

/** Saves a workflow and drops what this process's engine caches of the tenant's workflows (see `withBatchedIo`). */
async function saveAndForget(
  tenantId: string,
  stored: StoredWorkflow,
  next: Workflow,
  deps: Pick<WorkflowDeps, 'workflows'>,
): Promise<StoredWorkflow> {
  const saved = await deps.workflows.saveWorkflow(tenantId, stored, next);
  forgetCachedWorkflows(tenantId);
  return saved;
}

/** Refuses a definition whose graph does not hold together, naming each step field to fix (422). */
function assertRunnable(workflow: Pick<Workflow, 'steps'>): void {
  const details = graphIssueDetails(workflow.steps);
  if (details.length > 0) {
    throw new RuleViolationError(
      'WORKFLOW.INVALID_GRAPH',
      `The workflow cannot run: ${details[0]?.path}: ${details[0]?.message}`,
      details,
    );
  }
}

/** Refuses a text step over the tenant's segment limit as sent (footer included), naming the step's body (400). */
async function assertTextsFit(
  tenantId: string,
  workflow: Pick<Workflow, 'steps' | 'messageType'>,
  deps: Pick<DefinitionDeps, 'settings'>,
): Promise<void> {
  const { settings } = await deps.settings.getSettings(tenantId);
  workflow.steps.forEach((step, index) => {
    if (step.type === 'send_sms')
      assertBodyWithinSegmentLimit(step.body, settings, workflow.messageType, `steps.${index}.body`);
  });
}

/** Saves a new draft (its graph is checked on activation, so a half-built workflow can be saved). */
export async function createWorkflow(tenantId: string, input: ParsedWorkflowDraft, deps: DefinitionDeps) {
  await assertTextsFit(tenantId, input, deps);
  const now = deps.clock.now().toISOString();
  const workflow: Workflow = {
    id: deps.ids.next(),
    status: 'draft',
    version: 1,
    ...input,
    createdAt: now,
    updatedAt: now,
    activatedAt: null,
    pauseReason: null,
    pauseEvidence: null,
  };
  const created = (await deps.workflows.createWorkflow(tenantId, workflow)).workflow;
  forgetCachedWorkflows(tenantId);
  return created;
}

export async function listWorkflows(
  tenantId: string,
  page: PageRequest,
  deps: DefinitionDeps,
): Promise<Page<Workflow>> {
  return deps.workflows.listWorkflows(tenantId, page);
}

/** A workflow with its enrollment totals and per-step counters (entered, completed, sent, skipped, replied). */
export async function getWorkflow(tenantId: string, id: string, deps: DefinitionDeps) {
  const { workflow } = await load(tenantId, id, deps);
  const counts: WorkflowCounts = await deps.workflows.getCounts(tenantId, id);
  const zero = { entered: 0, completed: 0, sent: 0, skipped: 0, replied: 0 };
  const known = workflow.steps.map((step) => step.id);
  const others = Object.keys(counts.steps).filter((stepId) => !known.includes(stepId));
  return {
    ...workflow,
    stats: {
      ...counts.totals,
      active: Math.max(0, counts.totals.enrolled - counts.totals.completed - counts.totals.exited),
      steps: [...known, ...others].map((stepId) => ({ stepId, ...zero, ...counts.steps[stepId] })),
    },
  };
}

/**
 * Edits a workflow. A draft is edited in place; once a workflow has been activated, an edit is a new version (its
 * graph must hold, as it may run at once) and running enrollments finish on the version they started on.
 */
export async function updateWorkflow(tenantId: string, id: string, patch: WorkflowPatch, deps: DefinitionDeps) {
  return retryOnConflict(async () => {
    const stored = await load(tenantId, id, deps);
    const current = stored.workflow;
    const edited: Workflow = { ...current, ...patch, updatedAt: deps.clock.now().toISOString() };
    if (patch.steps !== undefined || patch.messageType !== undefined) await assertTextsFit(tenantId, edited, deps);
    const versioned = current.activatedAt !== null;
    if (versioned) assertRunnable(edited);
    const next = versioned ? { ...edited, version: current.version + 1 } : edited;
    return (await saveAndForget(tenantId, stored, next, deps)).workflow;
  });
}

/** Deletes a draft or a paused workflow (an active one must be paused first); its enrollments exit when they wake. */
export async function deleteWorkflow(tenantId: string, id: string, deps: DefinitionDeps): Promise<void> {
  await retryOnConflict(async () => {
    const stored = await load(tenantId, id, deps);
    if (stored.workflow.status === 'active') {
      throw new ConflictError('WORKFLOW.ACTIVE', `Workflow ${id} is active; pause it before deleting it`);
    }
    await deps.workflows.deleteWorkflow(tenantId, stored);
    forgetCachedWorkflows(tenantId);
  });
}

/** draft or paused -> active, once the graph holds (422 naming the step path otherwise). Resuming re-arms held runs. */
export async function activateWorkflow(tenantId: string, id: string, deps: DefinitionDeps) {
  const { workflow, resumed, changed } = await retryOnConflict(async () => {
    const stored = await load(tenantId, id, deps);
    const current = stored.workflow;
    if (current.status === 'active') return { workflow: current, resumed: false, changed: false };
    assertRunnable(current);
    const now = deps.clock.now().toISOString();
    const next: Workflow = {
      ...current,
      status: 'active',
      updatedAt: now,
      activatedAt: current.activatedAt ?? now,
      pauseReason: null,
      pauseEvidence: null,
    };
    return {
      workflow: (await saveAndForget(tenantId, stored, next, deps)).workflow,
      resumed: current.status === 'paused',
      changed: true,
    };
  });
  if (resumed)
    await deps.queue.sendMessages('workflows', [{ body: { kind: 'workflowResumed', tenantId, workflowId: id } }]);
  // Contacts that already carry the date get their plan (re-planning on later changes is the events' job).
  if (workflow.trigger.type === 'date_field' && changed) {
    await deps.queue.sendMessages('workflows', [{ body: { kind: 'datePlansBackfill', tenantId, workflowId: id } }]);
  }
  return workflow;
}

/**
 * active -> paused: nothing new enrolls and running enrollments hold at their next step until resumed. A person
 * pauses it (`manual`), or the carrier-filtering breaker does, with what it saw.
 */
export async function pauseWorkflow(
  tenantId: string,
  id: string,
  deps: DefinitionDeps,
  reason: 'manual' | 'carrierFiltering' = 'manual',
  evidence: PauseEvidence | null = null,
) {
  return retryOnConflict(async () => {
    const stored = await load(tenantId, id, deps);
    const current = stored.workflow;
    if (current.status === 'paused') return current;
    if (current.status !== 'active') {
      throw new ConflictError('WORKFLOW.NOT_ACTIVE', `Workflow ${id} is ${current.status}; only an active one pauses`);
    }
    const next: Workflow = {
      ...current,
      status: 'paused',
      updatedAt: deps.clock.now().toISOString(),
      pauseReason: reason,
      pauseEvidence: evidence,
    };
    return (await saveAndForget(tenantId, stored, next, deps)).workflow;
  });
}

/** paused -> active (the same as activating a paused workflow). */
export async function resumeWorkflow(tenantId: string, id: string, deps: DefinitionDeps) {
  const stored = await load(tenantId, id, deps);
  if (stored.workflow.status === 'draft') {
    throw new ConflictError('WORKFLOW.NOT_PAUSED', `Workflow ${id} is a draft; activate it instead`);
  }
  return activateWorkflow(tenantId, id, deps);
}

/** The enrollments of a workflow: status, current step, next wake-up and history. */
export async function listEnrollments(
  tenantId: string,
  id: string,
  query: PageRequest & { status?: 'active' | 'waiting' | 'completed' | 'exited' | undefined },
  deps: DefinitionDeps,
) {
  await load(tenantId, id, deps);
  const page = await deps.workflows.listEnrollments(tenantId, id, query);
  return {
    items: page.items.map(({ id: enrollmentId, enrollment, held }) => ({
      id: enrollmentId,
      contactId: enrollment.contactId,
      workflowVersion: enrollment.workflowVersion,
      status: enrollment.status,
      currentStepId: enrollment.currentStepId,
      nextWakeAt: nextWakeOf(enrollment),
      heldUntil: enrollment.heldUntil ?? null,
      held,
      exitReason: enrollment.exitReason ?? null,
      enrolledAt: enrollment.enrolledAt ?? null,
      endedAt: enrollment.endedAt ?? null,
      history: enrollment.history ?? [],
    })),
    nextCursor: page.nextCursor,
  };
}
