import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resourceName } from '../config';
import { MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_FACTOR } from '../messaging';

export interface WorkQueueProps {
  stage: string;
  /** Short name: the queue is `${stage}-sms-${name}`, its DLQ `${stage}-sms-${name}-dlq`. */
  name: string;
  /** Timeout of the consuming function; the visibility timeout is six times it. */
  consumerTimeout: Duration;
}

/**
 * An SQS queue as every queue of the app needs it: encrypted (SQS-managed keys, so SNS,
 * EventBridge Scheduler and Lambda need no KMS grants), TLS only, a visibility timeout six
 * times its consumer's timeout, and a dead-letter queue after five receives that keeps
 * messages for the 14-day maximum and raises an alarm as soon as anything lands in it, so a
 * poisoned message is seen instead of silently dropped.
 */
export class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const deadLetters = new DeadLetterQueue(this, 'DeadLetterQueue', { stage: props.stage, name: `${props.name}-dlq` });
    this.deadLetterQueue = deadLetters.queue;
    this.alarm = deadLetters.alarm;
    this.queue = new Queue(this, 'Queue', {
      queueName: resourceName(props.stage, props.name),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  }
}

export interface DeadLetterQueueProps {
  stage: string;
  /** Short name, ending in `-dlq`. */
  name: string;
  /**
   * Why nothing redrives to this queue, when a service (not another queue) dead-letters into
   * it; cdk-nag's SQS3 then needs an acknowledgement with that reason.
   */
  serviceDeadLetterReason?: string;
}

/**
 * A dead-letter queue with its alarm: encrypted, TLS only, 14 days of retention, and a
 * CloudWatch alarm on `ApproximateNumberOfMessagesVisible > 0`. SQS keeps publishing that
 * metric while the queue holds messages, so a missing datapoint means an empty, idle queue.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    const queueName = resourceName(props.stage, props.name);
    this.queue = new Queue(this, 'Queue', {
      queueName,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    if (props.serviceDeadLetterReason) {
      Validations.of(this.queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: props.serviceDeadLetterReason });
    }
    this.alarm = new Alarm(this, 'NotEmpty', {
      alarmName: `${queueName}-not-empty`,
      alarmDescription: `Messages in ${queueName}: they failed ${MAX_RECEIVE_COUNT} times (or could not be delivered); inspect, fix, then redrive.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
