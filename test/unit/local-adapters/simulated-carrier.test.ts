import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SIMULATOR_FAILURE_NUMBER,
  SIMULATOR_SUCCESS_NUMBER,
  SimulatedCarrier,
  type SimulatedCarrierOptions,
} from '../../../shared/adapters/local/simulated-carrier';
import { simulatedCarrierSettingsFromEnv } from '../../../shared/adapters/local/simulated-carrier-env';
import { type SmsEventRecord, smsEventRecordSchema } from '../../../shared/adapters/local/sms-event-record';
import type { OutboundSms } from '../../../shared/ports/sms-gateway.port';
import failedFixture from '../../fixtures/events/sms-event-text-carrier-unreachable.json';
import deliveredFixture from '../../fixtures/events/sms-event-text-delivered.json';
import successfulFixture from '../../fixtures/events/sms-event-text-successful.json';
import { ManualTime } from './manual-time';

const START = '2025-06-02T10:00:00.000Z';
const OTHER_NUMBER = '+12065550123';

function sms(overrides: Partial<OutboundSms> = {}): OutboundSms {
  return {
    destinationPhoneNumber: SIMULATOR_SUCCESS_NUMBER,
    originationIdentity: '+12065550100',
    messageBody: 'Summer sale: 20% off this week. Reply STOP to opt out.',
    messageType: 'PROMOTIONAL',
    context: { tenantId: 'tenant-demo', campaignId: 'cmp-1', contactId: 'ct-1' },
    ...overrides,
  };
}

describe('SimulatedCarrier', () => {
  let time: ManualTime;
  let receipts: SmsEventRecord[];
  const open = (options: SimulatedCarrierOptions = {}) =>
    SimulatedCarrier.open({
      clock: time,
      timers: time,
      onReceipt: async (record) => {
        receipts.push(record);
      },
      ...options,
    });

  beforeEach(() => {
    time = new ManualTime(START);
    receipts = [];
  });

  it('answers ThrottlingException above its messages per second, and accepts again as the second goes by', async () => {
    // Arrange
    const carrier = await open({ mps: 5 });

    // Act
    const burst = await Promise.all(Array.from({ length: 6 }, () => carrier.send(sms())));
    await time.advance(200);
    const afterOneToken = [await carrier.send(sms()), await carrier.send(sms())];
    await time.advance(1_000);
    const afterASecond = await Promise.all(Array.from({ length: 6 }, () => carrier.send(sms())));

    // Assert
    const kinds = (outcomes: { kind: string }[]) => outcomes.map((outcome) => outcome.kind);
    expect(kinds(burst)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'retryLater']);
    expect(burst[5]).toEqual({ kind: 'retryLater', reason: 'ThrottlingException' });
    expect(kinds(afterOneToken)).toEqual(['sent', 'retryLater']);
    expect(kinds(afterASecond)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'retryLater']);
    expect(carrier.stats()).toMatchObject({ accepted: 11, throttled: 3 });
    expect(carrier.outbox()).toHaveLength(11);
    await carrier.stop();
  });

  it("follows AWS's simulator numbers, delivers to any other valid number and refuses an invalid one", async () => {
    // Arrange
    const carrier = await open();

    // Act
    const delivered = await carrier.send(sms({ destinationPhoneNumber: SIMULATOR_SUCCESS_NUMBER }));
    const failed = await carrier.send(sms({ destinationPhoneNumber: SIMULATOR_FAILURE_NUMBER }));
    const other = await carrier.send(sms({ destinationPhoneNumber: OTHER_NUMBER }));
    const invalid = await carrier.send(sms({ destinationPhoneNumber: '+1555' }));
    const empty = await carrier.send(sms({ messageBody: '' }));

    // Assert
    expect(delivered).toEqual({ kind: 'sent', messageId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(failed.kind).toBe('sent');
    expect(other.kind).toBe('sent');
    expect(invalid).toEqual({
      kind: 'rejected',
      reason: 'ValidationException:CANNOT_PARSE(destinationphonenumber)',
      optedOut: false,
    });
    expect(empty).toEqual({
      kind: 'rejected',
      reason: 'ValidationException:INVALID_PARAMETER(messagebody)',
      optedOut: false,
    });
    expect(carrier.outbox().map((item) => [item.to, item.outcome])).toEqual([
      [OTHER_NUMBER, 'delivered'],
      [SIMULATOR_FAILURE_NUMBER, 'failed'],
      [SIMULATOR_SUCCESS_NUMBER, 'delivered'],
    ]);
    await carrier.stop();
  });

  it('lets its settings choose the outcome for a number', async () => {
    // Arrange
    const carrier = await open({ outcomeFor: (to) => (to === OTHER_NUMBER ? 'failed' : undefined) });

    // Act
    await carrier.send(sms({ destinationPhoneNumber: OTHER_NUMBER }));

    // Assert
    expect(carrier.outbox()[0]?.outcome).toBe('failed');
    await carrier.stop();
  });

  it('keeps its outbox in a JSON-lines file that survives a restart, listed newest first', async () => {
    // Arrange
    const dataDir = await mkdtemp(join(tmpdir(), 'simulated-carrier-'));
    try {
      const first = await open({ dataDir });
      const sent = [];
      for (const to of [SIMULATOR_SUCCESS_NUMBER, OTHER_NUMBER, SIMULATOR_SUCCESS_NUMBER]) {
        sent.push(await first.send(sms({ destinationPhoneNumber: to, messageBody: `to ${to}` })));
        await time.advance(1_000);
      }
      await first.stop();
      // A crash mid-write leaves a torn last line.
      await appendFile(join(dataDir, 'simulated-carrier', 'outbox.jsonl'), '{"messageId":"torn');

      // Act
      const second = await open({ dataDir });
      const afterRestart = second.outbox();
      await second.send(sms({ destinationPhoneNumber: OTHER_NUMBER, messageBody: 'after restart' }));
      await second.stop();
      const third = await open({ dataDir });

      // Assert
      const ids = sent.map((outcome) => (outcome.kind === 'sent' ? outcome.messageId : ''));
      expect(afterRestart.map((item) => item.messageId)).toEqual([...ids].reverse());
      expect(afterRestart[2]).toEqual({
        messageId: ids[0],
        to: SIMULATOR_SUCCESS_NUMBER,
        from: '+12065550100',
        body: `to ${SIMULATOR_SUCCESS_NUMBER}`,
        segments: 1,
        acceptedAt: START,
        outcome: 'delivered',
        context: { tenantId: 'tenant-demo', campaignId: 'cmp-1', contactId: 'ct-1' },
        messageType: 'PROMOTIONAL',
      });
      expect(third.outbox().map((item) => item.body)).toEqual([
        'after restart',
        `to ${SIMULATOR_SUCCESS_NUMBER}`,
        `to ${OTHER_NUMBER}`,
        `to ${SIMULATOR_SUCCESS_NUMBER}`,
      ]);
      expect(third.outbox({ to: OTHER_NUMBER }).map((item) => item.body)).toEqual([
        'after restart',
        `to ${OTHER_NUMBER}`,
      ]);
      expect(third.outbox({ limit: 1 }).map((item) => item.body)).toEqual(['after restart']);
      const lines = (await readFile(join(dataDir, 'simulated-carrier', 'outbox.jsonl'), 'utf8')).split('\n');
      expect(lines.filter((line) => line.startsWith('{"messageId":"') && line.endsWith('}'))).toHaveLength(4);
      await third.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('after a restart, emits again the receipts of what it accepted in the last minutes (they may have died with the process)', async () => {
    // Arrange: two messages accepted, the process killed before their receipts (stopped without flushing them)
    const dataDir = await mkdtemp(join(tmpdir(), 'simulated-carrier-'));
    try {
      const first = await open({ dataDir, receiptDelayMs: 200 });
      const old = await first.send(sms({ destinationPhoneNumber: OTHER_NUMBER, messageBody: 'long ago' }));
      await time.advance(20 * 60_000);
      receipts = [];
      const recent = await first.send(sms({ destinationPhoneNumber: SIMULATOR_SUCCESS_NUMBER }));
      await first.stop();
      expect(receipts).toEqual([]);

      // Act
      const second = await open({ dataDir, receiptDelayMs: 200 });
      await time.advance(200);
      await second.idle();

      // Assert: the recent one's receipt comes (once), the one accepted 20 minutes before is not replayed
      expect(receipts.map((r) => r.messageId)).toEqual([recent.kind === 'sent' ? recent.messageId : '']);
      expect(receipts[0]?.eventType).toBe('TEXT_DELIVERED');
      expect(old.kind).toBe('sent');
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('emits after the receipt delay a final record shaped exactly like the AWS fixtures', async () => {
    // Arrange
    const carrier = await open({ receiptDelayMs: 200 });

    // Act
    const delivered = await carrier.send(sms({ destinationPhoneNumber: SIMULATOR_SUCCESS_NUMBER }));
    const failed = await carrier.send(sms({ destinationPhoneNumber: SIMULATOR_FAILURE_NUMBER }));
    const unicode = await carrier.send(
      sms({
        destinationPhoneNumber: OTHER_NUMBER,
        messageType: 'TRANSACTIONAL',
        messageBody: `Rendez-vous confirmé ✅ ${'x'.repeat(60)}`,
      }),
    );
    await time.advance(199);
    await carrier.idle();
    const early = receipts.length;
    await time.advance(1);
    await carrier.idle();

    // Assert
    expect(early).toBe(0);
    expect(receipts).toHaveLength(3);
    const [deliveredReceipt, failedReceipt, unicodeReceipt] = receipts as [
      SmsEventRecord,
      SmsEventRecord,
      SmsEventRecord,
    ];
    expect(Object.keys(deliveredReceipt)).toEqual(Object.keys(deliveredFixture));
    expect(Object.keys(failedReceipt)).toEqual(Object.keys(failedFixture));
    expect(deliveredReceipt).toEqual({
      ...deliveredFixture,
      eventTimestamp: Date.parse(START) + 200,
      messageRequestTimestamp: Date.parse(START),
      messageId: delivered.kind === 'sent' ? delivered.messageId : '',
      context: { tenantId: 'tenant-demo', campaignId: 'cmp-1', contactId: 'ct-1' },
    });
    expect(failedReceipt).toEqual({
      ...failedFixture,
      eventTimestamp: Date.parse(START) + 200,
      messageRequestTimestamp: Date.parse(START),
      messageId: failed.kind === 'sent' ? failed.messageId : '',
      context: { tenantId: 'tenant-demo', campaignId: 'cmp-1', contactId: 'ct-1' },
    });
    expect(unicodeReceipt).toMatchObject({
      eventType: 'TEXT_DELIVERED',
      messageId: unicode.kind === 'sent' ? unicode.messageId : '',
      messageEncoding: 'UNICODE',
      messageType: 'TRANSACTIONAL',
      totalMessageParts: 2,
      totalMessagePrice: 0.01162,
      totalCarrierFee: 0.00604,
    });
    expect(carrier.outbox({ to: OTHER_NUMBER })[0]?.segments).toBe(2);
    expect(carrier.stats()).toMatchObject({ receiptsEmitted: 3, receiptsPending: 0 });
    await carrier.stop();
  });

  it('has fixtures that are AWS event records, every field among those AWS documents', () => {
    const documented = new Set(Object.keys(successfulFixture));
    for (const fixture of [deliveredFixture, failedFixture, successfulFixture]) {
      expect(smsEventRecordSchema.parse(fixture)).toEqual(fixture);
      expect(Object.keys(fixture).filter((key) => !documented.has(key))).toEqual([]);
    }
  });

  it('emits no receipt when receipts are off', async () => {
    // Arrange
    const carrier = await open({ receipts: false });

    // Act
    const outcome = await carrier.send(sms());
    await time.advance(60_000);
    await carrier.idle();

    // Assert
    expect(outcome.kind).toBe('sent');
    expect(receipts).toEqual([]);
    expect(carrier.stats()).toMatchObject({ accepted: 1, receiptsPending: 0, receiptsEmitted: 0 });
    expect(time.pendingTimers).toBe(0);
    await carrier.stop();
  });

  it('cancels the receipts not yet due when it stops, or emits them at once when asked to flush', async () => {
    // Arrange
    const cancelling = await open({ receiptDelayMs: 500 });
    await cancelling.send(sms());
    const flushing = await open({ receiptDelayMs: 500 });
    await flushing.send(sms({ destinationPhoneNumber: SIMULATOR_FAILURE_NUMBER }));

    // Act
    await cancelling.stop();
    await flushing.stop({ flushReceipts: true });
    await time.advance(1_000);

    // Assert
    expect(receipts.map((record) => record.eventType)).toEqual(['TEXT_CARRIER_UNREACHABLE']);
    expect(time.pendingTimers).toBe(0);
    expect(await cancelling.send(sms())).toEqual({ kind: 'retryLater', reason: expect.stringContaining('stopped') });
  });

  it('answers each send after its latency', async () => {
    // Arrange
    const carrier = await open({ latencyMs: 50 });
    let answered = false;

    // Act
    const pending = carrier.send(sms()).then((outcome) => {
      answered = true;
      return outcome;
    });
    await time.advance(49);
    const answeredEarly = answered;
    await time.advance(1);

    // Assert
    expect(answeredEarly).toBe(false);
    expect((await pending).kind).toBe('sent');
    await carrier.stop();
  });
});

describe('simulatedCarrierSettingsFromEnv', () => {
  it('reads SIM_* variables, with their defaults', () => {
    expect(simulatedCarrierSettingsFromEnv({})).toEqual({
      mps: 100,
      latencyMs: 0,
      receiptDelayMs: 200,
      receipts: true,
    });
    expect(
      simulatedCarrierSettingsFromEnv({
        SIM_MPS: '20',
        SIM_LATENCY_MS: '15',
        SIM_RECEIPT_DELAY_MS: '',
        SIM_RECEIPTS: 'OFF',
      }),
    ).toEqual({ mps: 20, latencyMs: 15, receiptDelayMs: 200, receipts: false });
  });

  it.each([{ SIM_MPS: '0' }, { SIM_MPS: 'fast' }, { SIM_LATENCY_MS: '-1' }, { SIM_RECEIPTS: 'maybe' }])(
    'refuses %p',
    (env) => {
      expect(() => simulatedCarrierSettingsFromEnv(env)).toThrow();
    },
  );
});
