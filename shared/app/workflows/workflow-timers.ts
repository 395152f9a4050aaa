import { MAX_QUEUE_DELAY_SECONDS, planWake, sweepScheduleName } from '../../domain/workflows/wake-plan';
import type { TimerMessage } from '../../domain/workflows/workflow-messages';
import type { WorkflowDeps } from './workflow-deps';

/** When a timer message is due: its `notBefore` (a send-window deferral) or else its due time. */
function fireAt(message: TimerMessage): number {
  const due = Date.parse(message.dueAt);
  return message.kind === 'enrollmentWake' && message.notBefore ? Math.max(due, Date.parse(message.notBefore)) : due;
}

/**
 * Arms timers without one schedule per waiting contact: a timer due within 15 minutes is a delayed message on the
 * `workflows` queue; a later one goes into its minute bucket, and the bucket's one schedule (named after the minute,
 * so arming it again only replaces it) sweeps the bucket onto the queue when the minute comes.
 */
export async function armTimers(
  tenantId: string,
  messages: readonly TimerMessage[],
  deps: Pick<WorkflowDeps, 'queue' | 'scheduler' | 'workflows' | 'clock'>,
): Promise<void> {
  const now = deps.clock.now().getTime();
  const delayed: { body: TimerMessage; delaySeconds: number }[] = [];
  const buckets = new Map<string, TimerMessage[]>();
  for (const message of messages) {
    const plan = planWake(fireAt(message), now);
    if (plan.kind === 'delay') delayed.push({ body: message, delaySeconds: plan.delaySeconds });
    else buckets.set(plan.minute, [...(buckets.get(plan.minute) ?? []), message]);
  }
  if (delayed.length > 0) await deps.queue.sendMessages('workflows', delayed);
  for (const [minute, bucket] of buckets) {
    await deps.workflows.addBucketWakes(tenantId, minute, bucket);
    await deps.scheduler.createSchedule({
      name: sweepScheduleName(tenantId, minute),
      at: `${minute}:00`,
      timeZone: 'UTC',
      target: 'workflows',
      payload: { kind: 'wakeSweep', tenantId, minute },
    });
  }
}

/**
 * Moves a minute bucket's timers onto the queue as short delays (each at most a minute or so away by now), then
 * removes them from the bucket. Safe to repeat: a timer queued twice is a duplicate wake, which does nothing.
 */
export async function sweepBucket(
  tenantId: string,
  minute: string,
  deps: Pick<WorkflowDeps, 'queue' | 'scheduler' | 'workflows' | 'clock'>,
): Promise<number> {
  let swept = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.workflows.listBucketWakes(tenantId, minute, cursor);
    const now = deps.clock.now().getTime();
    await deps.queue.sendMessages(
      'workflows',
      page.items.map((body) => ({
        body,
        delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil((fireAt(body) - now) / 1000))),
      })),
    );
    await deps.workflows.deleteBucketWakes(tenantId, minute, page.items);
    swept += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return swept;
}
