import type { Enrollment } from '../../domain/workflows/enrollment';
import type { StepCountDeltas } from '../../domain/workflows/step-counts';
import type { Workflow } from '../../domain/workflows/workflow.schema';
import { pooledUlid } from '../../lib/pooled-ulid';
import type { StoredContact } from '../../ports/contact-store.port';
import type { StoredSettings } from '../../ports/settings-store.port';
import type {
  EnrollmentTotals,
  StoredEnrollment,
  StoredWorkflow,
  WorkflowStore,
} from '../../ports/workflow-store.port';
import type { WorkflowDeps } from './workflow-deps';

interface Waiter<V> {
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
}

interface Pending<T, R> {
  items: { item: T; waiter: Waiter<R> }[];
  inFlight: number;
  scheduled: boolean;
}

/**
 * Gathers single requests into batch requests, per group (a tenant): a request joins the next batch of its group,
 * which is sent after it was made (on the next turn of the event loop while fewer than `maxInFlight` batches of the
 * group are running, else as soon as one of them ends). At low load a request goes out alone; under load the ones that
 * queue up meanwhile go out together, one request instead of dozens. Nothing is answered from an earlier request: a
 * consistent batch read is exactly as fresh as the consistent single read it replaces.
 */
export class Batcher<T, R> {
  private readonly groups = new Map<string, Pending<T, R>>();

  constructor(
    private readonly runBatch: (group: string, items: T[]) => Promise<R[]>,
    private readonly options: { maxInFlight: number; maxBatch: number } = { maxInFlight: 2, maxBatch: 100 },
  ) {}

  submit(group: string, item: T): Promise<R> {
    let state = this.groups.get(group);
    if (!state) {
      state = { items: [], inFlight: 0, scheduled: false };
      this.groups.set(group, state);
    }
    const target = state;
    return new Promise<R>((resolve, reject) => {
      target.items.push({ item, waiter: { resolve, reject } });
      this.schedule(group, target);
    });
  }

  private schedule(group: string, state: Pending<T, R>): void {
    if (state.scheduled || state.items.length === 0 || state.inFlight >= this.options.maxInFlight) return;
    state.scheduled = true;
    setImmediate(() => {
      state.scheduled = false;
      this.flush(group, state);
    });
  }

  private flush(group: string, state: Pending<T, R>): void {
    while (state.items.length > 0 && state.inFlight < this.options.maxInFlight) {
      const batch = state.items.splice(0, this.options.maxBatch);
      state.inFlight++;
      this.runBatch(
        group,
        batch.map((entry) => entry.item),
      )
        .then(
          (results) => {
            batch.forEach((entry, i) => {
              entry.waiter.resolve(results[i] as R);
            });
          },
          (error: unknown) => {
            for (const entry of batch) entry.waiter.reject(error);
          },
        )
        .finally(() => {
          state.inFlight--;
          if (state.items.length === 0 && state.inFlight === 0 && !state.scheduled) this.groups.delete(group);
          else this.schedule(group, state);
        });
    }
  }
}

/** Single consistent reads by id, gathered into batch reads; a repeated id gets its own copy of the item. */
function batchedReads<V>(readMany: (group: string, ids: string[]) => Promise<Map<string, V>>) {
  const batcher = new Batcher<string, V | undefined>(async (group, ids) => {
    const found = await readMany(group, [...new Set(ids)]);
    const seen = new Set<string>();
    return ids.map((id) => {
      const value = found.get(id);
      if (value === undefined || !seen.has(id)) {
        seen.add(id);
        return value;
      }
      // Each caller gets its own object: callers may keep and change what they read.
      return structuredClone(value);
    });
  });
  return (group: string, id: string) => batcher.submit(group, id);
}

interface CountGroup {
  tenantId: string;
  workflowId: string;
  steps: StepCountDeltas;
  totals: EnrollmentTotals;
  waiters: Waiter<void>[];
}

/**
 * Adds counter deltas together while a write of the same workflow's counters is running, so that a busy workflow
 * writes its counters once per batch of advances instead of once per advance. `add` resolves once its deltas are
 * written (counters are not transactional with the enrollment writes, as before: they are statistics).
 */
export class BatchedCounts {
  private readonly pending = new Map<string, CountGroup>();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly write: (
      tenantId: string,
      workflowId: string,
      steps: StepCountDeltas,
      totals: EnrollmentTotals,
    ) => Promise<void>,
  ) {}

  add(tenantId: string, workflowId: string, steps: StepCountDeltas, totals: EnrollmentTotals = {}): Promise<void> {
    const key = `${tenantId}\u0000${workflowId}`;
    let group = this.pending.get(key);
    if (!group) {
      group = { tenantId, workflowId, steps: {}, totals: {}, waiters: [] };
      this.pending.set(key, group);
    }
    for (const [stepId, counters] of Object.entries(steps)) {
      const into = group.steps[stepId] ?? {};
      for (const [counter, value] of Object.entries(counters) as [keyof typeof counters, number | undefined][]) {
        if (value) into[counter] = (into[counter] ?? 0) + value;
      }
      group.steps[stepId] = into;
    }
    for (const [total, value] of Object.entries(totals) as [keyof EnrollmentTotals, number | undefined][]) {
      if (value) group.totals[total] = (group.totals[total] ?? 0) + value;
    }
    const target = group;
    const done = new Promise<void>((resolve, reject) => target.waiters.push({ resolve: () => resolve(), reject }));
    if (!this.inFlight.has(key)) setImmediate(() => this.flush(key));
    return done;
  }

  private flush(key: string): void {
    const group = this.pending.get(key);
    if (!group || this.inFlight.has(key)) return;
    this.pending.delete(key);
    this.inFlight.add(key);
    this.write(group.tenantId, group.workflowId, group.steps, group.totals)
      .then(
        () => {
          for (const waiter of group.waiters) waiter.resolve(undefined);
        },
        (error: unknown) => {
          for (const waiter of group.waiters) waiter.reject(error);
        },
      )
      .finally(() => {
        this.inFlight.delete(key);
        if (this.pending.has(key)) this.flush(key);
      });
  }
}

/** How long the engine reuses a tenant's settings and workflow heads: about as long as one advance takes under load. */
export const ENGINE_CACHE_TTL_MS = 200;

interface Cached<V> {
  value: Promise<V>;
  until: number;
}

/**
 * A short-lived cache of reads that many advances of one tenant need at once (settings, workflow heads, the list of
 * workflows). An entry lives `ENGINE_CACHE_TTL_MS`, so a change (a pause, new quiet hours) reaches the engine that
 * much later at most: the same order as a run that read the old value just before the change and acts on it after.
 * The workflow use cases of this process drop the entries of a workflow they change at once.
 */
class ShortCache<V> {
  private readonly entries = new Map<string, Cached<V>>();

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = performance.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    if (this.entries.size > 10_000) this.entries.clear();
    const value = load();
    const entry = { value, until: now + ENGINE_CACHE_TTL_MS };
    this.entries.set(key, entry);
    // A failed read is not kept.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

const settingsCache = new ShortCache<StoredSettings>();
const headCache = new ShortCache<StoredWorkflow | undefined>();
const listCache = new ShortCache<Workflow[]>();

/** Drops what the engine caches of a tenant's workflows (called by the use cases that change a workflow). */
export function forgetCachedWorkflows(tenantId: string): void {
  headCache.forget(`${tenantId}\u0000`);
  listCache.forget(`${tenantId}\u0000`);
}

/** Drops everything the engine caches (tests). */
export function forgetEngineCaches(): void {
  settingsCache.forget('');
  headCache.forget('');
  listCache.forget('');
}

/** A copy of `target` whose listed methods are replaced; every other member is the target's own, bound to it. */
function overriding<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof T];
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

/**
 * The engine's deps for a consumer that handles many records at once: consistent single reads of contacts and
 * enrollments are gathered into batch reads (still consistent, still sent after they are asked for), new enrollments
 * into batch writes, counter deltas are added together per workflow, and settings and workflow heads are reused for
 * `ENGINE_CACHE_TTL_MS`. Conditional writes (locks, advances, the send log) stay single writes. Ids are ULIDs drawn
 * from a pooled random buffer.
 */
export function withBatchedIo(deps: WorkflowDeps): WorkflowDeps {
  const readContact = batchedReads<StoredContact>((tenantId, ids) => deps.contacts.getContacts(tenantId, ids));
  const readEnrollment = batchedReads<StoredEnrollment>(async (tenantId, keys) => {
    const refs = keys.map((key) => {
      const [workflowId, id] = key.split('\u0000') as [string, string];
      return { workflowId, id };
    });
    const found = await deps.workflows.getEnrollments(tenantId, refs);
    return new Map([...found].map(([id, stored]) => [`${stored.enrollment.workflowId}\u0000${id}`, stored]));
  });
  // New enrollments have new ids: no write can find one there already, so they go out as batch writes.
  const enrollmentWrites = new Batcher<{ id: string; enrollment: Enrollment }, StoredEnrollment>(
    async (tenantId, entries) => deps.workflows.createEnrollments(tenantId, entries),
    { maxInFlight: 2, maxBatch: 25 },
  );
  const counts = new BatchedCounts((tenantId, workflowId, steps, totals) =>
    deps.workflows.addCounts(tenantId, workflowId, steps, totals),
  );
  const workflows = overriding<WorkflowStore>(deps.workflows, {
    getEnrollment: (tenantId, workflowId, id) => readEnrollment(tenantId, `${workflowId}\u0000${id}`),
    createEnrollment: (tenantId, id, enrollment) => enrollmentWrites.submit(tenantId, { id, enrollment }),
    addCounts: (tenantId, workflowId, steps, totals) => counts.add(tenantId, workflowId, steps, totals),
    getWorkflow: (tenantId, id) =>
      headCache.get(`${tenantId}\u0000${id}`, () => deps.workflows.getWorkflow(tenantId, id)),
    listAllWorkflows: (tenantId) => listCache.get(`${tenantId}\u0000`, () => deps.workflows.listAllWorkflows(tenantId)),
  });
  return {
    ...deps,
    contacts: overriding(deps.contacts, { getContact: readContact }),
    settings: overriding(deps.settings, {
      getSettings: (tenantId) => settingsCache.get(tenantId, () => deps.settings.getSettings(tenantId)),
    }),
    workflows,
    ids: { next: pooledUlid },
  };
}
