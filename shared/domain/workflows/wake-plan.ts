/** SQS's longest message delay: wake-ups this close go straight on the queue. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

const MINUTE_MS = 60_000;

/**
 * How a wake-up due at `dueAtMs` is armed. Within 15 minutes: a delayed queue message (rounded up to whole seconds,
 * so it is never early). Further out: an entry in the minute bucket of its due time, swept by one schedule per
 * bucket; so the number of schedules grows with the minutes that hold wake-ups, never with the waiting contacts
 * (EventBridge Scheduler allows about 1,000 invocations per second and 10 million schedules per account).
 */
export type WakePlan = { kind: 'delay'; delaySeconds: number } | { kind: 'bucket'; minute: string };

export function planWake(dueAtMs: number, nowMs: number): WakePlan {
  const delayMs = dueAtMs - nowMs;
  if (delayMs <= MAX_QUEUE_DELAY_SECONDS * 1000) {
    return { kind: 'delay', delaySeconds: Math.max(0, Math.ceil(delayMs / 1000)) };
  }
  return { kind: 'bucket', minute: bucketMinute(dueAtMs) };
}

/** The UTC minute a due time falls in, `YYYY-MM-DDTHH:mm` (a bucket's id and its schedule's time). */
export function bucketMinute(atMs: number): string {
  return new Date(Math.floor(atMs / MINUTE_MS) * MINUTE_MS).toISOString().slice(0, 16);
}

/** The schedule that sweeps a tenant's bucket: one per tenant and minute, so creating it twice is harmless. */
export function sweepScheduleName(tenantId: string, minute: string): string {
  return `wf-sweep-${tenantId}-${minute.replace(/[-:T]/g, '')}`;
}
