import type { Enrollment } from '../domain/workflows/enrollment';
import type { StepCountDeltas, StepCounter } from '../domain/workflows/step-counts';
import type { Workflow } from '../domain/workflows/workflow.schema';
import type { TimerMessage } from '../domain/workflows/workflow-messages';
import type { Page, PageRequest } from './page';

export interface StoredWorkflow {
  workflow: Workflow;
  /** Bumped by every write of the head: the optimistic-concurrency check of saves. */
  rev: number;
}

export interface StoredEnrollment {
  id: string;
  enrollment: Enrollment;
  /** Bumped by every write: an advance is applied only over the revision it read (at most once per visit). */
  rev: number;
  /** Set when a wake-up found the workflow paused: resuming re-arms it. */
  held: boolean;
}

/** What `claimEnrollment` found when the contact could not be enrolled. */
export type EnrollmentClaim =
  | { claimed: true }
  | { claimed: false; activeEnrollmentId: string | undefined; lockedAt: string | undefined };

/** Enrollment totals of a workflow, beside the per-step counters. */
export type EnrollmentTotals = Partial<Record<'enrolled' | 'completed' | 'exited', number>>;

export interface WorkflowCounts {
  steps: Record<string, Record<StepCounter, number>>;
  totals: Record<'enrolled' | 'completed' | 'exited', number>;
}

/**
 * Workflow definitions (with every version kept), their enrollments, the per-contact enrollment locks, step counters
 * and the timer indexes (minute buckets, date-trigger plans). Every key starts with the tenant.
 */
export interface WorkflowStore {
  /** Writes a new workflow and its version item. */
  createWorkflow(tenantId: string, workflow: Workflow): Promise<StoredWorkflow>;
  getWorkflow(tenantId: string, id: string): Promise<StoredWorkflow | undefined>;
  listWorkflows(tenantId: string, page: PageRequest): Promise<Page<Workflow>>;
  /** Every workflow of the tenant (a tenant has tens, not thousands): for matching triggers. */
  listAllWorkflows(tenantId: string): Promise<Workflow[]>;
  /**
   * Replaces the head if its revision is still `previous.rev` (else ConcurrentModificationError) and writes the
   * version item of `workflow.version`, so enrollments on older versions keep their definition.
   */
  saveWorkflow(tenantId: string, previous: StoredWorkflow, workflow: Workflow): Promise<StoredWorkflow>;
  deleteWorkflow(tenantId: string, previous: StoredWorkflow): Promise<void>;
  /** One version's definition as it was saved. */
  getWorkflowVersion(tenantId: string, id: string, version: number): Promise<Workflow | undefined>;

  /**
   * Takes the lock that allows one active enrollment per workflow and contact (conditional write). Without
   * `allowReentry`, a contact that ever enrolled is refused; with it, only one whose enrollment is still active.
   */
  claimEnrollment(
    tenantId: string,
    workflowId: string,
    contactId: string,
    enrollmentId: string,
    now: string,
    allowReentry: boolean,
  ): Promise<EnrollmentClaim>;
  /** Replaces a lock whose enrollment was never written (a crash between the two writes). */
  takeOverEnrollmentLock(
    tenantId: string,
    workflowId: string,
    contactId: string,
    staleEnrollmentId: string,
    enrollmentId: string,
    now: string,
  ): Promise<boolean>;
  /** Frees the lock once the enrollment has finished (only if it still names this enrollment). */
  releaseEnrollmentLock(tenantId: string, workflowId: string, contactId: string, enrollmentId: string): Promise<void>;
  /**
   * The contact's enrollments that hold a lock, in every workflow: its active ones, and finished ones of workflows
   * without re-entry, whose locks the engine does not free (callers read the enrollment and skip a finished one).
   */
  activeEnrollmentsOf(tenantId: string, contactId: string): Promise<{ workflowId: string; enrollmentId: string }[]>;

  /** Writes a new enrollment (revision 1). */
  createEnrollment(tenantId: string, id: string, enrollment: Enrollment): Promise<StoredEnrollment>;
  /**
   * Writes new enrollments (revision 1) with batch writes. Unconditional: only for ids just generated, which no item
   * can have yet. Returns them in order.
   */
  createEnrollments(
    tenantId: string,
    entries: readonly { id: string; enrollment: Enrollment }[],
  ): Promise<StoredEnrollment[]>;
  getEnrollment(tenantId: string, workflowId: string, id: string): Promise<StoredEnrollment | undefined>;
  /** Consistent reads of many enrollments at once (batch reads), keyed by enrollment id; missing ones are absent. */
  getEnrollments(
    tenantId: string,
    refs: readonly { workflowId: string; id: string }[],
  ): Promise<Map<string, StoredEnrollment>>;
  /** Version-conditional write; throws ConcurrentModificationError when another writer got there first. */
  saveEnrollment(
    tenantId: string,
    previous: StoredEnrollment,
    enrollment: Enrollment,
    held?: boolean,
  ): Promise<StoredEnrollment>;
  listEnrollments(
    tenantId: string,
    workflowId: string,
    query: PageRequest & { status?: Enrollment['status'] | undefined },
  ): Promise<Page<StoredEnrollment>>;
  /** Enrollments a pause held, a page at a time. */
  listHeldEnrollments(tenantId: string, workflowId: string, cursor?: string): Promise<Page<StoredEnrollment>>;

  /** Adds to the per-step counters and totals (DynamoDB ADD on one of a few shards, so no item runs hot). */
  addCounts(tenantId: string, workflowId: string, steps: StepCountDeltas, totals?: EnrollmentTotals): Promise<void>;
  getCounts(tenantId: string, workflowId: string): Promise<WorkflowCounts>;

  /** Indexes far wake-ups in their minute bucket. */
  addBucketWakes(tenantId: string, minute: string, messages: TimerMessage[]): Promise<void>;
  /** A page of a bucket's wake-ups; `deleteBucketWakes` removes them once they are on the queue. */
  listBucketWakes(tenantId: string, minute: string, cursor?: string): Promise<Page<TimerMessage>>;
  deleteBucketWakes(tenantId: string, minute: string, messages: TimerMessage[]): Promise<void>;

  /** The planned time of a `date_field` trigger for a contact (one plan per workflow and contact). */
  putDatePlan(tenantId: string, workflowId: string, contactId: string, dueAt: string): Promise<void>;
  getDatePlan(tenantId: string, workflowId: string, contactId: string): Promise<string | undefined>;
  deleteDatePlan(tenantId: string, workflowId: string, contactId: string): Promise<void>;
}
