/** Keys of the workflows table, built only here; every partition key starts with the tenant. */
const tenantPrefix = (tenantId: string) => `T#${tenantId}`;
const workflowPartition = (tenantId: string, workflowId: string) => `${tenantPrefix(tenantId)}#WF#${workflowId}`;

/** Counter shards per workflow: ADDs spread over them so that a busy workflow has no hot item. */
export const COUNTER_SHARDS = 8;

export const workflowsKeys = {
  tenantPrefix,
  workflow: (tenantId: string, id: string) => ({ pk: workflowPartition(tenantId, id), sk: '#WORKFLOW' }),
  /** GSI1: a tenant's workflows, newest first when read backwards. */
  workflowListing: (tenantId: string, id: string, createdAt: string) => ({
    gsi1pk: `${tenantPrefix(tenantId)}#WORKFLOWS`,
    gsi1sk: `${createdAt}#${id}`,
  }),
  workflowListingPartition: (tenantId: string) => `${tenantPrefix(tenantId)}#WORKFLOWS`,
  version: (tenantId: string, id: string, version: number) => ({
    pk: workflowPartition(tenantId, id),
    sk: `V#${String(version).padStart(6, '0')}`,
  }),
  /** Enrollments live in their workflow's partition, so listing them is one range query. */
  enrollment: (tenantId: string, workflowId: string, id: string) => ({
    pk: workflowPartition(tenantId, workflowId),
    sk: `E#${id}`,
  }),
  workflowPartition,
  enrollmentPrefix: 'E#',
  counterShard: (tenantId: string, workflowId: string, shard: number) => ({
    pk: workflowPartition(tenantId, workflowId),
    sk: `#COUNTS#${shard}`,
  }),
  counterPrefix: '#COUNTS#',
  datePlan: (tenantId: string, workflowId: string, contactId: string) => ({
    pk: workflowPartition(tenantId, workflowId),
    sk: `P#${contactId}`,
  }),
  /** The contact's enrollment locks, one per workflow: all of them are one query (opt-out exits them all). */
  lock: (tenantId: string, contactId: string, workflowId: string) => ({
    pk: `${tenantPrefix(tenantId)}#CWF#${contactId}`,
    sk: `WF#${workflowId}`,
  }),
  lockPartition: (tenantId: string, contactId: string) => `${tenantPrefix(tenantId)}#CWF#${contactId}`,
  /** A minute bucket of far wake-ups. */
  bucket: (tenantId: string, minute: string) => `${tenantPrefix(tenantId)}#WAKE#${minute}`,
  bucketEntry: (tenantId: string, minute: string, dueAt: string, target: string) => ({
    pk: `${tenantPrefix(tenantId)}#WAKE#${minute}`,
    sk: `${dueAt}#${target}`,
  }),
} as const;

export const workflowEntityTypes = {
  workflow: 'Workflow',
  version: 'WorkflowVersion',
  enrollment: 'Enrollment',
  counters: 'WorkflowCounters',
  datePlan: 'DateTriggerPlan',
  lock: 'EnrollmentLock',
  bucketWake: 'BucketWake',
} as const;
