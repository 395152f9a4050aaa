import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError } from '../../../domain/errors';
import { type Enrollment, enrollmentSchema } from '../../../domain/workflows/enrollment';
import { STEP_COUNTERS, type StepCountDeltas, type StepCounter } from '../../../domain/workflows/step-counts';
import { type Workflow, workflowSchema } from '../../../domain/workflows/workflow.schema';
import { type TimerMessage, workflowMessageSchema } from '../../../domain/workflows/workflow-messages';
import type { Page, PageRequest } from '../../../ports/page';
import type {
  EnrollmentClaim,
  EnrollmentTotals,
  StoredEnrollment,
  StoredWorkflow,
  WorkflowCounts,
  WorkflowStore,
} from '../../../ports/workflow-store.port';
import { batchGetAll, batchWriteAll } from './batch';
import { decodeCursor, encodeCursor } from './cursor';
import { COUNTER_SHARDS, workflowEntityTypes, workflowsKeys } from './workflows-keys';

type Item = Record<string, unknown>;
const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;
const TOTALS = ['enrolled', 'completed', 'exited'] as const;

function toStoredWorkflow(item: Item): StoredWorkflow {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, entity: _e, tenantId: _t, rev, ...fields } = item;
  return { workflow: workflowSchema.parse(fields), rev: rev as number };
}

function toStoredEnrollment(item: Item): StoredEnrollment {
  const { pk: _pk, sk: _sk, entity: _e, id, rev, held, ...fields } = item;
  return { id: id as string, enrollment: enrollmentSchema.parse(fields), rev: rev as number, held: held === true };
}

/** The item key of a timer message in its bucket: one entry per enrollment (or plan) and due time. */
const timerTarget = (message: TimerMessage) =>
  message.kind === 'enrollmentWake'
    ? `E#${message.workflowId}#${message.enrollmentId}`
    : `P#${message.workflowId}#${message.contactId}`;

/**
 * Workflows, versions, enrollments, locks, counters and timer indexes on DynamoDB (dynalite locally). Every state
 * change is a conditional write (no transactions, which dynalite lacks): the lock makes one active enrollment per
 * workflow and contact, the enrollment revision makes each advance apply once.
 */
export class DynamoWorkflowStore implements WorkflowStore {
  private shardCursor = Math.floor(Math.random() * COUNTER_SHARDS);

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private workflowItem(tenantId: string, workflow: Workflow, rev: number): Item {
    return {
      ...workflowsKeys.workflow(tenantId, workflow.id),
      ...workflowsKeys.workflowListing(tenantId, workflow.id, workflow.createdAt),
      entity: workflowEntityTypes.workflow,
      tenantId,
      rev,
      ...workflow,
    };
  }

  private versionItem(tenantId: string, workflow: Workflow): Item {
    return {
      ...workflowsKeys.version(tenantId, workflow.id, workflow.version),
      entity: workflowEntityTypes.version,
      ...workflow,
    };
  }

  async createWorkflow(tenantId: string, workflow: Workflow): Promise<StoredWorkflow> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: this.versionItem(tenantId, workflow) }));
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: this.workflowItem(tenantId, workflow, 1),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { workflow, rev: 1 };
  }

  async getWorkflow(tenantId: string, id: string): Promise<StoredWorkflow | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: workflowsKeys.workflow(tenantId, id), ConsistentRead: true }),
    );
    return out.Item ? toStoredWorkflow(out.Item) : undefined;
  }

  async listWorkflows(tenantId: string, page: PageRequest): Promise<Page<Workflow>> {
    const partition = workflowsKeys.workflowListingPartition(tenantId);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, workflowsKeys.tenantPrefix(tenantId), {
          attributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
          equals: { gsi1pk: partition },
        }),
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => toStoredWorkflow(item).workflow),
      nextCursor: encodeCursor(out.LastEvaluatedKey),
    };
  }

  async listAllWorkflows(tenantId: string): Promise<Workflow[]> {
    const all: Workflow[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listWorkflows(tenantId, { limit: 500, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  async saveWorkflow(tenantId: string, previous: StoredWorkflow, workflow: Workflow): Promise<StoredWorkflow> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: this.versionItem(tenantId, workflow) }));
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.workflowItem(tenantId, workflow, previous.rev + 1),
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: { ':rev': previous.rev },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConcurrentModificationError(`Workflow ${workflow.id} changed while this update was applied`);
      }
      throw error;
    }
    return { workflow, rev: previous.rev + 1 };
  }

  async deleteWorkflow(tenantId: string, previous: StoredWorkflow): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: workflowsKeys.workflow(tenantId, previous.workflow.id),
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: { ':rev': previous.rev },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConcurrentModificationError(`Workflow ${previous.workflow.id} changed while it was deleted`);
      }
      throw error;
    }
  }

  async getWorkflowVersion(tenantId: string, id: string, version: number): Promise<Workflow | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: workflowsKeys.version(tenantId, id, version) }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _e, ...fields } = out.Item;
    return workflowSchema.parse(fields);
  }

  async claimEnrollment(
    tenantId: string,
    workflowId: string,
    contactId: string,
    enrollmentId: string,
    now: string,
    allowReentry: boolean,
  ): Promise<EnrollmentClaim> {
    const Key = workflowsKeys.lock(tenantId, contactId, workflowId);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression:
            'SET entity = :entity, workflowId = :wf, activeEnrollmentId = :id, lockedAt = :now ADD enrollments :one',
          ConditionExpression: allowReentry ? 'attribute_not_exists(activeEnrollmentId)' : 'attribute_not_exists(pk)',
          ExpressionAttributeValues: {
            ':entity': workflowEntityTypes.lock,
            ':wf': workflowId,
            ':id': enrollmentId,
            ':now': now,
            ':one': 1,
          },
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    return {
      claimed: false,
      activeEnrollmentId: out.Item?.activeEnrollmentId as string | undefined,
      lockedAt: out.Item?.lockedAt as string | undefined,
    };
  }

  async takeOverEnrollmentLock(
    tenantId: string,
    workflowId: string,
    contactId: string,
    staleEnrollmentId: string,
    enrollmentId: string,
    now: string,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: workflowsKeys.lock(tenantId, contactId, workflowId),
          UpdateExpression: 'SET activeEnrollmentId = :id, lockedAt = :now',
          ConditionExpression: 'activeEnrollmentId = :stale',
          ExpressionAttributeValues: { ':id': enrollmentId, ':now': now, ':stale': staleEnrollmentId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async releaseEnrollmentLock(
    tenantId: string,
    workflowId: string,
    contactId: string,
    enrollmentId: string,
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: workflowsKeys.lock(tenantId, contactId, workflowId),
          UpdateExpression: 'REMOVE activeEnrollmentId SET lastEnrollmentId = :id',
          ConditionExpression: 'activeEnrollmentId = :id',
          ExpressionAttributeValues: { ':id': enrollmentId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async activeEnrollmentsOf(
    tenantId: string,
    contactId: string,
  ): Promise<{ workflowId: string; enrollmentId: string }[]> {
    const found: { workflowId: string; enrollmentId: string }[] = [];
    let start: Item | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: 'attribute_exists(activeEnrollmentId)',
          ExpressionAttributeValues: { ':pk': workflowsKeys.lockPartition(tenantId, contactId) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        found.push({ workflowId: item.workflowId as string, enrollmentId: item.activeEnrollmentId as string });
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return found;
  }

  private newEnrollmentItem(tenantId: string, id: string, enrollment: Enrollment): Item {
    return {
      ...workflowsKeys.enrollment(tenantId, enrollment.workflowId, id),
      entity: workflowEntityTypes.enrollment,
      id,
      rev: 1,
      ...enrollment,
    };
  }

  async createEnrollment(tenantId: string, id: string, enrollment: Enrollment): Promise<StoredEnrollment> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: this.newEnrollmentItem(tenantId, id, enrollment),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { id, enrollment, rev: 1, held: false };
  }

  async createEnrollments(
    tenantId: string,
    entries: readonly { id: string; enrollment: Enrollment }[],
  ): Promise<StoredEnrollment[]> {
    await batchWriteAll(
      this.client,
      this.tableName,
      entries.map(({ id, enrollment }) => ({ PutRequest: { Item: this.newEnrollmentItem(tenantId, id, enrollment) } })),
    );
    return entries.map(({ id, enrollment }) => ({ id, enrollment, rev: 1, held: false }));
  }

  async getEnrollment(tenantId: string, workflowId: string, id: string): Promise<StoredEnrollment | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: workflowsKeys.enrollment(tenantId, workflowId, id),
        ConsistentRead: true,
      }),
    );
    return out.Item ? toStoredEnrollment(out.Item) : undefined;
  }

  async getEnrollments(
    tenantId: string,
    refs: readonly { workflowId: string; id: string }[],
  ): Promise<Map<string, StoredEnrollment>> {
    const unique = new Map(refs.map((ref) => [`${ref.workflowId}\u0000${ref.id}`, ref]));
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...unique.values()].map((ref) => workflowsKeys.enrollment(tenantId, ref.workflowId, ref.id)),
      true,
    );
    return new Map(items.map((item) => [item.id as string, toStoredEnrollment(item)]));
  }

  async saveEnrollment(
    tenantId: string,
    previous: StoredEnrollment,
    enrollment: Enrollment,
    held = false,
  ): Promise<StoredEnrollment> {
    const rev = previous.rev + 1;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...workflowsKeys.enrollment(tenantId, enrollment.workflowId, previous.id),
            entity: workflowEntityTypes.enrollment,
            id: previous.id,
            rev,
            ...(held ? { held: true } : {}),
            ...enrollment,
          },
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: { ':rev': previous.rev },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConcurrentModificationError(`Enrollment ${previous.id} changed while it was advanced`);
      }
      throw error;
    }
    return { id: previous.id, enrollment, rev, held };
  }

  async listEnrollments(
    tenantId: string,
    workflowId: string,
    query: PageRequest & { status?: Enrollment['status'] | undefined },
  ): Promise<Page<StoredEnrollment>> {
    const pk = workflowsKeys.workflowPartition(tenantId, workflowId);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(query.status
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
        ExpressionAttributeValues: {
          ':pk': pk,
          ':prefix': workflowsKeys.enrollmentPrefix,
          ...(query.status ? { ':status': query.status } : {}),
        },
        Limit: query.limit,
        ExclusiveStartKey: decodeCursor(query.cursor, workflowsKeys.tenantPrefix(tenantId), {
          attributes: ['pk', 'sk'],
          equals: { pk },
          startsWith: { sk: workflowsKeys.enrollmentPrefix },
        }),
      }),
    );
    return { items: (out.Items ?? []).map(toStoredEnrollment), nextCursor: encodeCursor(out.LastEvaluatedKey) };
  }

  async listHeldEnrollments(tenantId: string, workflowId: string, cursor?: string): Promise<Page<StoredEnrollment>> {
    const pk = workflowsKeys.workflowPartition(tenantId, workflowId);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'held = :held',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': workflowsKeys.enrollmentPrefix, ':held': true },
        ConsistentRead: true,
        ExclusiveStartKey: decodeCursor(cursor, workflowsKeys.tenantPrefix(tenantId)),
      }),
    );
    return { items: (out.Items ?? []).map(toStoredEnrollment), nextCursor: encodeCursor(out.LastEvaluatedKey) };
  }

  async addCounts(
    tenantId: string,
    workflowId: string,
    steps: StepCountDeltas,
    totals: EnrollmentTotals = {},
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const clauses: string[] = [];
    const add = (attribute: string, value: number | undefined) => {
      if (!value) return;
      const n = clauses.length;
      names[`#a${n}`] = attribute;
      values[`:v${n}`] = value;
      clauses.push(`#a${n} :v${n}`);
    };
    for (const [stepId, counters] of Object.entries(steps)) {
      for (const counter of STEP_COUNTERS) add(`s#${stepId}#${counter}`, counters[counter]);
    }
    for (const total of TOTALS) add(`t#${total}`, totals[total]);
    if (clauses.length === 0) return;
    this.shardCursor = (this.shardCursor + 1) % COUNTER_SHARDS;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: workflowsKeys.counterShard(tenantId, workflowId, this.shardCursor),
        UpdateExpression: `SET entity = :entity ADD ${clauses.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':entity': workflowEntityTypes.counters } as Record<string, unknown>,
      }),
    );
  }

  async getCounts(tenantId: string, workflowId: string): Promise<WorkflowCounts> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': workflowsKeys.workflowPartition(tenantId, workflowId),
          ':prefix': workflowsKeys.counterPrefix,
        },
        ConsistentRead: true,
      }),
    );
    const counts: WorkflowCounts = { steps: {}, totals: { enrolled: 0, completed: 0, exited: 0 } };
    for (const item of out.Items ?? []) {
      for (const [attribute, value] of Object.entries(item)) {
        if (typeof value !== 'number') continue;
        const parts = attribute.split('#');
        if (parts[0] === 't' && (TOTALS as readonly string[]).includes(parts[1] ?? '')) {
          counts.totals[parts[1] as (typeof TOTALS)[number]] += value;
        } else if (parts[0] === 's' && parts.length === 3) {
          const [, stepId, counter] = parts as [string, string, StepCounter];
          if (!(STEP_COUNTERS as readonly string[]).includes(counter)) continue;
          const step = counts.steps[stepId] ?? { entered: 0, completed: 0, sent: 0, skipped: 0, replied: 0 };
          step[counter] += value;
          counts.steps[stepId] = step;
        }
      }
    }
    return counts;
  }

  async addBucketWakes(tenantId: string, minute: string, messages: TimerMessage[]): Promise<void> {
    await batchWriteAll(
      this.client,
      this.tableName,
      messages.map((message) => ({
        PutRequest: {
          Item: {
            ...workflowsKeys.bucketEntry(tenantId, minute, message.dueAt, timerTarget(message)),
            entity: workflowEntityTypes.bucketWake,
            message,
          },
        },
      })),
    );
  }

  async listBucketWakes(tenantId: string, minute: string, cursor?: string): Promise<Page<TimerMessage>> {
    const pk = workflowsKeys.bucket(tenantId, minute);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        Limit: 500,
        ExclusiveStartKey: decodeCursor(cursor, workflowsKeys.tenantPrefix(tenantId)),
      }),
    );
    const items = (out.Items ?? []).flatMap((item) => {
      const parsed = workflowMessageSchema.safeParse(item.message);
      return parsed.success && (parsed.data.kind === 'enrollmentWake' || parsed.data.kind === 'plannedTrigger')
        ? [parsed.data]
        : [];
    });
    return { items, nextCursor: encodeCursor(out.LastEvaluatedKey) };
  }

  async deleteBucketWakes(tenantId: string, minute: string, messages: TimerMessage[]): Promise<void> {
    await batchWriteAll(
      this.client,
      this.tableName,
      messages.map((message) => ({
        DeleteRequest: { Key: workflowsKeys.bucketEntry(tenantId, minute, message.dueAt, timerTarget(message)) },
      })),
    );
  }

  async putDatePlan(tenantId: string, workflowId: string, contactId: string, dueAt: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...workflowsKeys.datePlan(tenantId, workflowId, contactId),
          entity: workflowEntityTypes.datePlan,
          contactId,
          dueAt,
        },
      }),
    );
  }

  async getDatePlan(tenantId: string, workflowId: string, contactId: string): Promise<string | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: workflowsKeys.datePlan(tenantId, workflowId, contactId),
        ConsistentRead: true,
      }),
    );
    return out.Item?.dueAt as string | undefined;
  }

  async deleteDatePlan(tenantId: string, workflowId: string, contactId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: workflowsKeys.datePlan(tenantId, workflowId, contactId) }),
    );
  }
}
