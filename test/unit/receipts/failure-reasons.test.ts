import { SnsSqsNotificationSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import {
  emptyFailureCounts,
  FAILURE_REASONS,
  type FailureReason,
  failureReasonOf,
  failureReasonOfSendError,
} from '../../../shared/domain/receipts/failure-reasons';
import {
  receiptOutcome,
  type SmsEventRecord,
  smsEventRecordSchema,
} from '../../../shared/domain/receipts/sms-event.schema';
import blocked from '../../fixtures/events/sms-event-text-blocked.json';
import carrierBlocked from '../../fixtures/events/sms-event-text-carrier-blocked.json';
import carrierUnreachable from '../../fixtures/events/sms-event-text-carrier-unreachable.json';
import delivered from '../../fixtures/events/sms-event-text-delivered.json';
import invalid from '../../fixtures/events/sms-event-text-invalid.json';
import invalidMessage from '../../fixtures/events/sms-event-text-invalid-message.json';
import pending from '../../fixtures/events/sms-event-text-pending.json';
import protectBlocked from '../../fixtures/events/sms-event-text-protect-blocked.json';
import queued from '../../fixtures/events/sms-event-text-queued.json';
import spam from '../../fixtures/events/sms-event-text-spam.json';
import ttlExpired from '../../fixtures/events/sms-event-text-ttl-expired.json';
import unknown from '../../fixtures/events/sms-event-text-unknown.json';
import unreachable from '../../fixtures/events/sms-event-text-unreachable.json';
import snsSmsEvent from '../../fixtures/events/sns-notification-sms-event.json';

const failures: [SmsEventRecord, FailureReason][] = [
  [invalid, 'invalidNumber'],
  [blocked, 'blocked'],
  [carrierBlocked, 'carrierBlocked'],
  [spam, 'spam'],
  [unreachable, 'unreachable'],
  [carrierUnreachable, 'carrierUnreachable'],
  [ttlExpired, 'ttlExpired'],
  [invalidMessage, 'invalidMessage'],
  [protectBlocked, 'protectBlocked'],
  [unknown, 'unknown'],
];

describe('failureReasonOf', () => {
  it.each(failures.map(([fixture, reason]) => [fixture.eventType, reason, fixture] as const))(
    'maps the %s fixture to %s',
    (_eventType, reason, fixture) => {
      // Act
      const record = smsEventRecordSchema.parse(fixture);

      // Assert
      expect(record.isFinal).toBe(true);
      expect(record.messageStatus).toBe(record.eventType.replace(/^TEXT_/, ''));
      expect(receiptOutcome(record).kind).toBe('failed');
      expect(failureReasonOf(record.eventType)).toBe(reason);
    },
  );

  it.each(
    failures
      .filter(([fixture]) => fixture !== carrierUnreachable)
      .map(([fixture]) => [fixture.eventType, fixture] as const),
  )('shares the delivered message id and context in the %s fixture', (_eventType, fixture) => {
    // Assert
    expect(fixture.messageId).toBe(delivered.messageId);
    expect(fixture.context).toEqual(delivered.context);
  });

  it('covers every category with exactly one failure fixture', () => {
    // Assert
    expect(failures.map(([, reason]) => reason).sort()).toEqual([...FAILURE_REASONS].sort());
  });

  it.each([
    ['TEXT_QUEUED', queued],
    ['TEXT_PENDING', pending],
  ])('reads the %s fixture as progress', (eventType, fixture) => {
    // Act
    const record = smsEventRecordSchema.parse(fixture);

    // Assert
    expect(record.eventType).toBe(eventType);
    expect(record.isFinal).toBe(false);
    expect(record.messageId).toBe(delivered.messageId);
    expect(receiptOutcome(record).kind).toBe('progress');
  });

  it.each(['TEXT_UNKNOWN', 'TEXT_SOMETHING_NEW', '', 'text_invalid', 'constructor', 'toString'])(
    'maps %j to unknown',
    (eventType) => {
      // Assert
      expect(failureReasonOf(eventType)).toBe('unknown');
    },
  );

  it('unwraps the SNS notification SQS delivers into the delivered record', () => {
    // Act
    const notification = SnsSqsNotificationSchema.parse(snsSmsEvent);
    const record = smsEventRecordSchema.parse(JSON.parse(notification.Message));

    // Assert
    expect(record).toEqual(delivered);
    expect(receiptOutcome(record).kind).toBe('delivered');
  });
});

describe('emptyFailureCounts', () => {
  it('has every category at zero, in a fresh object each time', () => {
    // Act
    const counts = emptyFailureCounts();
    counts.spam += 1;

    // Assert
    expect(Object.keys(counts).sort()).toEqual([...FAILURE_REASONS].sort());
    expect(emptyFailureCounts()).toEqual(Object.fromEntries(FAILURE_REASONS.map((reason) => [reason, 0])));
  });
});

describe('failureReasonOfSendError', () => {
  it.each<[string, FailureReason]>([
    ['ValidationException: INVALID_PARAMETER destinationPhoneNumber is not a valid phone number', 'invalidNumber'],
    ['ValidationException:INVALID_PARAMETER(destinationphonenumber)', 'invalidNumber'],
    ['ValidationException:FIELD_VALIDATION_FAILED(destinationphonenumber)', 'invalidNumber'],
    ['ValidationException:CANNOT_PARSE', 'invalidNumber'],
    ['ValidationException:COUNTRY_CODE_MISMATCH', 'invalidNumber'],
    ['Invalid phone number', 'invalidNumber'],
    ['ValidationException:DESTINATION_COUNTRY_BLOCKED', 'blocked'],
    ['ConflictException: DESTINATION_PHONE_NUMBER_OPTED_OUT', 'blocked'],
    ['ConflictException:DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE', 'protectBlocked'],
    ['ConflictException:DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION', 'protectBlocked'],
    ['ValidationException:INVALID_PARAMETER(messagebody)', 'invalidMessage'],
    ['ValidationException:MAXIMUM_SIZE_EXCEEDED', 'invalidMessage'],
    ['ValidationException: MESSAGE body is empty', 'invalidMessage'],
    ['ConflictException:KEYWORD_MISMATCH', 'invalidMessage'],
    ['ValidationException: DESTINATION_PHONE_NUMBER_NOT_VERIFIED', 'unknown'],
    ['ConflictException:DESTINATION_PHONE_NUMBER_NOT_VERIFIED', 'unknown'],
    ['ValidationException:PRICE_OVER_THRESHOLD', 'unknown'],
    ['AcceptedWithoutMessageId', 'unknown'],
    ['InternalServerException', 'unknown'],
    ['', 'unknown'],
  ])('maps %j to %s', (reason, expected) => {
    // Assert
    expect(failureReasonOfSendError(reason)).toBe(expected);
  });
});
