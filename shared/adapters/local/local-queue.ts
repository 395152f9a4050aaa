import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type Clock, systemClock } from '../../ports/clock.port';
import type { Queue, QueueMessage, QueueName } from '../../ports/queue.port';
import { readBatchResponse } from './batch-response';
import { Fifo } from './fifo';
import { createLambdaContext } from './lambda-context';
import { MinHeap } from './min-heap';
import { type HeldMessage, localQueueArn, md5Hex, toSqsRecord } from './sqs-record';
import { delayUntil, systemTimers, type TimerHandle, type Timers } from './timers';

/** SQS's limits: a delay of at most 15 minutes, a message of at most 1 MiB, 10 messages per SendMessageBatch. */
const MAX_DELAY_SECONDS = 900;
const MAX_MESSAGE_BYTES = 1_048_576;
const SEND_BATCH_SIZE = 10;

/** A worker handler exactly as Lambda calls it for an SQS event source. */
// biome-ignore lint/suspicious/noConfusingVoidType: the Lambda handler type of @types/aws-lambda (SQSHandler) returns void or a batch response.
export type SqsConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/** A message that failed `maxReceiveCount` receives and left the queue. */
export interface DeadLetter {
  queueName: string;
  messageId: string;
  /** The body as it was sent (parsed back from its JSON). */
  body: unknown;
  receiveCount: number;
  /** Why its last receive failed: the error the handler threw, or that it was listed in `batchItemFailures`. */
  reason: string;
  sentAt: Date;
  deadLetteredAt: Date;
}

/** The event source mapping (batch size, concurrency) and the queue's redrive settings, in one place. */
export interface ConsumerOptions {
  /** Records per invocation, like the event source mapping's BatchSize. Default 10. */
  batchSize?: number;
  /** Invocations running at once, like the event source mapping's MaximumConcurrency. Default 5. */
  maxConcurrency?: number;
  /** How long a failed record stays invisible before it is received again. Default 30 (SQS's default). */
  visibilityTimeoutSeconds?: number;
  /** Receives after which a failing record goes to the dead-letter list (redrive policy). Default 5. */
  maxReceiveCount?: number;
  /** Told of each dead-lettered message, after it is in the list. */
  onDeadLetter?: (deadLetter: DeadLetter) => void | Promise<void>;
  /** The function name the handler sees in its context. Default `local-<queue>-consumer`. */
  functionName?: string;
  /** What `context.getRemainingTimeInMillis()` counts down from; nothing is cut off locally. Default 30. */
  functionTimeoutSeconds?: number;
}

export interface LocalQueueOptions {
  clock?: Clock;
  timers?: Timers;
  /** Where errors thrown by `onDeadLetter` go. Default `console.error`. */
  onError?: (error: unknown) => void;
}

/** Counters of one queue, or of all of them. */
export interface QueueStats {
  /** Messages accepted by `sendMessages`. */
  sent: number;
  /** Deliveries to the consumer, redeliveries included. */
  received: number;
  /** Messages that succeeded and left the queue. */
  deleted: number;
  deadLettered: number;
  /** SendMessageBatch-equivalent calls (one per 10 messages sent). */
  requests: number;
  /** Messages ready to be received now. */
  visible: number;
  /** Messages waiting out a delay or a visibility timeout. */
  notVisible: number;
  /** Messages in batches the consumer is handling. */
  inFlight: number;
}

interface Consumer {
  handler: SqsConsumer;
  batchSize: number;
  maxConcurrency: number;
  visibilityTimeoutMs: number;
  maxReceiveCount: number;
  onDeadLetter: ((deadLetter: DeadLetter) => void | Promise<void>) | undefined;
  functionName: string;
  functionTimeoutMs: number;
}

interface QueueState {
  name: string;
  arn: string;
  consumer: Consumer | undefined;
  visible: Fifo<HeldMessage>;
  notVisible: MinHeap<HeldMessage>;
  inFlightBatches: number;
  inFlightMessages: number;
  deadLetters: DeadLetter[];
  timer: TimerHandle | undefined;
  timerDueAt: number;
  pumpScheduled: boolean;
  stats: Omit<QueueStats, 'visible' | 'notVisible' | 'inFlight'>;
}

interface Waiter {
  queueNames: string[] | undefined;
  /** `drain` waits for no message at all; `idle` only for nothing visible and nothing in flight. */
  untilEmpty: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

function positiveInteger(value: number, name: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${name} must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

/**
 * An in-process queue with SQS's semantics, so the one-machine stack runs the worker handlers exactly as Lambda does:
 * named queues, each with one consumer that gets SQS-shaped events in batches, at most `maxConcurrency` batches at
 * once; a record the handler reports in `batchItemFailures` (or every record, when it throws) becomes visible again
 * after the visibility timeout, and after `maxReceiveCount` receives goes to the dead-letter list. Immediate messages
 * are moved by a `setImmediate` pump and all waiting ones by one timer per queue, armed for the next due message, so
 * it moves tens of thousands of messages a second. Messages live in memory only: a restart loses them.
 */
export class LocalQueue implements Queue {
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly onError: (error: unknown) => void;
  private readonly queues = new Map<string, QueueState>();
  private readonly waiters = new Set<Waiter>();
  private readonly inFlight = new Set<Promise<void>>();
  private sequence = 0;
  private invocations = 0;
  private stopped = false;
  /** Message and request ids are UUID-shaped: a random prefix per instance, then a counter (cheaper than a UUID each). */
  private readonly idPrefix = randomUUID().slice(0, 24);

  constructor(options: LocalQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.onError = options.onError ?? ((error) => console.error('local queue:', error));
  }

  /** Attaches the consumer of `queueName` (one per queue, as one event source mapping per queue). */
  register(queueName: QueueName | string, handler: SqsConsumer, options: ConsumerOptions = {}): void {
    const state = this.stateOf(queueName);
    if (state.consumer) throw new Error(`queue ${queueName} already has a consumer`);
    const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 30;
    if (!(visibilityTimeoutSeconds >= 0 && visibilityTimeoutSeconds <= 43_200)) {
      throw new RangeError(`visibilityTimeoutSeconds must be from 0 to 43200, got ${visibilityTimeoutSeconds}`);
    }
    state.consumer = {
      handler,
      batchSize: positiveInteger(options.batchSize ?? 10, 'batchSize', 10_000),
      maxConcurrency: positiveInteger(options.maxConcurrency ?? 5, 'maxConcurrency', 1_000),
      visibilityTimeoutMs: visibilityTimeoutSeconds * 1000,
      maxReceiveCount: positiveInteger(options.maxReceiveCount ?? 5, 'maxReceiveCount', 1_000),
      onDeadLetter: options.onDeadLetter,
      functionName: options.functionName ?? `local-${queueName}-consumer`,
      functionTimeoutMs: (options.functionTimeoutSeconds ?? 30) * 1000,
    };
    this.schedulePump(state);
  }

  /**
   * Accepts the messages, as SendMessageBatch calls of 10 would: each body is stored as its JSON text, each delay
   * clamped to SQS's 0-900 s as the SQS adapter clamps it. Throws (and accepts none) when a body could not go to SQS:
   * not JSON, or over 1 MiB.
   */
  async sendMessages(queueName: QueueName | string, messages: QueueMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const now = this.clock.now().getTime();
    const held = messages.map((message) => this.hold(message, now));
    const state = this.stateOf(queueName);
    state.stats.sent += held.length;
    state.stats.requests += Math.ceil(held.length / SEND_BATCH_SIZE);
    let waiting = false;
    for (const message of held) {
      if (message.visibleAt > now) {
        state.notVisible.push(message);
        waiting = true;
      } else {
        state.visible.push(message);
      }
    }
    if (waiting) this.armTimer(state);
    this.schedulePump(state);
  }

  /**
   * Resolves once the queue (or every queue) holds no message at all and no batch is in flight: what a test or a
   * benchmark awaits after sending. Rejects at once when a queue holds messages but has no consumer to empty it, and
   * when the queue is stopped while waiting.
   */
  drain(queueName?: QueueName | string): Promise<void> {
    return this.wait(queueName, true);
  }

  /**
   * Resolves once nothing is visible and nothing is in flight, while messages may still wait out a delay or a
   * visibility timeout: what a test with an injected clock awaits before moving time forward.
   */
  idle(queueName?: QueueName | string): Promise<void> {
    return this.wait(queueName, false);
  }

  /** Counters for one queue, or summed over every queue. */
  stats(queueName?: QueueName | string): QueueStats {
    const states = queueName === undefined ? [...this.queues.values()] : [this.stateOf(queueName)];
    const total: QueueStats = {
      sent: 0,
      received: 0,
      deleted: 0,
      deadLettered: 0,
      requests: 0,
      visible: 0,
      notVisible: 0,
      inFlight: 0,
    };
    for (const state of states) {
      total.sent += state.stats.sent;
      total.received += state.stats.received;
      total.deleted += state.stats.deleted;
      total.deadLettered += state.stats.deadLettered;
      total.requests += state.stats.requests;
      total.visible += state.visible.length;
      total.notVisible += state.notVisible.size;
      total.inFlight += state.inFlightMessages;
    }
    return total;
  }

  /** The messages that left `queueName` after `maxReceiveCount` failed receives, oldest first. */
  deadLetters(queueName: QueueName | string): DeadLetter[] {
    return [...(this.queues.get(queueName)?.deadLetters ?? [])];
  }

  /**
   * Stops receiving: no new batch starts and no timer stays armed; resolves once the batches in flight have finished
   * (their results applied). Messages still held stay in memory, undelivered; sends are still accepted.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const state of this.queues.values()) this.disarmTimer(state);
    for (const waiter of this.waiters) waiter.reject(new Error('the local queue was stopped'));
    this.waiters.clear();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private hold(message: QueueMessage, now: number): HeldMessage {
    // As the SQS adapter does: whole seconds, rounded up, within SQS's 0-900 (NaN counts as 0).
    const requested = message.delaySeconds ?? 0;
    const delaySeconds = Number.isNaN(requested) ? 0 : Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(requested)));
    const body = JSON.stringify(message.body);
    if (typeof body !== 'string') throw new TypeError('a message body must be JSON-serialisable');
    // A UTF-16 unit takes at most 3 bytes in UTF-8: only a long body needs counting.
    if (body.length * 3 > MAX_MESSAGE_BYTES && Buffer.byteLength(body) > MAX_MESSAGE_BYTES) {
      throw new RangeError(`a message body must be at most ${MAX_MESSAGE_BYTES} bytes`);
    }
    this.sequence += 1;
    return {
      messageId: this.idPrefix + this.sequence.toString(16).padStart(12, '0'),
      body,
      md5OfBody: md5Hex(body),
      sentAt: now,
      sequence: this.sequence,
      firstReceivedAt: undefined,
      receiveCount: 0,
      visibleAt: now + delaySeconds * 1000,
      lastFailure: undefined,
    };
  }

  private stateOf(queueName: string): QueueState {
    let state = this.queues.get(queueName);
    if (!state) {
      state = {
        name: queueName,
        arn: localQueueArn(queueName),
        consumer: undefined,
        visible: new Fifo(),
        notVisible: new MinHeap(
          (a, b) => a.visibleAt < b.visibleAt || (a.visibleAt === b.visibleAt && a.sequence < b.sequence),
        ),
        inFlightBatches: 0,
        inFlightMessages: 0,
        deadLetters: [],
        timer: undefined,
        timerDueAt: Number.POSITIVE_INFINITY,
        pumpScheduled: false,
        stats: { sent: 0, received: 0, deleted: 0, deadLettered: 0, requests: 0 },
      };
      this.queues.set(queueName, state);
    }
    return state;
  }

  private schedulePump(state: QueueState): void {
    if (state.pumpScheduled || this.stopped) return;
    state.pumpScheduled = true;
    setImmediate(() => {
      state.pumpScheduled = false;
      this.pump(state);
    });
  }

  /** Makes due messages visible, starts as many batches as the concurrency allows, re-arms the timer. */
  private pump(state: QueueState): void {
    if (this.stopped) return;
    const now = this.clock.now().getTime();
    this.promoteDue(state, now);
    const consumer = state.consumer;
    if (consumer) {
      while (state.inFlightBatches < consumer.maxConcurrency && state.visible.length > 0) {
        const batch: HeldMessage[] = [];
        while (batch.length < consumer.batchSize && state.visible.length > 0) batch.push(state.visible.shift()!);
        this.deliver(state, consumer, batch, now);
      }
    }
    this.armTimer(state);
    this.notifyWaiters();
  }

  /** Moves every message whose delay or visibility timeout is over to the visible list, or out when it is spent. */
  private promoteDue(state: QueueState, now: number): void {
    for (let next = state.notVisible.peek(); next && next.visibleAt <= now; next = state.notVisible.peek()) {
      state.notVisible.pop();
      const consumer = state.consumer;
      // As SQS does, a message that used up its receives moves to the dead-letter queue when it would be received again.
      if (consumer && next.receiveCount >= consumer.maxReceiveCount) this.deadLetter(state, consumer, next, now);
      else state.visible.push(next);
    }
  }

  private deliver(state: QueueState, consumer: Consumer, batch: HeldMessage[], now: number): void {
    for (const message of batch) {
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
    }
    state.stats.received += batch.length;
    state.inFlightBatches += 1;
    state.inFlightMessages += batch.length;
    const event: SQSEvent = { Records: batch.map((message) => toSqsRecord(message, state.arn)) };
    this.invocations += 1;
    const requestId = this.idPrefix + (0x800000000000 + this.invocations).toString(16);
    const context = createLambdaContext(consumer.functionName, requestId, consumer.functionTimeoutMs, this.clock);
    const run = Promise.resolve()
      .then(() => consumer.handler(event, context))
      .then(
        (result) => this.complete(state, consumer, batch, result, undefined),
        (error: unknown) => this.complete(state, consumer, batch, undefined, error ?? new Error('the handler threw')),
      );
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private complete(state: QueueState, consumer: Consumer, batch: HeldMessage[], result: unknown, error: unknown): void {
    state.inFlightBatches -= 1;
    state.inFlightMessages -= batch.length;
    const now = this.clock.now().getTime();
    const verdict =
      error === undefined
        ? readBatchResponse(result, () => new Set(batch.map((message) => message.messageId)))
        : {
            kind: 'allFailed' as const,
            reason: `the handler threw: ${error instanceof Error ? error.message : String(error)}`,
          };
    for (const message of batch) {
      let failure: string | undefined;
      if (verdict.kind === 'allFailed') failure = verdict.reason;
      else if (verdict.kind === 'someFailed' && verdict.messageIds.has(message.messageId)) {
        failure = 'listed in batchItemFailures';
      }
      if (failure === undefined) {
        state.stats.deleted += 1;
        continue;
      }
      message.lastFailure = failure;
      message.visibleAt = now + consumer.visibilityTimeoutMs;
      state.notVisible.push(message);
    }
    this.pump(state);
  }

  private deadLetter(state: QueueState, consumer: Consumer, message: HeldMessage, now: number): void {
    const deadLetter: DeadLetter = {
      queueName: state.name,
      messageId: message.messageId,
      body: JSON.parse(message.body),
      receiveCount: message.receiveCount,
      reason: message.lastFailure ?? 'unknown',
      sentAt: new Date(message.sentAt),
      deadLetteredAt: new Date(now),
    };
    state.deadLetters.push(deadLetter);
    state.stats.deadLettered += 1;
    if (consumer.onDeadLetter) {
      const onDeadLetter = consumer.onDeadLetter;
      void Promise.resolve()
        .then(() => onDeadLetter(deadLetter))
        .catch(this.onError);
    }
  }

  private armTimer(state: QueueState): void {
    const next = state.notVisible.peek();
    if (!next || this.stopped) {
      this.disarmTimer(state);
      return;
    }
    if (state.timer !== undefined && state.timerDueAt === next.visibleAt) return;
    this.disarmTimer(state);
    const now = this.clock.now().getTime();
    state.timerDueAt = next.visibleAt;
    state.timer = this.timers.setTimeout(
      () => {
        state.timer = undefined;
        state.timerDueAt = Number.POSITIVE_INFINITY;
        this.pump(state);
      },
      delayUntil(next.visibleAt, now),
    );
  }

  private disarmTimer(state: QueueState): void {
    if (state.timer !== undefined) this.timers.clearTimeout(state.timer);
    state.timer = undefined;
    state.timerDueAt = Number.POSITIVE_INFINITY;
  }

  private wait(queueName: string | undefined, untilEmpty: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.stopped) {
        reject(new Error('the local queue was stopped'));
        return;
      }
      const waiter: Waiter = {
        queueNames: queueName === undefined ? undefined : [queueName],
        untilEmpty,
        resolve,
        reject,
      };
      this.waiters.add(waiter);
      this.notifyWaiters();
    });
  }

  private notifyWaiters(): void {
    if (this.waiters.size === 0) return;
    const now = this.clock.now().getTime();
    for (const waiter of this.waiters) {
      const states = waiter.queueNames?.map((name) => this.stateOf(name)) ?? [...this.queues.values()];
      const stuck = states.find((state) => !state.consumer && (state.visible.length > 0 || state.notVisible.size > 0));
      if (stuck) {
        this.waiters.delete(waiter);
        waiter.reject(new Error(`queue ${stuck.name} holds messages but has no consumer`));
        continue;
      }
      if (states.every((state) => this.isQuiet(state, waiter.untilEmpty, now))) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private isQuiet(state: QueueState, untilEmpty: boolean, now: number): boolean {
    if (state.inFlightBatches > 0 || state.visible.length > 0 || state.pumpScheduled) return false;
    const next = state.notVisible.peek();
    if (!next) return true;
    return !untilEmpty && next.visibleAt > now;
  }
}
