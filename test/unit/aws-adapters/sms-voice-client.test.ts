import { Readable } from 'node:stream';
import { SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import {
  createSmsVoiceClient,
  EndUserMessagingSmsGateway,
} from '../../../shared/adapters/aws/end-user-messaging-sms-gateway';

/**
 * The real client and its middleware stack (no aws-sdk-client-mock, which replaces `send` and
 * so skips the retry middleware), over a fake HTTP handler that counts requests.
 */
function clientAnswering(status: number, errorType: string) {
  const requests: unknown[] = [];
  const client = createSmsVoiceClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: {
      handle: async (request: unknown) => {
        requests.push(request);
        return {
          response: {
            statusCode: status,
            headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': errorType },
            body: Readable.from([Buffer.from(JSON.stringify({ __type: errorType, message: 'boom' }))]),
          },
        };
      },
    } as never,
  });
  return { client, requests };
}

describe('SMS client retries', () => {
  it('sends SendTextMessage once after a 500, where the standard strategy would try three times', async () => {
    // Arrange
    const { client, requests } = clientAnswering(500, 'InternalServerException');
    const gateway = new EndUserMessagingSmsGateway({ client });

    // Act
    const outcome = await gateway.send({
      destinationPhoneNumber: '+14254147755',
      originationIdentity: null,
      messageBody: 'hello',
      messageType: 'TRANSACTIONAL',
      context: {},
    });

    // Assert
    expect(outcome).toEqual({ kind: 'unknown', reason: 'InternalServerException' });
    expect(requests.length).toBe(1);
  });

  it('does not retry a throttling error either: the pipeline paces and retries it', async () => {
    // Arrange
    const { client, requests } = clientAnswering(400, 'ThrottlingException');

    // Act
    const error = await client
      .send(new SendTextMessageCommand({ DestinationPhoneNumber: '+14254147755', MessageBody: 'x' }))
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ name: 'ThrottlingException' });
    expect(requests.length).toBe(1);
  });
});
