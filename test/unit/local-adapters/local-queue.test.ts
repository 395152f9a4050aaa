import { createHash } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type DeadLetter, LocalQueue } from '../../../shared/adapters/local/local-queue';
import { flushAsyncWork, ManualTime } from './manual-time';

const START = '2025-06-02T12:00:00.000Z';

interface Delivery {
  event: SQSEvent;
  context: Context;
  at: number;
}

/** A consumer that records what it gets and answers with `answer`. */
function recordingConsumer(
  time: ManualTime,
  answer: (event: SQSEvent) => SQSBatchResponse | undefined = () => undefined,
) {
  const deliveries: Delivery[] = [];
  const handler = async (event: SQSEvent, context: Context) => {
    deliveries.push({ event, context, at: time.nowMillis });
    return answer(event);
  };
  const bodies = () =>
    deliveries.flatMap((delivery) => delivery.event.Records.map((record) => JSON.parse(record.body)));
  return { deliveries, handler, bodies };
}

describe('LocalQueue', () => {
  let time: ManualTime;
  let queue: LocalQueue;

  beforeEach(() => {
    time = new ManualTime(START);
    queue = new LocalQueue({ clock: time, timers: time });
  });

  afterEach(async () => {
    await queue.stop();
  });

  it('delivers each message as an SQS record Lambda would hand the handler', async () => {
    // Arrange
    const consumer = recordingConsumer(time);
    queue.register('send', consumer.handler);

    // Act
    await queue.sendMessages('send', [{ body: { contactId: 'c-1', n: 1 } }, { body: 'plain text' }]);
    await queue.drain('send');

    // Assert
    expect(consumer.deliveries).toHaveLength(1);
    const { event, context } = consumer.deliveries[0]!;
    expect(SqsSchema.safeParse(event).success).toBe(true);
    const [first, second] = event.Records;
    expect(first).toEqual({
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      receiptHandle: expect.any(String),
      body: '{"contactId":"c-1","n":1}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.parse(START)),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: String(Date.parse(START)),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update('{"contactId":"c-1","n":1}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:local-send',
      awsRegion: 'us-east-1',
    });
    expect(JSON.parse(second!.body)).toBe('plain text');
    expect(second!.messageId).not.toBe(first!.messageId);
    expect(context.functionName).toBe('local-send-consumer');
    expect(context.getRemainingTimeInMillis()).toBe(30_000);
    expect(queue.stats('send')).toMatchObject({ sent: 2, received: 2, deleted: 2, deadLettered: 0, requests: 1 });
  });

  it('batches up to batchSize records and counts one request per 10 messages sent', async () => {
    // Arrange
    const consumer = recordingConsumer(time);
    queue.register('launch', consumer.handler, { batchSize: 4, maxConcurrency: 1 });
    const messages = Array.from({ length: 25 }, (_, n) => ({ body: { n } }));

    // Act
    await queue.sendMessages('launch', messages);
    await queue.drain();

    // Assert
    expect(consumer.deliveries.map((delivery) => delivery.event.Records.length)).toEqual([4, 4, 4, 4, 4, 4, 1]);
    expect(consumer.bodies()).toEqual(messages.map((message) => message.body));
    expect(queue.stats('launch').requests).toBe(3);
  });

  it('redelivers a record listed in batchItemFailures after the visibility timeout, then dead-letters it', async () => {
    // Arrange
    const deadLettered: DeadLetter[] = [];
    const consumer = recordingConsumer(time, (event) => ({
      batchItemFailures: event.Records.filter((record) => JSON.parse(record.body).fail).map((record) => ({
        itemIdentifier: record.messageId,
      })),
    }));
    queue.register('send', consumer.handler, {
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 3,
      onDeadLetter: (deadLetter) => {
        deadLettered.push(deadLetter);
      },
    });

    // Act: the first receive
    await queue.sendMessages('send', [{ body: { id: 'ok' } }, { body: { id: 'bad', fail: true } }]);
    await queue.idle();

    // Assert: the good one is deleted, the bad one waits out its visibility timeout
    expect(queue.stats('send')).toMatchObject({ received: 2, deleted: 1, notVisible: 1 });
    await time.advance(29_999);
    await queue.idle();
    expect(consumer.deliveries).toHaveLength(1);

    // Act: the second and third receives, 30 s apart
    await time.advance(1);
    await queue.idle();
    await time.advance(30_000);
    await queue.idle();

    // Assert
    const redeliveries = consumer.deliveries.slice(1).map((delivery) => delivery.event.Records[0]!);
    expect(redeliveries.map((record) => JSON.parse(record.body).id)).toEqual(['bad', 'bad']);
    expect(redeliveries.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['2', '3']);
    expect(consumer.deliveries.map((delivery) => delivery.at - Date.parse(START))).toEqual([0, 30_000, 60_000]);
    expect(redeliveries[0]!.receiptHandle).not.toBe(redeliveries[1]!.receiptHandle);
    expect(redeliveries[1]!.attributes.ApproximateFirstReceiveTimestamp).toBe(String(Date.parse(START)));
    expect(queue.deadLetters('send')).toEqual([]);

    // Act: as in SQS, the spent message moves to the dead-letter queue when it would be received a fourth time
    await time.advance(30_000);
    await queue.drain('send');

    // Assert
    expect(consumer.deliveries).toHaveLength(3);
    const expected: DeadLetter = {
      queueName: 'send',
      messageId: redeliveries[0]!.messageId,
      body: { id: 'bad', fail: true },
      receiveCount: 3,
      reason: 'listed in batchItemFailures',
      sentAt: new Date(START),
      deadLetteredAt: new Date(Date.parse(START) + 90_000),
    };
    expect(queue.deadLetters('send')).toEqual([expected]);
    await flushAsyncWork();
    expect(deadLettered).toEqual([expected]);
    expect(queue.stats('send')).toMatchObject({ sent: 2, received: 4, deleted: 1, deadLettered: 1 });
  });

  it('works with a Powertools BatchProcessor handler, redelivering only the record it failed', async () => {
    // Arrange
    const seen: string[] = [];
    const processor = new BatchProcessor(EventType.SQS);
    const handler = async (event: SQSEvent, context: Context) =>
      processPartialResponse(
        event,
        async (record: SQSRecord) => {
          const body = JSON.parse(record.body) as { id: string };
          seen.push(`${body.id}#${record.attributes.ApproximateReceiveCount}`);
          if (body.id === 'b' && record.attributes.ApproximateReceiveCount === '1') throw new Error('retry me');
        },
        processor,
        { context },
      );
    queue.register('send', handler, { visibilityTimeoutSeconds: 2 });

    // Act
    await queue.sendMessages('send', [{ body: { id: 'a' } }, { body: { id: 'b' } }]);
    await queue.idle();
    await time.advance(2_000);
    await queue.drain();

    // Assert
    expect(seen).toEqual(['a#1', 'b#1', 'b#2']);
    expect(queue.stats('send')).toMatchObject({ received: 3, deleted: 2, deadLettered: 0 });
  });

  it('fails every record of a batch whose handler throws', async () => {
    // Arrange
    let calls = 0;
    const handler = async (_event: SQSEvent) => {
      calls += 1;
      if (calls === 1) throw new Error('database unavailable');
    };
    queue.register('receipts', handler, { visibilityTimeoutSeconds: 10, maxReceiveCount: 2 });

    // Act
    await queue.sendMessages('receipts', [{ body: 1 }, { body: 2 }, { body: 3 }]);
    await queue.idle();
    const afterThrow = queue.stats('receipts');
    await time.advance(10_000);
    await queue.drain();

    // Assert
    expect(afterThrow).toMatchObject({ received: 3, deleted: 0, notVisible: 3 });
    expect(calls).toBe(2);
    expect(queue.stats('receipts')).toMatchObject({ received: 6, deleted: 3, deadLettered: 0 });
  });

  it('dead-letters with the error the handler threw as the reason', async () => {
    // Arrange
    queue.register(
      'inbound',
      async () => {
        throw new Error('boom');
      },
      { visibilityTimeoutSeconds: 5, maxReceiveCount: 1 },
    );

    // Act
    await queue.sendMessages('inbound', [{ body: { text: 'STOP' } }]);
    await queue.idle();
    await time.advance(5_000);
    await queue.drain();

    // Assert
    expect(queue.deadLetters('inbound')).toEqual([
      expect.objectContaining({ body: { text: 'STOP' }, receiveCount: 1, reason: 'the handler threw: boom' }),
    ]);
  });

  it('fails the whole batch when the response names a record that is not in it, as Lambda does', async () => {
    // Arrange
    const consumer = recordingConsumer(time, () => ({ batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] }));
    queue.register('send', consumer.handler, { visibilityTimeoutSeconds: 1 });

    // Act
    await queue.sendMessages('send', [{ body: 'a' }, { body: 'b' }]);
    await queue.idle();

    // Assert
    expect(queue.stats('send')).toMatchObject({ received: 2, deleted: 0, notVisible: 2 });
  });

  it('holds a delayed message until its delay is over', async () => {
    // Arrange
    const consumer = recordingConsumer(time);
    queue.register('send', consumer.handler);

    // Act
    await queue.sendMessages('send', [{ body: 'later', delaySeconds: 60 }, { body: 'now' }]);
    await queue.idle();
    const early = consumer.bodies();
    await time.advance(59_999);
    await queue.idle();
    const almost = consumer.bodies();
    await time.advance(1);
    await queue.drain();

    // Assert
    expect(early).toEqual(['now']);
    expect(almost).toEqual(['now']);
    expect(consumer.bodies()).toEqual(['now', 'later']);
    expect(consumer.deliveries[1]!.at).toBe(Date.parse(START) + 60_000);
  });

  it('clamps a delay to what SQS allows, as the SQS adapter does', async () => {
    // Arrange
    const consumer = recordingConsumer(time);
    queue.register('send', consumer.handler);

    // Act
    await queue.sendMessages('send', [
      { body: 'an hour', delaySeconds: 3_600 },
      { body: 'a second and a bit', delaySeconds: 1.2 },
      { body: 'negative', delaySeconds: -5 },
    ]);
    await queue.idle();
    await time.advance(2_000);
    await queue.idle();
    await time.advance(898_000);
    await queue.drain();

    // Assert
    expect(consumer.deliveries.map((delivery) => [JSON.parse(delivery.event.Records[0]!.body), delivery.at])).toEqual([
      ['negative', Date.parse(START)],
      ['a second and a bit', Date.parse(START) + 2_000],
      ['an hour', Date.parse(START) + 900_000],
    ]);
  });

  it('refuses a body SQS would refuse, accepting none of the messages', async () => {
    // Arrange
    queue.register('send', recordingConsumer(time).handler);

    // Act / Assert
    await expect(queue.sendMessages('send', [{ body: 'ok' }, { body: undefined }])).rejects.toThrow(TypeError);
    await expect(queue.sendMessages('send', [{ body: 'x'.repeat(1_048_577) }])).rejects.toThrow(RangeError);
    expect(queue.stats('send').sent).toBe(0);
  });

  it('runs at most maxConcurrency batches at once', async () => {
    // Arrange
    let active = 0;
    let peak = 0;
    const handler = async () => {
      active += 1;
      peak = Math.max(peak, active);
      await flushAsyncWork(3);
      active -= 1;
    };
    queue.register('send', handler, { batchSize: 1, maxConcurrency: 3 });

    // Act
    await queue.sendMessages(
      'send',
      Array.from({ length: 30 }, (_, n) => ({ body: n })),
    );
    await queue.drain();

    // Assert
    expect(peak).toBe(3);
    expect(queue.stats('send')).toMatchObject({ received: 30, deleted: 30 });
  });

  it('drains every queue, and refuses to wait on a queue nobody consumes', async () => {
    // Arrange
    const send = recordingConsumer(time);
    const launch = recordingConsumer(time);
    queue.register('send', send.handler);
    queue.register('launch', launch.handler);

    // Act
    await queue.sendMessages('send', [{ body: 1 }]);
    await queue.sendMessages('launch', [{ body: 2 }]);
    await queue.drain();
    await queue.sendMessages('inbound', [{ body: 3 }]);

    // Assert
    expect(send.bodies()).toEqual([1]);
    expect(launch.bodies()).toEqual([2]);
    await expect(queue.drain('inbound')).rejects.toThrow('queue inbound holds messages but has no consumer');
  });

  it('stops cleanly: no batch starts after stop and no timer is left armed', async () => {
    // Arrange
    const consumer = recordingConsumer(time);
    queue.register('send', consumer.handler);
    await queue.sendMessages('send', [{ body: 'soon', delaySeconds: 10 }]);

    // Act
    await queue.stop();
    await time.advance(10_000);

    // Assert
    expect(consumer.deliveries).toHaveLength(0);
    expect(time.pendingTimers).toBe(0);
    await expect(queue.drain()).rejects.toThrow('stopped');
  });

  it('moves 20,000 messages on real timers, each delivered once, in batches (speed: bench:blast)', async () => {
    // Arrange: real time, as the benchmarks run it
    const realQueue = new LocalQueue();
    let handled = 0;
    realQueue.register(
      'send',
      async (event) => {
        handled += event.Records.length;
      },
      { batchSize: 10, maxConcurrency: 10 },
    );
    const messages = Array.from({ length: 20_000 }, (_, n) => ({ body: { tenantId: 't-1', contactId: `c-${n}` } }));

    // Act
    for (let offset = 0; offset < messages.length; offset += 500) {
      await realQueue.sendMessages('send', messages.slice(offset, offset + 500));
    }
    await realQueue.drain();
    await realQueue.stop();

    // Assert
    expect(handled).toBe(20_000);
    expect(realQueue.stats()).toMatchObject({ sent: 20_000, received: 20_000, deleted: 20_000, requests: 2_000 });
  });
});
