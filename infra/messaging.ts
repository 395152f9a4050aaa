import { Duration } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/**
 * The application's queues, as `shared/ports/queue.port.ts` names them (infra may not import
 * shared code; `test/infra/messaging.stack.test.ts` checks that the two lists agree).
 */
export type QueueName = 'send' | 'launch' | 'receipts' | 'inbound' | 'events' | 'workflows';
export const queueNames: readonly QueueName[] = ['send', 'launch', 'receipts', 'inbound', 'events', 'workflows'];

/** One value per queue, e.g. `forEachQueue((name) => new WorkQueue(...))`. */
export function forEachQueue<T>(make: (name: QueueName) => T): Record<QueueName, T> {
  return Object.fromEntries(queueNames.map((name) => [name, make(name)])) as Record<QueueName, T>;
}

/**
 * Timeout of the function that consumes each queue. The queue's visibility timeout derives
 * from it, so the two cannot drift apart: a message must stay hidden while a worker still
 * holds it, or a second worker gets it too.
 * - launch: the launcher resolves the audience page by page and hands over to a fresh
 *   invocation a minute before its time runs out, so 5 minutes is 4 minutes of pages.
 * - send: a send-queue message carries up to 50 recipients, paced to the tenant's
 *   messages-per-second budget; a batch of 10 such messages needs minutes, not seconds.
 * - receipts and inbound: small DynamoDB updates per record.
 * - events: contact events (inbound messages, tags added, forms submitted), consumed by the
 *   workflow event handler, which enrolls contacts and runs their first steps at once: SMS sends
 *   paced to the tenant's rate, with up to 6 s of throttling pauses each, for up to 10 records
 *   handled one after the other.
 * - workflows: the workflow runner's wake-ups, date triggers and minute-bucket sweeps; a wake-up
 *   runs an enrollment's next steps (sends included, as above), a sweep re-queues a minute's
 *   wake-ups page by page. A minute is also the age after which an enrollment lock without its
 *   enrollment counts as abandoned, so no live invocation outlasts the lock it holds.
 */
export const consumerTimeouts: Record<QueueName, Duration> = {
  launch: Duration.minutes(5),
  send: Duration.minutes(2),
  receipts: Duration.seconds(30),
  inbound: Duration.seconds(30),
  events: Duration.seconds(60),
  workflows: Duration.seconds(60),
};

/** AWS's advice for Lambda event sources: visibility timeout at least six times the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** Receives before a message goes to its queue's DLQ (throttled sends and redeliveries get that many chances). */
export const MAX_RECEIVE_COUNT = 5;

/** The env var through which a queue's URL reaches a function allowed to send to it. */
export const queueEnvVars: Record<QueueName, string> = {
  send: 'SEND_QUEUE_URL',
  launch: 'LAUNCH_QUEUE_URL',
  receipts: 'RECEIPTS_QUEUE_URL',
  inbound: 'INBOUND_QUEUE_URL',
  events: 'EVENTS_QUEUE_URL',
  workflows: 'WORKFLOWS_QUEUE_URL',
};

/** Env vars of a function that creates and deletes one-time schedules (`EventBridgeScheduler`). */
export const schedulerEnvVars = {
  groupName: 'SCHEDULE_GROUP_NAME',
  roleArn: 'SCHEDULER_ROLE_ARN',
  launcherTargetArn: 'LAUNCH_QUEUE_ARN',
  workflowsTargetArn: 'WORKFLOWS_QUEUE_ARN',
  deadLetterArn: 'SCHEDULER_DLQ_ARN',
} as const;

/** Env var of a function that sends SMS: the configuration set whose events feed the receipts. */
export const SMS_CONFIGURATION_SET_ENV_VAR = 'SMS_CONFIGURATION_SET_NAME';

/** What a function needs to create and delete the app's one-time schedules. */
export interface SchedulingResources {
  /** Plain name (not a token), so IAM grants and cdk-nag findings name the group. */
  groupName: string;
  /** Role EventBridge Scheduler assumes to deliver; the scheduling function passes it. */
  role: IRole;
  /** Where campaign launches are delivered. */
  launchQueue: IQueue;
  /** Where workflow timers (minute-bucket sweeps, far date triggers) are delivered: the runner's queue. */
  workflowsQueue: IQueue;
  /** Where EventBridge Scheduler puts a launch it could not deliver. */
  deadLetterQueue: IQueue;
}

/** The SMS configuration set a sending function names in every SendTextMessage. */
export interface SmsConfigurationSet {
  /** Plain name (not a token), so the grant's ARN is readable in the template and in findings. */
  name: string;
}

/** The messaging resources of the stateful stack that functions are wired to. */
export interface MessagingResources {
  queues: Record<QueueName, IQueue>;
  scheduling: SchedulingResources;
  configurationSet: SmsConfigurationSet;
}

/**
 * Where every messaging resource is, as env vars: what `shared/config/aws-messaging.factory.ts`
 * reads (all of it, the workflow runner's queue URL and ARN included) at cold start. Addresses are not permissions: what a function may do with
 * them comes only from the grants of `AppFunction.bindQueue`, `bindScheduler` and
 * `bindSmsSending`.
 */
export function messagingEnvironment(messaging: MessagingResources): Record<string, string> {
  const { queues, scheduling, configurationSet } = messaging;
  return {
    ...Object.fromEntries(queueNames.map((name) => [queueEnvVars[name], queues[name].queueUrl])),
    [schedulerEnvVars.groupName]: scheduling.groupName,
    [schedulerEnvVars.roleArn]: scheduling.role.roleArn,
    [schedulerEnvVars.launcherTargetArn]: scheduling.launchQueue.queueArn,
    [schedulerEnvVars.workflowsTargetArn]: scheduling.workflowsQueue.queueArn,
    [schedulerEnvVars.deadLetterArn]: scheduling.deadLetterQueue.queueArn,
    [SMS_CONFIGURATION_SET_ENV_VAR]: configurationSet.name,
  };
}
