/**
 * A message queue with SQS semantics (at-least-once, visibility timeout, dead-letter queue after
 * N receives). On AWS it is SQS; locally an in-process queue calls the same handler with
 * SQS-shaped events.
 */
export interface QueueMessage {
  /** JSON-serialisable payload (the SQS message body). */
  body: unknown;
  /** Seconds before the message becomes visible (SQS allows 0-900). */
  delaySeconds?: number;
}

export interface Queue {
  /** Sends messages in batches of 10 (SendMessageBatch); resolves once every message is accepted. */
  sendMessages(queueName: QueueName, messages: QueueMessage[]): Promise<void>;
}

/** The application's queues. */
export type QueueName = 'send' | 'launch' | 'receipts' | 'inbound' | 'events' | 'workflows';
