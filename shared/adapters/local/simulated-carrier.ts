import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parsePhoneNumber } from '../../domain/phone/phone-number';
import { measureSegments } from '../../domain/sms';
import { type Clock, systemClock } from '../../ports/clock.port';
import type { OutboundSms, SendOutcome, SmsGateway } from '../../ports/sms-gateway.port';
import { MinHeap } from './min-heap';
import { OutboxLog } from './outbox-log';
import type { OutboxRecord } from './outbox-record';
import {
  type CarrierFailureType,
  finalEventRecord,
  type SimulatedOutcome,
  type SmsEventRecord,
} from './sms-event-record';
import { Alarm, systemTimers, type Timers } from './timers';
import { TokenBucket } from './token-bucket';

/** AWS's US destination simulator numbers: one always delivers, one always fails. */
export const SIMULATOR_SUCCESS_NUMBER = '+14254147755';
export const SIMULATOR_FAILURE_NUMBER = '+14254147167';

/** SendTextMessage's limit on MessageBody. */
const MAX_BODY_LENGTH = 1600;

export interface SimulatedCarrierOptions {
  /** Messages a second it accepts (a second's worth in a burst) before answering ThrottlingException. Default 100. */
  mps?: number;
  /** How long each send takes to answer. Default 0. */
  latencyMs?: number;
  /** How long after the send the delivery receipt comes. Default 200. */
  receiptDelayMs?: number;
  /** `false` emits no receipts (for replaying recorded ones). Default true. */
  receipts?: boolean;
  /** Where the outbox file (`simulated-carrier/outbox.jsonl`) lives; undefined keeps the outbox in memory. */
  dataDir?: string | undefined;
  /** Gets each receipt, as the configuration set's SNS topic would. */
  onReceipt?: (record: SmsEventRecord) => Promise<void>;
  /** Where failures of `onReceipt` go. Default `console.error`. */
  onError?: (error: unknown) => void;
  /** The sender when a message names no origination identity. Default `+12065550100`. */
  defaultOriginationNumber?: string;
  /** The carrier's own settings: an outcome for a number, overriding the simulator numbers' and the default. */
  outcomeFor?: (destination: string) => SimulatedOutcome | undefined;
  /** Price reported per message part. Default 0.00581 USD. */
  pricePerPartUsd?: number;
  /** Carrier fee reported per delivered message part. Default 0.00302 USD. */
  carrierFeePerPartUsd?: number;
  clock?: Clock;
  timers?: Timers;
  newMessageId?: () => string;
}

export interface SimulatedCarrierStats {
  accepted: number;
  throttled: number;
  rejected: number;
  receiptsEmitted: number;
  receiptsFailed: number;
  receiptsPending: number;
}

interface PendingReceipt {
  dueAt: number;
  sequence: number;
  record: () => SmsEventRecord;
}

/**
 * A carrier behind the SMS port for the one-machine stack. It answers `send` as AWS End User Messaging SMS would:
 * a message id for an accepted message, `retryLater` with `ThrottlingException` above its messages-per-second limit
 * (a token bucket on the injected clock), `rejected` with `ValidationException` for what SendTextMessage refuses.
 * Outcomes follow AWS's simulator numbers (+14254147755 delivers, +14254147167 fails; any other valid number
 * delivers). It keeps every accepted message in its outbox, appended to a JSON-lines file under the data folder so it
 * survives a restart, and after `receiptDelayMs` hands `onReceipt` the final event record AWS would publish to the
 * configuration set's SNS topic. Receipts wait in one heap behind one timer, not one timer each.
 */
/** How far back a restarted carrier re-emits receipts (a receipt comes within seconds of the send). */
const RECEIPT_REPLAY_MS = 15 * 60_000;

export class SimulatedCarrier implements SmsGateway {
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly bucket: TokenBucket;
  private readonly latencyMs: number;
  private readonly receiptDelayMs: number;
  private readonly receipts: boolean;
  private readonly onReceipt: ((record: SmsEventRecord) => Promise<void>) | undefined;
  private readonly onError: (error: unknown) => void;
  private readonly defaultOriginationNumber: string;
  private readonly outcomeFor: ((destination: string) => SimulatedOutcome | undefined) | undefined;
  private readonly pricePerPartUsd: number;
  private readonly carrierFeePerPartUsd: number;
  private readonly newMessageId: () => string;
  private readonly pending = new MinHeap<PendingReceipt>(
    (a, b) => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.sequence < b.sequence),
  );
  private readonly emitting = new Set<Promise<void>>();
  private readonly sending = new Set<Promise<unknown>>();
  private readonly counts = { accepted: 0, throttled: 0, rejected: 0, receiptsEmitted: 0, receiptsFailed: 0 };
  private readonly originCountries = new Map<string, string | undefined>();
  private sequence = 0;
  /** The blocking control: this share of the messages that would be delivered fail with this type, evenly spread. */
  private blocking = { rate: 0, type: 'SPAM' as CarrierFailureType, seen: 0, blocked: 0 };
  private readonly alarm: Alarm;
  private stopped = false;

  private constructor(
    private readonly log: OutboxLog,
    options: SimulatedCarrierOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.alarm = new Alarm(this.timers, () => this.emitDue());
    this.bucket = new TokenBucket(options.mps ?? 100);
    this.latencyMs = Math.max(0, options.latencyMs ?? 0);
    this.receiptDelayMs = Math.max(0, options.receiptDelayMs ?? 200);
    this.receipts = options.receipts ?? true;
    this.onReceipt = options.onReceipt;
    this.onError = options.onError ?? ((error) => console.error('simulated carrier:', error));
    this.defaultOriginationNumber = options.defaultOriginationNumber ?? '+12065550100';
    this.outcomeFor = options.outcomeFor;
    this.pricePerPartUsd = options.pricePerPartUsd ?? 0.00581;
    this.carrierFeePerPartUsd = options.carrierFeePerPartUsd ?? 0.00302;
    this.newMessageId = options.newMessageId ?? randomUUID;
  }

  /** Opens the carrier, reading back the outbox file under `dataDir` when there is one. */
  static async open(options: SimulatedCarrierOptions = {}): Promise<SimulatedCarrier> {
    const path = options.dataDir === undefined ? undefined : join(options.dataDir, 'simulated-carrier', 'outbox.jsonl');
    const carrier = new SimulatedCarrier(await OutboxLog.open(path), options);
    carrier.replayRecentReceipts();
    return carrier;
  }

  /**
   * Makes the carrier fail `rate` (0-1) of the messages it would deliver with failure `type`, as a carrier filtering a
   * sender as spam does; 0 ends it. Spread evenly (every message adds `rate` to a running share), so a test knows how
   * many fail.
   */
  setBlocking(rate: number, type: CarrierFailureType): void {
    this.blocking = { rate, type, seen: 0, blocked: 0 };
  }

  /** Whether the blocking control fails this message. */
  private blocks(): boolean {
    if (this.blocking.rate <= 0) return false;
    this.blocking.seen += 1;
    if (this.blocking.blocked >= Math.floor(this.blocking.seen * this.blocking.rate + 1e-9)) return false;
    this.blocking.blocked += 1;
    return true;
  }

  async send(message: OutboundSms): Promise<SendOutcome> {
    const run = this.accept(message);
    this.sending.add(run);
    try {
      return await run;
    } finally {
      this.sending.delete(run);
    }
  }

  /** What it accepted, newest first: to `to` only when given, at most `limit` items when given. */
  outbox(filter: { to?: string | undefined; limit?: number | undefined } = {}): OutboxRecord[] {
    return this.log.newestFirst(filter);
  }

  stats(): SimulatedCarrierStats {
    return { ...this.counts, receiptsPending: this.pending.size };
  }

  /**
   * Resolves once no send is under way, no receipt is due now and no `onReceipt` call is running; receipts due later
   * may still wait. What a test with an injected clock awaits after moving time forward.
   */
  async idle(): Promise<void> {
    for (;;) {
      const now = this.clock.now().getTime();
      const next = this.pending.peek();
      if (next && next.dueAt <= now && !this.stopped) this.emitDue();
      const running = [...this.sending, ...this.emitting];
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  /**
   * Stops the carrier: later sends answer `retryLater`. Receipts not yet due are cancelled (dropped), unless
   * `flushReceipts` is set, in which case they are emitted at once. Resolves once sends and `onReceipt` calls under
   * way have finished and the outbox file is closed.
   */
  async stop(options: { flushReceipts?: boolean } = {}): Promise<void> {
    this.stopped = true;
    this.alarm.disarm();
    await Promise.allSettled([...this.sending]);
    if (options.flushReceipts) {
      for (let next = this.pending.pop(); next; next = this.pending.pop()) this.emit(next.record());
    } else {
      this.pending.clear();
    }
    while (this.emitting.size > 0) await Promise.allSettled([...this.emitting]);
    await this.log.close();
  }

  private async accept(message: OutboundSms): Promise<SendOutcome> {
    if (this.latencyMs > 0) await new Promise<void>((resolve) => this.timers.setTimeout(resolve, this.latencyMs));
    if (this.stopped) return { kind: 'retryLater', reason: 'ServiceUnavailable: the simulated carrier is stopped' };
    const checked = this.validate(message);
    if ('refusal' in checked) {
      this.counts.rejected += 1;
      return { kind: 'rejected', reason: checked.refusal, optedOut: false };
    }
    const acceptedAt = this.clock.now().getTime();
    if (!this.bucket.tryTake(acceptedAt)) {
      this.counts.throttled += 1;
      return { kind: 'retryLater', reason: 'ThrottlingException' };
    }
    const to = message.destinationPhoneNumber;
    const from = message.originationIdentity ?? this.defaultOriginationNumber;
    const segments = measureSegments(message.messageBody);
    const planned = this.outcomeFor?.(to) ?? (to === SIMULATOR_FAILURE_NUMBER ? 'failed' : 'delivered');
    const blocked = planned === 'delivered' && this.blocks();
    const outcome = blocked ? 'failed' : planned;
    const record: OutboxRecord = {
      messageId: this.newMessageId(),
      to,
      from,
      body: message.messageBody,
      segments: segments.segments,
      acceptedAt: new Date(acceptedAt).toISOString(),
      outcome,
      ...(blocked ? { failureType: this.blocking.type } : {}),
      context: { ...message.context },
      messageType: message.messageType,
    };
    try {
      await this.log.append(record);
    } catch (error) {
      return { kind: 'unknown', reason: `the outbox could not be written: ${String(error)}` };
    }
    this.counts.accepted += 1;
    this.scheduleReceipt(record, acceptedAt + this.receiptDelayMs, checked.country);
    return { kind: 'sent', messageId: record.messageId };
  }

  /** The final receipt of an accepted message, due at `dueAt`. */
  private scheduleReceipt(record: OutboxRecord, dueAt: number, destinationCountry: string): void {
    if (!this.receipts) return;
    const originCountry = this.originCountry(record.from);
    const encoding = measureSegments(record.body).encoding;
    this.schedule(dueAt, () =>
      finalEventRecord({
        outcome: record.outcome,
        failureType: record.failureType as CarrierFailureType | undefined,
        messageId: record.messageId,
        from: record.from,
        to: record.to,
        isoCountryCode: destinationCountry,
        isInternationalSend: originCountry !== undefined && originCountry !== destinationCountry,
        encoding,
        messageType: record.messageType ?? 'TRANSACTIONAL',
        context: record.context,
        parts: Math.max(1, record.segments),
        requestedAt: Date.parse(record.acceptedAt),
        reportedAt: this.clock.now().getTime(),
        pricePerPartUsd: this.pricePerPartUsd,
        carrierFeePerPartUsd: this.carrierFeePerPartUsd,
      }),
    );
  }

  /**
   * A real carrier reports on what it accepted whatever happens to the sender: after a restart, the receipts of the
   * messages accepted in the last minutes (which may have died with the process) are emitted again. A receipt
   * already recorded changes nothing the second time.
   */
  private replayRecentReceipts(): void {
    const now = this.clock.now().getTime();
    const since = now - RECEIPT_REPLAY_MS;
    for (const record of this.log.newestFirst({})) {
      if (Date.parse(record.acceptedAt) < since) break;
      const parsed = parsePhoneNumber(record.to, 'US');
      this.scheduleReceipt(record, now + this.receiptDelayMs, (parsed.ok && parsed.country) || 'US');
    }
  }

  /**
   * Why SendTextMessage would refuse the message, worded as the AWS gateway words a ValidationException
   * (`name:Reason(field)`), or the destination's country when it would not.
   */
  private validate(message: OutboundSms): { refusal: string } | { country: string } {
    const to = message.destinationPhoneNumber;
    const parsed = parsePhoneNumber(to, 'US');
    if (!parsed.ok || parsed.e164 !== to)
      return { refusal: 'ValidationException:CANNOT_PARSE(destinationphonenumber)' };
    if (message.messageBody.length === 0 || message.messageBody.length > MAX_BODY_LENGTH) {
      return { refusal: 'ValidationException:INVALID_PARAMETER(messagebody)' };
    }
    return { country: parsed.country ?? 'US' };
  }

  /** The country of an origination identity that is a phone number (a sender id or pool has none), remembered. */
  private originCountry(identity: string): string | undefined {
    if (!this.originCountries.has(identity)) {
      const parsed = parsePhoneNumber(identity, 'US');
      this.originCountries.set(identity, parsed.ok && parsed.e164 === identity ? parsed.country : undefined);
    }
    return this.originCountries.get(identity);
  }

  private schedule(dueAt: number, record: () => SmsEventRecord): void {
    this.sequence += 1;
    this.pending.push({ dueAt, sequence: this.sequence, record });
    this.arm();
  }

  private emitDue(): void {
    const now = this.clock.now().getTime();
    for (let next = this.pending.peek(); next && next.dueAt <= now; next = this.pending.peek()) {
      this.pending.pop();
      this.emit(next.record());
    }
    this.arm();
  }

  private emit(record: SmsEventRecord): void {
    const onReceipt = this.onReceipt;
    if (!onReceipt) {
      this.counts.receiptsEmitted += 1;
      return;
    }
    const run = Promise.resolve()
      .then(() => onReceipt(record))
      .then(
        () => {
          this.counts.receiptsEmitted += 1;
        },
        (error: unknown) => {
          this.counts.receiptsFailed += 1;
          this.onError(error);
        },
      );
    this.emitting.add(run);
    void run.finally(() => this.emitting.delete(run));
  }

  private arm(): void {
    const next = this.pending.peek();
    if (!next || this.stopped) {
      this.alarm.disarm();
      return;
    }
    this.alarm.armAt(next.dueAt, this.clock.now().getTime());
  }
}
