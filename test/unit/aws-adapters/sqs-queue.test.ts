import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { exponentialBackoff } from '../../../shared/adapters/aws/backoff';
import { clampDelaySeconds, QueueSendError, SqsQueue } from '../../../shared/adapters/aws/sqs-queue';
import type { QueueName } from '../../../shared/ports/queue.port';

const queueUrls: Record<QueueName, string> = {
  send: 'https://sqs.us-east-1.amazonaws.com/123456789012/dev-sms-send',
  launch: 'https://sqs.us-east-1.amazonaws.com/123456789012/dev-sms-launch',
  receipts: 'https://sqs.us-east-1.amazonaws.com/123456789012/dev-sms-receipts',
  inbound: 'https://sqs.us-east-1.amazonaws.com/123456789012/dev-sms-inbound',
  events: 'https://sqs.us-east-1.amazonaws.com/123456789012/dev-sms-events',
  workflows: 'https://sqs.us-east-1.amazonaws.com/123456789012/dev-sms-workflows',
};

const sqsMock = mockClient(SQSClient);

/** A queue whose retries wait no wall-clock time; the waits are recorded instead. */
function makeQueue(options: { maxAttempts?: number; concurrency?: number } = {}) {
  const sleeps: number[] = [];
  const queue = new SqsQueue({
    client: new SQSClient({ region: 'us-east-1' }),
    queueUrls,
    backoff: (attempt) => attempt * 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { queue, sleeps };
}

const inputsOf = () => sqsMock.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);

describe('SqsQueue', () => {
  beforeEach(() => {
    sqsMock.reset();
  });

  it('sends 23 messages as batches of 10, 10 and 3 with ids unique per batch and JSON bodies', async () => {
    // Arrange
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const { queue } = makeQueue({ concurrency: 1 });
    const messages = Array.from({ length: 23 }, (_, i) => ({ body: { recipient: `c-${i}`, n: i } }));

    // Act
    await queue.sendMessages('send', messages);

    // Assert
    const inputs = inputsOf();
    expect(inputs).toEqual([
      {
        QueueUrl: queueUrls.send,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `${i}`, MessageBody: JSON.stringify(messages[i]!.body) })),
      },
      {
        QueueUrl: queueUrls.send,
        Entries: Array.from({ length: 10 }, (_, i) => ({
          Id: `${i + 10}`,
          MessageBody: JSON.stringify(messages[i + 10]!.body),
        })),
      },
      {
        QueueUrl: queueUrls.send,
        Entries: Array.from({ length: 3 }, (_, i) => ({
          Id: `${i + 20}`,
          MessageBody: `{"recipient":"c-${i + 20}","n":${i + 20}}`,
        })),
      },
    ]);
    for (const input of inputs) {
      const ids = input.Entries!.map((entry) => entry.Id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(queue.requests).toBe(3);
  });

  it('uses the URL of the named queue', async () => {
    // Arrange
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const { queue } = makeQueue();

    // Act
    await queue.sendMessages('launch', [{ body: { campaignId: 'cmp-1' } }]);

    // Assert
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
    expect(inputsOf()).toEqual([
      { QueueUrl: queueUrls.launch, Entries: [{ Id: '0', MessageBody: '{"campaignId":"cmp-1"}' }] },
    ]);
  });

  it('clamps DelaySeconds to 0..900 whole seconds, rounding up, and omits it when not asked', async () => {
    // Arrange
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const { queue } = makeQueue();

    // Act
    await queue.sendMessages('send', [
      { body: 1, delaySeconds: -5 },
      { body: 2, delaySeconds: 0 },
      { body: 3, delaySeconds: 12.2 },
      { body: 4, delaySeconds: 900 },
      { body: 5, delaySeconds: 3600 },
      { body: 6 },
    ]);

    // Assert
    expect(inputsOf()[0]!.Entries).toEqual([
      { Id: '0', MessageBody: '1', DelaySeconds: 0 },
      { Id: '1', MessageBody: '2', DelaySeconds: 0 },
      { Id: '2', MessageBody: '3', DelaySeconds: 13 },
      { Id: '3', MessageBody: '4', DelaySeconds: 900 },
      { Id: '4', MessageBody: '5', DelaySeconds: 900 },
      { Id: '5', MessageBody: '6' },
    ]);
    expect(clampDelaySeconds(Number.NaN)).toBe(0);
    expect(clampDelaySeconds(Number.POSITIVE_INFINITY)).toBe(900);
  });

  it('makes no request for no messages', async () => {
    const { queue } = makeQueue();
    await queue.sendMessages('send', []);
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageBatchCommand, 0);
    expect(queue.requests).toBe(0);
  });

  it('refuses a body that JSON cannot carry, before any request', async () => {
    const { queue } = makeQueue();
    await expect(queue.sendMessages('send', [{ body: undefined }])).rejects.toThrow(TypeError);
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageBatchCommand, 0);
  });

  it('retries only the entries that failed on the SQS side, after a backoff', async () => {
    // Arrange
    sqsMock
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [
          { Id: '0', MessageId: 'm0', MD5OfMessageBody: 'x' },
          { Id: '2', MessageId: 'm2', MD5OfMessageBody: 'x' },
        ],
        Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError', Message: 'try again' }],
      })
      .resolvesOnce({
        Successful: [{ Id: '1', MessageId: 'm1', MD5OfMessageBody: 'x' }],
        Failed: [],
      });
    const { queue, sleeps } = makeQueue();

    // Act
    await queue.sendMessages('receipts', [{ body: 'a' }, { body: 'b' }, { body: 'c' }]);

    // Assert
    expect(inputsOf()).toEqual([
      {
        QueueUrl: queueUrls.receipts,
        Entries: [
          { Id: '0', MessageBody: '"a"' },
          { Id: '1', MessageBody: '"b"' },
          { Id: '2', MessageBody: '"c"' },
        ],
      },
      { QueueUrl: queueUrls.receipts, Entries: [{ Id: '1', MessageBody: '"b"' }] },
    ]);
    expect(sleeps).toEqual([100]);
    expect(queue.requests).toBe(2);
  });

  it('gives up after maxAttempts with a QueueSendError naming the entries that still fail', async () => {
    // Arrange
    sqsMock.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', SenderFault: false, Code: 'ServiceUnavailable' }],
    });
    const { queue, sleeps } = makeQueue({ maxAttempts: 3 });

    // Act
    const error = await queue.sendMessages('inbound', [{ body: { x: 1 } }]).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(QueueSendError);
    expect(error).toMatchObject({
      queueName: 'inbound',
      retriesExhausted: true,
      entries: [{ index: 0, id: '0', code: 'ServiceUnavailable', senderFault: false }],
    });
    expect((error as Error).message).toMatch(/message 0 \(entry 0\): ServiceUnavailable/);
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageBatchCommand, 3);
    expect(sleeps).toEqual([100, 200]);
    expect(queue.requests).toBe(3);
  });

  it('throws at once for a sender fault, naming the entry, without retrying', async () => {
    // Arrange: the first batch (0-9) goes through, the second (10-12) has a sender fault.
    sqsMock.on(SendMessageBatchCommand).callsFake(async (input: { Entries: { Id: string }[] }) =>
      input.Entries[0]!.Id === '0'
        ? { Successful: [], Failed: [] }
        : {
            Successful: [{ Id: '10', MessageId: 'm10', MD5OfMessageBody: 'x' }],
            Failed: [
              { Id: '11', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Message must be shorter' },
              { Id: '12', SenderFault: false, Code: 'InternalError' },
            ],
          },
    );
    const { queue, sleeps } = makeQueue({ concurrency: 1 });
    const messages = Array.from({ length: 13 }, (_, i) => ({ body: i }));

    // Act
    const error = await queue.sendMessages('send', messages).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(QueueSendError);
    expect(error).toMatchObject({
      queueName: 'send',
      retriesExhausted: false,
      entries: [
        { index: 11, id: '11', code: 'InvalidParameterValue', message: 'Message must be shorter', senderFault: true },
      ],
    });
    expect((error as Error).message).toContain('message 11 (entry 11): InvalidParameterValue Message must be shorter');
    expect(sleeps).toEqual([]);
    expect(queue.requests).toBe(2);
  });

  it('lets an error of the whole request through (the SDK already retried it)', async () => {
    // Arrange
    const failure = Object.assign(new Error('Queue does not exist'), { name: 'QueueDoesNotExist' });
    sqsMock.on(SendMessageBatchCommand).rejects(failure);
    const { queue } = makeQueue();

    // Act / Assert
    await expect(queue.sendMessages('send', [{ body: 1 }])).rejects.toThrow('Queue does not exist');
    expect(queue.requests).toBe(1);
  });

  it('keeps several batches in flight at once but never more than the concurrency', async () => {
    // Arrange
    let inFlight = 0;
    let peak = 0;
    sqsMock.on(SendMessageBatchCommand).callsFake(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return { Successful: [], Failed: [] };
    });
    const { queue } = makeQueue({ concurrency: 3 });

    // Act
    await queue.sendMessages(
      'send',
      Array.from({ length: 95 }, (_, i) => ({ body: i })),
    );

    // Assert
    expect(queue.requests).toBe(10);
    expect(peak).toBe(3);
    const ids = inputsOf().flatMap((input) => input.Entries!.map((entry) => Number(entry.Id)));
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 95 }, (_, i) => i));
  });
});

describe('exponentialBackoff', () => {
  it('doubles the cap per retry up to the maximum, with full jitter below it', () => {
    const top = exponentialBackoff({ baseMs: 100, maxMs: 1_000, random: () => 0.999_999 });
    expect([1, 2, 3, 4, 5, 6].map(top)).toEqual([99, 199, 399, 799, 999, 999]);
    const bottom = exponentialBackoff({ baseMs: 100, maxMs: 1_000, random: () => 0 });
    expect([1, 5].map(bottom)).toEqual([0, 0]);
  });
});
