import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  PinpointSMSVoiceV2ServiceException,
  ResourceNotFoundException,
  SendTextMessageCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  createSmsVoiceClient,
  EndUserMessagingSmsGateway,
} from '../../../shared/adapters/aws/end-user-messaging-sms-gateway';
import type { OutboundSms, SendOutcome } from '../../../shared/ports/sms-gateway.port';

const smsMock = mockClient(PinpointSMSVoiceV2Client);

const message: OutboundSms = {
  destinationPhoneNumber: '+14254147755',
  originationIdentity: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-abc',
  messageBody: 'Hi Ada, 20% off today. Reply STOP to opt out',
  messageType: 'PROMOTIONAL',
  configurationSetName: 'dev-sms-events',
  context: { tenantId: 't-1', campaignId: 'cmp-1', contactId: 'c-1' },
};

const makeGateway = (defaultConfigurationSetName?: string) =>
  new EndUserMessagingSmsGateway({
    client: new PinpointSMSVoiceV2Client({ region: 'us-east-1' }),
    ...(defaultConfigurationSetName ? { defaultConfigurationSetName } : {}),
  });

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

describe('EndUserMessagingSmsGateway', () => {
  beforeEach(() => {
    smsMock.reset();
  });

  describe('the request', () => {
    it('sends the message with every field of the port, exactly', async () => {
      // Arrange
      smsMock.on(SendTextMessageCommand).resolves({ MessageId: 'msg-1' });

      // Act
      await makeGateway().send(message);

      // Assert
      expect(smsMock.commandCalls(SendTextMessageCommand).map((call) => call.args[0].input)).toEqual([
        {
          DestinationPhoneNumber: '+14254147755',
          OriginationIdentity: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-abc',
          MessageBody: 'Hi Ada, 20% off today. Reply STOP to opt out',
          MessageType: 'PROMOTIONAL',
          ConfigurationSetName: 'dev-sms-events',
          Context: { tenantId: 't-1', campaignId: 'cmp-1', contactId: 'c-1' },
        },
      ]);
    });

    it('omits OriginationIdentity when none is chosen, and falls back to the default configuration set', async () => {
      // Arrange
      smsMock.on(SendTextMessageCommand).resolves({ MessageId: 'msg-1' });
      const { configurationSetName: _, ...withoutConfigurationSet } = message;

      // Act
      await makeGateway('dev-sms-default').send({
        ...withoutConfigurationSet,
        originationIdentity: null,
        messageType: 'TRANSACTIONAL',
      });

      // Assert
      expect(smsMock.commandCalls(SendTextMessageCommand)[0]!.args[0].input).toEqual({
        DestinationPhoneNumber: '+14254147755',
        MessageBody: 'Hi Ada, 20% off today. Reply STOP to opt out',
        MessageType: 'TRANSACTIONAL',
        ConfigurationSetName: 'dev-sms-default',
        Context: { tenantId: 't-1', campaignId: 'cmp-1', contactId: 'c-1' },
      });
    });

    it("prefers the message's configuration set over the default, and omits it when there is neither", async () => {
      smsMock.on(SendTextMessageCommand).resolves({ MessageId: 'msg-1' });
      await makeGateway('dev-sms-default').send(message);
      const { configurationSetName: _, ...withoutConfigurationSet } = message;
      await makeGateway().send(withoutConfigurationSet);
      const inputs = smsMock.commandCalls(SendTextMessageCommand).map((call) => call.args[0].input);
      expect(inputs[0]!.ConfigurationSetName).toBe('dev-sms-events');
      expect(inputs[1]).not.toHaveProperty('ConfigurationSetName');
    });
  });

  describe('outcomes', () => {
    it('accepted: sent, with the MessageId', async () => {
      smsMock.on(SendTextMessageCommand).resolves({ MessageId: 'msg-1' });
      await expect(makeGateway().send(message)).resolves.toEqual({ kind: 'sent', messageId: 'msg-1' });
    });

    it('accepted without a MessageId: unknown, so it is neither re-sent nor counted as sent', async () => {
      smsMock.on(SendTextMessageCommand).resolves({});
      await expect(makeGateway().send(message)).resolves.toEqual({
        kind: 'unknown',
        reason: 'AcceptedWithoutMessageId',
      });
    });

    const cases: [string, Error, SendOutcome][] = [
      [
        'ThrottlingException (per-second limit): retry later',
        new ThrottlingException({ ...meta(429), message: 'Rate exceeded' }),
        { kind: 'retryLater', reason: 'ThrottlingException' },
      ],
      [
        'ServiceQuotaExceededException (monthly spend limit): retry later, the quota named',
        new ServiceQuotaExceededException({
          ...meta(402),
          message: 'Monthly spend limit reached',
          Reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT',
        }),
        { kind: 'retryLater', reason: 'ServiceQuotaExceededException:MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT' },
      ],
      [
        'InternalServerException (5xx): unknown, it may have reached the carrier',
        new InternalServerException({ ...meta(500), message: 'Internal error' }),
        { kind: 'unknown', reason: 'InternalServerException' },
      ],
      [
        'ConflictException DESTINATION_PHONE_NUMBER_OPTED_OUT: rejected, opted out',
        new ConflictException({
          ...meta(409),
          message: 'The destination phone number +14254147755 is opted out',
          Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
          ResourceType: 'opt-out-list',
          ResourceId: 'Default',
        }),
        { kind: 'rejected', reason: 'ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT', optedOut: true },
      ],
      [
        'ConflictException DESTINATION_PHONE_NUMBER_NOT_VERIFIED (sandbox): rejected, not opted out',
        new ConflictException({ ...meta(409), message: 'x', Reason: 'DESTINATION_PHONE_NUMBER_NOT_VERIFIED' }),
        { kind: 'rejected', reason: 'ConflictException:DESTINATION_PHONE_NUMBER_NOT_VERIFIED', optedOut: false },
      ],
      [
        'ConflictException about our configuration (MESSAGE_TYPE_MISMATCH): retry later',
        new ConflictException({ ...meta(409), message: 'x', Reason: 'MESSAGE_TYPE_MISMATCH' }),
        { kind: 'retryLater', reason: 'ConflictException:MESSAGE_TYPE_MISMATCH' },
      ],
      [
        'ValidationException naming the destination: rejected',
        new ValidationException({
          ...meta(400),
          message: "1 validation error detected: Value at 'destinationPhoneNumber' failed to satisfy constraint",
          Reason: 'FIELD_VALIDATION_FAILED',
          Fields: [{ Name: 'DestinationPhoneNumber', Message: 'invalid' }],
        }),
        {
          kind: 'rejected',
          reason: 'ValidationException:FIELD_VALIDATION_FAILED(destinationphonenumber)',
          optedOut: false,
        },
      ],
      [
        'ValidationException for the destination country: rejected',
        new ValidationException({ ...meta(400), message: 'blocked', Reason: 'DESTINATION_COUNTRY_BLOCKED' }),
        { kind: 'rejected', reason: 'ValidationException:DESTINATION_COUNTRY_BLOCKED', optedOut: false },
      ],
      [
        'ValidationException naming the origination identity (misconfigured): retry later',
        new ValidationException({
          ...meta(400),
          message: 'invalid',
          Reason: 'INVALID_PARAMETER',
          Fields: [{ Name: 'OriginationIdentity', Message: 'invalid' }],
        }),
        { kind: 'retryLater', reason: 'ValidationException:INVALID_PARAMETER(originationidentity)' },
      ],
      [
        'ValidationException SENDER_ID_NOT_REGISTERED (configuration): retry later',
        new ValidationException({ ...meta(400), message: 'x', Reason: 'SENDER_ID_NOT_REGISTERED' }),
        { kind: 'retryLater', reason: 'ValidationException:SENDER_ID_NOT_REGISTERED' },
      ],
      [
        'AccessDeniedException (IAM, or the account disabled): retry later, never rejected',
        new AccessDeniedException({ ...meta(403), message: 'not authorized', Reason: 'ACCOUNT_DISABLED' }),
        { kind: 'retryLater', reason: 'AccessDeniedException:ACCOUNT_DISABLED' },
      ],
      [
        'ResourceNotFoundException (configuration set or identity missing): retry later, never rejected',
        new ResourceNotFoundException({
          ...meta(404),
          message: 'not found',
          ResourceType: 'configuration-set',
          ResourceId: 'dev-sms-events',
        }),
        { kind: 'retryLater', reason: 'ResourceNotFoundException:configuration-set' },
      ],
      [
        'an unmodelled 503: unknown',
        new PinpointSMSVoiceV2ServiceException({
          name: 'ServiceUnavailable',
          $fault: 'server',
          ...meta(503),
          message: 'unavailable',
        }),
        { kind: 'unknown', reason: 'ServiceUnavailable:503' },
      ],
      [
        'an unmodelled 400: retry later (refused, nothing sent)',
        new PinpointSMSVoiceV2ServiceException({
          name: 'SomethingNew',
          $fault: 'client',
          ...meta(400),
          message: 'no',
        }),
        { kind: 'retryLater', reason: 'SomethingNew:400' },
      ],
      [
        'a socket timeout after the request left: unknown',
        Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }),
        { kind: 'unknown', reason: 'TimeoutError:ECONNRESET' },
      ],
      [
        'the request timeout: unknown',
        Object.assign(new Error('a request has exceeded the configured 5000 ms requestTimeout.'), {
          name: 'TimeoutError',
          code: 'ETIMEDOUT',
        }),
        { kind: 'unknown', reason: 'TimeoutError:ETIMEDOUT' },
      ],
      [
        'an aborted request: unknown',
        Object.assign(new Error('Request aborted'), { name: 'AbortError' }),
        { kind: 'unknown', reason: 'AbortError' },
      ],
      [
        'connection refused (nothing sent): retry later',
        Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        { kind: 'retryLater', reason: 'Error:ECONNREFUSED' },
      ],
      [
        'DNS failure (nothing sent): retry later',
        Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
        { kind: 'retryLater', reason: 'Error:ENOTFOUND' },
      ],
      [
        'no connection within the connection timeout (nothing sent): retry later',
        Object.assign(
          new Error(
            '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 2000 ms.',
          ),
          { name: 'TimeoutError' },
        ),
        { kind: 'retryLater', reason: 'TimeoutError' },
      ],
      [
        'no credentials (nothing sent): retry later',
        Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }),
        { kind: 'retryLater', reason: 'CredentialsProviderError' },
      ],
    ];

    it.each(cases)('%s', async (_, error, outcome) => {
      // Arrange
      smsMock.on(SendTextMessageCommand).rejects(error);

      // Act
      const result = await makeGateway().send(message);

      // Assert
      expect(result).toEqual(outcome);
      expect(smsMock).toHaveReceivedCommandTimes(SendTextMessageCommand, 1);
    });

    it('never puts the service message (which can repeat the phone number) in the reason', async () => {
      smsMock.on(SendTextMessageCommand).rejects(cases[3]![1]);
      const result = await makeGateway().send(message);
      expect(JSON.stringify(result)).not.toContain('+1425');
    });
  });

  describe('client', () => {
    it('does not retry SendTextMessage on its own, whatever the caller configures', async () => {
      const client = createSmsVoiceClient({ region: 'us-east-1', maxAttempts: 3 });
      await expect(client.config.maxAttempts()).resolves.toBe(1);
      expect(await new EndUserMessagingSmsGateway().client.config.maxAttempts()).toBe(1);
      client.destroy();
    });
  });
});
