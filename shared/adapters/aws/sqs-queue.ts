import {
  type BatchResultErrorEntry,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Queue, QueueMessage, QueueName } from '../../ports/queue.port';
import { type Backoff, defaultSleep, exponentialBackoff } from './backoff';

/** SQS accepts at most 10 entries per SendMessageBatch. */
export const SQS_BATCH_SIZE = 10;
/** SQS's largest per-message delay: 15 minutes. */
export const SQS_MAX_DELAY_SECONDS = 900;

/** One entry SQS refused, with where it sat in the caller's list so the caller can find it. */
export interface RefusedQueueEntry {
  /** Index of the message in the list given to `sendMessages`. */
  index: number;
  /** The batch entry id (unique within its SendMessageBatch). */
  id: string;
  code: string;
  message: string | undefined;
  senderFault: boolean;
}

/**
 * SQS refused one or more messages for good: a sender fault (payload too large, invalid
 * attribute, ...) that no retry can fix, or a server-side failure that outlasted the retries.
 * Messages of the same call that are not listed may already be on the queue: consumers are
 * idempotent (SQS is at-least-once anyway), so the caller may retry the whole call.
 */
export class QueueSendError extends Error {
  override readonly name = 'QueueSendError';

  constructor(
    readonly queueName: QueueName,
    readonly entries: RefusedQueueEntry[],
    readonly retriesExhausted: boolean,
  ) {
    const described = entries
      .map(
        (entry) =>
          `message ${entry.index} (entry ${entry.id}): ${entry.code}${entry.message ? ` ${entry.message}` : ''}`,
      )
      .join('; ');
    super(
      retriesExhausted
        ? `SQS queue ${queueName} still failed ${entries.length} message(s) after retries: ${described}`
        : `SQS queue ${queueName} refused ${entries.length} message(s) (sender fault): ${described}`,
    );
  }
}

export interface SqsQueueOptions {
  client: SQSClient;
  /** Queue URL of every application queue (from the function's environment on AWS). */
  queueUrls: Record<QueueName, string>;
  /** Attempts per batch for entries that failed on SQS's side (`SenderFault: false`), the first included. @default 5 */
  maxAttempts?: number;
  /** Delay before retry `n` (1-based); jittered exponential by default. */
  backoff?: Backoff;
  /** Injected in tests so retries take no wall-clock time. */
  sleep?: (ms: number) => Promise<void>;
  /** SendMessageBatch requests in flight at once for one `sendMessages` call. @default 4 */
  concurrency?: number;
}

/**
 * The {@link Queue} port on SQS. Sends in batches of 10 (one request instead of ten), with a
 * JSON body and a clamped delay per message. SendMessageBatch can succeed while some entries
 * fail; those are checked entry by entry: SQS-side failures (`SenderFault: false`) are retried
 * alone after a backoff, a bounded number of times, while sender faults throw at once, naming
 * the entry, because resending the same bytes cannot succeed. Errors of the whole request
 * (throttling, network) are left to the SDK's own retry strategy.
 *
 * `requests` counts SendMessageBatch requests (retries included) for the benchmarks.
 */
export class SqsQueue implements Queue {
  /** SendMessageBatch requests made so far, retries included. */
  requests = 0;

  private readonly client: SQSClient;
  private readonly queueUrls: Record<QueueName, string>;
  private readonly maxAttempts: number;
  private readonly backoff: Backoff;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly concurrency: number;

  constructor(options: SqsQueueOptions) {
    this.client = options.client;
    this.queueUrls = options.queueUrls;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.backoff = options.backoff ?? exponentialBackoff({ baseMs: 100, maxMs: 5_000 });
    this.sleep = options.sleep ?? defaultSleep;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  async sendMessages(queueName: QueueName, messages: QueueMessage[]): Promise<void> {
    const queueUrl = this.queueUrls[queueName];
    if (!queueUrl) throw new Error(`No URL configured for queue ${queueName}`);
    const batches: { index: number; entry: SendMessageBatchRequestEntry }[][] = [];
    for (let start = 0; start < messages.length; start += SQS_BATCH_SIZE) {
      batches.push(
        messages.slice(start, start + SQS_BATCH_SIZE).map((message, offset) => ({
          index: start + offset,
          entry: toEntry(message, start + offset),
        })),
      );
    }
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        await this.sendBatch(queueName, queueUrl, batch);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batches.length) }, worker));
  }

  private async sendBatch(
    queueName: QueueName,
    queueUrl: string,
    batch: { index: number; entry: SendMessageBatchRequestEntry }[],
  ): Promise<void> {
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      this.requests += 1;
      const { Failed = [] } = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending.map(({ entry }) => entry) }),
      );
      if (Failed.length === 0) return;
      const byId = new Map(pending.map((item) => [item.entry.Id!, item]));
      const refused = (failure: BatchResultErrorEntry): RefusedQueueEntry => ({
        index: byId.get(failure.Id ?? '')?.index ?? -1,
        id: failure.Id ?? '?',
        code: failure.Code ?? 'Unknown',
        message: failure.Message,
        senderFault: failure.SenderFault === true,
      });
      const senderFaults = Failed.filter((failure) => failure.SenderFault === true);
      if (senderFaults.length > 0) throw new QueueSendError(queueName, senderFaults.map(refused), false);
      if (attempt >= this.maxAttempts) throw new QueueSendError(queueName, Failed.map(refused), true);
      const retryIds = new Set(Failed.map((failure) => failure.Id));
      pending = pending.filter((item) => retryIds.has(item.entry.Id));
      await this.sleep(this.backoff(attempt));
    }
  }
}

/**
 * A batch entry: the id is the message's index in the caller's list, unique within any batch
 * of that call and a direct way back to the message in errors. The delay is rounded up (a
 * deferred message must not arrive before its time) and clamped to what SQS accepts.
 */
function toEntry(message: QueueMessage, index: number): SendMessageBatchRequestEntry {
  const body = JSON.stringify(message.body);
  // JSON.stringify answers undefined for undefined, functions and symbols: SQS needs a body.
  if (body === undefined) throw new TypeError(`Message ${index} has no JSON-serialisable body`);
  const entry: SendMessageBatchRequestEntry = { Id: String(index), MessageBody: body };
  if (message.delaySeconds !== undefined) entry.DelaySeconds = clampDelaySeconds(message.delaySeconds);
  return entry;
}

/** `delaySeconds` as SQS accepts it: a whole number of seconds in 0..900 (NaN counts as 0). */
export function clampDelaySeconds(delaySeconds: number): number {
  if (Number.isNaN(delaySeconds)) return 0;
  return Math.min(SQS_MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds)));
}
