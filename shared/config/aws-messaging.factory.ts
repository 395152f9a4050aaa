import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { EndUserMessagingSmsGateway } from '../adapters/aws/end-user-messaging-sms-gateway';
import { EventBridgeScheduler } from '../adapters/aws/eventbridge-scheduler';
import { SqsQueue } from '../adapters/aws/sqs-queue';
import type { Queue } from '../ports/queue.port';
import type { Scheduler } from '../ports/scheduler.port';
import type { SmsGateway } from '../ports/sms-gateway.port';

const awsMessagingEnv = z.object({
  SEND_QUEUE_URL: z.string().min(1),
  LAUNCH_QUEUE_URL: z.string().min(1),
  RECEIPTS_QUEUE_URL: z.string().min(1),
  INBOUND_QUEUE_URL: z.string().min(1),
  EVENTS_QUEUE_URL: z.string().min(1),
  /** Only the functions that arm workflow timers get the runner's queue. */
  WORKFLOWS_QUEUE_URL: z.string().min(1).optional(),
  WORKFLOWS_QUEUE_ARN: z.string().min(1).optional(),
  SCHEDULE_GROUP_NAME: z.string().min(1),
  LAUNCH_QUEUE_ARN: z.string().min(1),
  SCHEDULER_ROLE_ARN: z.string().min(1),
  SCHEDULER_DLQ_ARN: z.string().min(1),
  SMS_CONFIGURATION_SET_NAME: z.string().min(1).optional(),
});

export interface AwsMessaging {
  queue: Queue;
  scheduler: Scheduler;
  gateway: SmsGateway;
  configurationSetName: string | undefined;
}

/** A value that makes a send to a queue this function was not given fail with the variable's name in the error. */
const unset = (name: string) => `unset:${name}`;

/** SQS, EventBridge Scheduler and End User Messaging SMS from the function's environment (fails fast at cold start). */
export function createAwsMessaging(env: NodeJS.ProcessEnv): AwsMessaging {
  const config = awsMessagingEnv.parse(env);
  const target = (arn: string) => ({
    arn,
    roleArn: config.SCHEDULER_ROLE_ARN,
    deadLetterArn: config.SCHEDULER_DLQ_ARN,
  });
  return {
    queue: new SqsQueue({
      client: new SQSClient({}),
      queueUrls: {
        send: config.SEND_QUEUE_URL,
        launch: config.LAUNCH_QUEUE_URL,
        receipts: config.RECEIPTS_QUEUE_URL,
        inbound: config.INBOUND_QUEUE_URL,
        events: config.EVENTS_QUEUE_URL,
        workflows: config.WORKFLOWS_QUEUE_URL ?? unset('WORKFLOWS_QUEUE_URL'),
      },
    }),
    scheduler: new EventBridgeScheduler({
      client: new SchedulerClient({}),
      groupName: config.SCHEDULE_GROUP_NAME,
      targets: {
        launcher: target(config.LAUNCH_QUEUE_ARN),
        workflows: target(config.WORKFLOWS_QUEUE_ARN ?? unset('WORKFLOWS_QUEUE_ARN')),
      },
    }),
    gateway: new EndUserMessagingSmsGateway({
      ...(config.SMS_CONFIGURATION_SET_NAME ? { defaultConfigurationSetName: config.SMS_CONFIGURATION_SET_NAME } : {}),
    }),
    configurationSetName: config.SMS_CONFIGURATION_SET_NAME,
  };
}

/**
 * The queue the contact use cases announce events on: the local one when the local runtime installed it, else SQS
 * when the function was given EVENTS_QUEUE_URL; undefined for functions that announce nothing.
 */
export function createEventsQueue(env: NodeJS.ProcessEnv, local: Queue | undefined): Queue | undefined {
  return createSingleQueue('events', env.EVENTS_QUEUE_URL, local);
}

/** The inbound queue alone (the operator's re-route of an unrouted text): the local one, else SQS from INBOUND_QUEUE_URL. */
export function createInboundQueue(env: NodeJS.ProcessEnv, local: Queue | undefined): Queue | undefined {
  return createSingleQueue('inbound', env.INBOUND_QUEUE_URL, local);
}

function createSingleQueue(name: 'events' | 'inbound', url: string | undefined, local: Queue | undefined) {
  if (local) return local;
  if (!url) return undefined;
  return new SqsQueue({
    client: new SQSClient({}),
    queueUrls: {
      send: unset('SEND_QUEUE_URL'),
      launch: unset('LAUNCH_QUEUE_URL'),
      receipts: unset('RECEIPTS_QUEUE_URL'),
      inbound: name === 'inbound' ? url : unset('INBOUND_QUEUE_URL'),
      events: name === 'events' ? url : unset('EVENTS_QUEUE_URL'),
      workflows: unset('WORKFLOWS_QUEUE_URL'),
    },
  });
}
