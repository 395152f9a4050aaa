import type { Clock } from '../ports/clock.port';
import type { Queue } from '../ports/queue.port';
import type { Scheduler } from '../ports/scheduler.port';
import type { SmsGateway } from '../ports/sms-gateway.port';

/** The adapters the one-machine runtime puts in place of SQS, EventBridge Scheduler, the carrier and the system clock. */
export interface LocalAdapters {
  queue: Queue;
  scheduler: Scheduler;
  gateway: SmsGateway;
  /** The stack's clock, which can start at any instant and move forward on request. */
  clock: Clock;
}

let installed: LocalAdapters | undefined;

/**
 * Called by the local runtime before it imports the handler modules, so the very same handlers
 * run against local adapters; on Lambda nothing installs them and the AWS adapters are built.
 */
export function installLocalAdapters(adapters: LocalAdapters | undefined): void {
  installed = adapters;
}

export function localAdapters(): LocalAdapters | undefined {
  return installed;
}
