import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  type SchedulerClient,
  UpdateScheduleCommand,
  type UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { OneTimeSchedule, Scheduler, ScheduleTarget } from '../../ports/scheduler.port';
import { toScheduleName } from './schedule-name';

/** Where schedules of one target deliver, and who they deliver as. */
export interface ScheduleTargetConfig {
  /** ARN of the target: an SQS queue (it buffers the launches when the consumer is slow or down). */
  arn: string;
  /** Role EventBridge Scheduler assumes to deliver (sqs:SendMessage on the target and the DLQ). */
  roleArn: string;
  /** SQS queue that receives the dead-letter event when delivery keeps failing. */
  deadLetterArn: string;
}

/** How long EventBridge Scheduler keeps trying to deliver before it dead-letters. */
export interface ScheduleRetryPolicy {
  maximumRetryAttempts: number;
  maximumEventAgeInSeconds: number;
}

/**
 * EventBridge Scheduler's own maximums (and defaults): a launch that was due while the target
 * was unreachable is still delivered for a day; the payload carries what was intended, so the
 * consumer decides whether a late launch still makes sense.
 */
export const defaultScheduleRetryPolicy: ScheduleRetryPolicy = {
  maximumRetryAttempts: 185,
  maximumEventAgeInSeconds: 86_400,
};

export interface EventBridgeSchedulerOptions {
  client: SchedulerClient;
  /** The application's schedule group (IAM grants are scoped to it). */
  groupName: string;
  targets: Record<ScheduleTarget, ScheduleTargetConfig>;
  retryPolicy?: ScheduleRetryPolicy;
}

/** `YYYY-MM-DDTHH:mm:ss`, the only form an `at(...)` expression takes. */
const localDateTime = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

/** A schedule the adapter refuses before calling AWS (it would only fail there, later and vaguer). */
export class InvalidScheduleError extends Error {
  override readonly name = 'InvalidScheduleError';
}

/** Replace races (fired and deleted between create and update) are retried this many times. */
const MAX_CREATE_ROUNDS = 3;

const isNamed = (error: unknown, name: string): boolean => error instanceof Error && error.name === name;

/**
 * The {@link Scheduler} port on EventBridge Scheduler: one-time `at(...)` schedules read in the
 * schedule's own time zone (so a 10:00 campaign stays at 10:00 across a DST change), fired
 * exactly at that minute (no flexible window), deleted by the service once they have fired,
 * with a retry policy and a dead-letter queue so a failed delivery is never silent.
 *
 * Creating is idempotent and replacing: the port promises that creating a name twice replaces
 * the first, and EventBridge answers a taken name with `ConflictException`, so the adapter then
 * updates the schedule with the same input. Deleting a schedule that is gone (fired, or never
 * made) is not an error.
 */
export class EventBridgeScheduler implements Scheduler {
  private readonly client: SchedulerClient;
  private readonly groupName: string;
  private readonly targets: Record<ScheduleTarget, ScheduleTargetConfig>;
  private readonly retryPolicy: ScheduleRetryPolicy;

  constructor(options: EventBridgeSchedulerOptions) {
    this.client = options.client;
    this.groupName = options.groupName;
    this.targets = options.targets;
    this.retryPolicy = options.retryPolicy ?? defaultScheduleRetryPolicy;
  }

  async createSchedule(schedule: OneTimeSchedule): Promise<void> {
    const input = this.scheduleInput(schedule);
    for (let round = 1; round <= MAX_CREATE_ROUNDS; round++) {
      try {
        await this.client.send(new CreateScheduleCommand(input));
        return;
      } catch (error) {
        if (!isNamed(error, 'ConflictException')) throw error;
      }
      try {
        await this.client.send(new UpdateScheduleCommand(input));
        return;
      } catch (error) {
        // It fired (and was deleted) between the create and the update: create it again.
        if (!isNamed(error, 'ResourceNotFoundException')) throw error;
      }
    }
    throw new Error(
      `Schedule ${input.Name} kept appearing and disappearing; gave up after ${MAX_CREATE_ROUNDS} rounds`,
    );
  }

  async deleteSchedule(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: toScheduleName(name), GroupName: this.groupName }));
    } catch (error) {
      if (!isNamed(error, 'ResourceNotFoundException')) throw error;
    }
  }

  /** The CreateSchedule input, which is also a complete UpdateSchedule input (an update replaces every field). */
  private scheduleInput(schedule: OneTimeSchedule): CreateScheduleCommandInput & UpdateScheduleCommandInput {
    if (!localDateTime.test(schedule.at)) {
      throw new InvalidScheduleError(`Schedule ${schedule.name}: at must be YYYY-MM-DDTHH:mm:ss, got ${schedule.at}`);
    }
    if (schedule.timeZone.trim() === '') {
      throw new InvalidScheduleError(`Schedule ${schedule.name}: a time zone is required`);
    }
    const target = this.targets[schedule.target];
    if (!target) throw new InvalidScheduleError(`Schedule ${schedule.name}: unknown target ${schedule.target}`);
    return {
      Name: toScheduleName(schedule.name),
      GroupName: this.groupName,
      ScheduleExpression: `at(${schedule.at})`,
      ScheduleExpressionTimezone: schedule.timeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: target.arn,
        RoleArn: target.roleArn,
        Input: JSON.stringify(schedule.payload),
        RetryPolicy: {
          MaximumRetryAttempts: this.retryPolicy.maximumRetryAttempts,
          MaximumEventAgeInSeconds: this.retryPolicy.maximumEventAgeInSeconds,
        },
        DeadLetterConfig: { Arn: target.deadLetterArn },
      },
    };
  }
}
