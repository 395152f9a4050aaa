import {
  PinpointSMSVoiceV2Client,
  type PinpointSMSVoiceV2ClientConfig,
  SendTextMessageCommand,
  type SendTextMessageCommandInput,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { OutboundSms, SendOutcome, SmsGateway } from '../../ports/sms-gateway.port';

/**
 * The SMS client for {@link EndUserMessagingSmsGateway}: no automatic retries (`maxAttempts: 1`).
 *
 * The SDK's standard retry strategy re-sends after 5xx responses, timeouts and dropped
 * connections. For SendTextMessage those are exactly the failures where the first request may
 * already have reached the carrier, so a retry can text the contact twice (invariant 1: at most
 * one message per contact per campaign). Throttling, the one failure that is safe to repeat, is
 * retried by our own pipeline (SQS redelivery, paced to the origination identity's budget), so
 * the SDK has nothing left worth retrying.
 *
 * A connection timeout bounds a dead endpoint, and the request timeout throws (instead of only
 * warning) so a hung request ends as `unknown` within the function's time rather than a timeout
 * of the whole batch.
 */
export function createSmsVoiceClient(config: PinpointSMSVoiceV2ClientConfig = {}): PinpointSMSVoiceV2Client {
  return new PinpointSMSVoiceV2Client({
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
    ...config,
    maxAttempts: 1,
  });
}

export interface EndUserMessagingSmsGatewayOptions {
  /** Defaults to {@link createSmsVoiceClient}; a client passed in must not retry SendTextMessage either. */
  client?: PinpointSMSVoiceV2Client;
  /** Used when a message names no configuration set, so every send reports its events. */
  defaultConfigurationSetName?: string;
}

/** Conflicts that concern the recipient, not our configuration: the send is refused for good. */
const recipientConflicts = new Set([
  'DESTINATION_PHONE_NUMBER_NOT_VERIFIED',
  'DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE',
  'DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION',
]);

/** Validation failures caused by this message's destination or content. */
const messageValidationReasons = new Set([
  'CANNOT_PARSE',
  'COUNTRY_CODE_MISMATCH',
  'COUNTRY_NOT_ENABLED',
  'DESTINATION_COUNTRY_BLOCKED',
  'INTERNATIONAL_SENDING_NOT_SUPPORTED',
  'INVALID_IDENTITY_FOR_DESTINATION_COUNTRY',
  'MAXIMUM_SIZE_EXCEEDED',
  'PRICE_OVER_THRESHOLD',
]);

/** Request fields that differ per message; a validation error naming them is the message's fault. */
const messageFields = ['destinationphonenumber', 'messagebody'];
/** Request fields that come from configuration; a validation error naming them is ours. */
const configurationFields = ['originationidentity', 'configurationsetname', 'context'];

/** Network failures that happen before a connection exists, so nothing reached the service. */
const neverConnectedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

interface AwsErrorShape {
  name: string;
  message?: string;
  code?: string;
  Reason?: string;
  ResourceType?: string;
  Fields?: { Name?: string }[];
  $metadata?: { httpStatusCode?: number };
}

/**
 * The {@link SmsGateway} port on AWS End User Messaging SMS (`SendTextMessage`), turning every
 * answer into the outcome the ledger records. The question behind each mapping is "can this
 * message have reached the carrier, and is the failure the recipient's or ours?":
 *
 * - A 5xx, a timeout or a broken connection after the request left means it may have been
 *   delivered: `unknown`, never re-sent automatically. A failure before any connection existed
 *   (DNS, connection refused or not established, no credentials) sent nothing: `retryLater`.
 * - Per-second throttling is refused before sending: `retryLater`; the pipeline backs off.
 * - `ServiceQuotaExceededException` (monthly spend limit, daily limits) is also a refusal before
 *   sending and safe to repeat, but not soon. It is `retryLater` with the quota in the reason
 *   so the pipeline can pause the campaign: marking recipients `rejected` would throw the
 *   whole remaining audience away because of an account limit.
 * - Opted out at the carrier level (`ConflictException` `DESTINATION_PHONE_NUMBER_OPTED_OUT`):
 *   `rejected` with `optedOut`, so the contact's consent is updated too.
 * - A destination or content problem (invalid number, blocked country, too long):
 *   `rejected`, never retried.
 * - `AccessDeniedException`, `ResourceNotFoundException` and configuration conflicts or
 *   validation errors (unknown configuration set or origination identity, unregistered sender,
 *   disabled account) are ours, not the recipient's, and hit every message alike: `retryLater`,
 *   with the cause in the reason, so the pipeline can back off or pause the campaign instead of
 *   burning through the audience marking everyone rejected. Once fixed, the same messages go out.
 *
 * Reasons are `ErrorName` or `ErrorName:REASON` (plus the field for validation errors), never
 * the service's message text, which can repeat the phone number.
 */
export class EndUserMessagingSmsGateway implements SmsGateway {
  readonly client: PinpointSMSVoiceV2Client;
  private readonly defaultConfigurationSetName: string | undefined;

  constructor(options: EndUserMessagingSmsGatewayOptions = {}) {
    this.client = options.client ?? createSmsVoiceClient();
    this.defaultConfigurationSetName = options.defaultConfigurationSetName;
  }

  async send(message: OutboundSms): Promise<SendOutcome> {
    const input: SendTextMessageCommandInput = {
      DestinationPhoneNumber: message.destinationPhoneNumber,
      MessageBody: message.messageBody,
      MessageType: message.messageType,
      Context: message.context,
    };
    if (message.originationIdentity !== null) input.OriginationIdentity = message.originationIdentity;
    const configurationSetName = message.configurationSetName ?? this.defaultConfigurationSetName;
    if (configurationSetName !== undefined) input.ConfigurationSetName = configurationSetName;

    try {
      const { MessageId } = await this.client.send(new SendTextMessageCommand(input));
      // Accepted, yet without an id the receipts cannot be matched: record it, never re-send it.
      if (!MessageId) return { kind: 'unknown', reason: 'AcceptedWithoutMessageId' };
      return { kind: 'sent', messageId: MessageId };
    } catch (error) {
      return classifySendError(error);
    }
  }
}

/** Maps a SendTextMessage failure to an outcome; see {@link EndUserMessagingSmsGateway}. */
export function classifySendError(error: unknown): SendOutcome {
  const shape: AwsErrorShape =
    error instanceof Error ? (error as Error & AwsErrorShape) : { name: 'NonError', message: String(error) };
  const reason = shape.Reason ? `${shape.name}:${shape.Reason}` : shape.name;
  const status = shape.$metadata?.httpStatusCode;

  switch (shape.name) {
    case 'InternalServerException':
      return { kind: 'unknown', reason };
    case 'ThrottlingException':
    case 'ServiceQuotaExceededException':
    case 'AccessDeniedException':
      return { kind: 'retryLater', reason };
    case 'ResourceNotFoundException':
      return { kind: 'retryLater', reason: shape.ResourceType ? `${shape.name}:${shape.ResourceType}` : reason };
    case 'ConflictException':
      if (shape.Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT') return { kind: 'rejected', reason, optedOut: true };
      if (shape.Reason && recipientConflicts.has(shape.Reason)) return { kind: 'rejected', reason, optedOut: false };
      return { kind: 'retryLater', reason };
    case 'ValidationException':
      return classifyValidationError(shape, reason);
  }

  if (status !== undefined) {
    // Any other answer from the service: a 4xx refused the request, anything else may have sent it.
    if (status >= 400 && status < 500) return { kind: 'retryLater', reason: `${reason}:${status}` };
    return { kind: 'unknown', reason: `${reason}:${status}` };
  }
  if (
    (shape.code !== undefined && neverConnectedCodes.has(shape.code)) ||
    shape.name === 'CredentialsProviderError' ||
    (shape.name === 'TimeoutError' && /did not establish a connection/.test(shape.message ?? ''))
  ) {
    return { kind: 'retryLater', reason: shape.code ? `${shape.name}:${shape.code}` : shape.name };
  }
  // Timeouts, resets and aborts once connected: the request may have been delivered.
  return { kind: 'unknown', reason: shape.code ? `${shape.name}:${shape.code}` : shape.name };
}

function classifyValidationError(shape: AwsErrorShape, reason: string): SendOutcome {
  const fields = (shape.Fields ?? []).map((field) => (field.Name ?? '').toLowerCase());
  const message = (shape.message ?? '').toLowerCase();
  // Field names are matched in `Fields` and, compound words only, in the message text
  // ("Value at 'destinationPhoneNumber' failed to satisfy constraint ...").
  const names = (candidates: string[]) =>
    candidates.find(
      (candidate) =>
        fields.some((field) => field.includes(candidate)) || (candidate !== 'context' && message.includes(candidate)),
    );

  const configurationField = names(configurationFields);
  if (configurationField) return { kind: 'retryLater', reason: `${reason}(${configurationField})` };
  const messageField = names(messageFields);
  if (messageField) return { kind: 'rejected', reason: `${reason}(${messageField})`, optedOut: false };
  if (shape.Reason && messageValidationReasons.has(shape.Reason)) return { kind: 'rejected', reason, optedOut: false };
  // Unrecognised: most likely our request or configuration (registration, sender id, channel),
  // which would fail every message alike. Retrying costs a few calls; rejecting would silently
  // drop the rest of the audience.
  return { kind: 'retryLater', reason };
}
