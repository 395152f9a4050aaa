import { hash } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';

/** The region and account the local stack pretends to run in. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Who sent the message, as SQS reports an IAM principal; constant locally. */
const LOCAL_SENDER_ID = 'AIDALOCALSMSENGINE000';

/** One message held by the local queue, between the send and its deletion or dead-lettering. */
export interface HeldMessage {
  readonly messageId: string;
  /** The SQS body: the JSON text of what was sent. */
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentAt: number;
  /** Tie-breaker that keeps messages due at the same instant in send order. */
  readonly sequence: number;
  firstReceivedAt: number | undefined;
  receiveCount: number;
  /** When the message becomes visible (after its delay or its visibility timeout). */
  visibleAt: number;
  /** Why its last receive failed, kept for the dead-letter list. */
  lastFailure: string | undefined;
}

/** The ARN a local queue reports in `eventSourceARN`. */
export function localQueueArn(queueName: string): string {
  return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:local-${queueName}`;
}

/** The MD5 SQS computes over the body, which consumers may check. */
export function md5Hex(text: string): string {
  return hash('md5', text, 'hex');
}

/** The record Lambda's SQS event source would hand the consumer for this receive of `message`. */
export function toSqsRecord(message: HeldMessage, queueArn: string): SQSRecord {
  return {
    messageId: message.messageId,
    // Opaque to consumers, and different for every receive, as SQS's are.
    receiptHandle: `local-${message.messageId}-${message.receiveCount}`,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: LOCAL_SENDER_ID,
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    },
    messageAttributes: {},
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}
