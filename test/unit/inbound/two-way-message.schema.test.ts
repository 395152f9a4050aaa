import { SnsSqsNotificationSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { classifyInbound } from '../../../shared/domain/inbound/inbound-keywords';
import { twoWayMessageSchema } from '../../../shared/domain/inbound/two-way-message.schema';
import helpFixture from '../../fixtures/events/inbound-two-way-help.json';
import replyFixture from '../../fixtures/events/inbound-two-way-reply.json';
import stopFixture from '../../fixtures/events/inbound-two-way-stop.json';
import snsInbound from '../../fixtures/events/sns-notification-inbound.json';

describe('twoWayMessageSchema', () => {
  it.each([
    ['stop', stopFixture, 'optOut'],
    ['reply', replyFixture, 'reply'],
    ['help', helpFixture, 'help'],
  ])('parses the %s fixture', (_name, fixture, kind) => {
    // Act
    const message = twoWayMessageSchema.parse(fixture);

    // Assert
    expect(message).toEqual(fixture);
    expect(classifyInbound(message.messageBody, 'opted_in').kind).toBe(kind);
  });

  it('parses the Message of the SNS notification that SQS delivers', () => {
    // Act
    const notification = SnsSqsNotificationSchema.parse(snsInbound);
    const message = twoWayMessageSchema.parse(JSON.parse(notification.Message));

    // Assert
    expect(message).toEqual(replyFixture);
  });

  it('keeps fields it does not know', () => {
    // Act
    const message = twoWayMessageSchema.parse({ ...replyFixture, carrierName: 'Example Wireless' });

    // Assert
    expect(message).toMatchObject({ carrierName: 'Example Wireless' });
  });

  it('accepts an empty body and a missing or null previousPublishedMessageId and keyword', () => {
    // Arrange
    const { previousPublishedMessageId: _previous, messageKeyword: _keyword, ...rest } = replyFixture;

    // Assert
    expect(twoWayMessageSchema.safeParse({ ...rest, messageBody: '' }).success).toBe(true);
    expect(twoWayMessageSchema.safeParse({ ...replyFixture, previousPublishedMessageId: null }).success).toBe(true);
  });

  it.each(['originationNumber', 'destinationNumber', 'messageBody', 'inboundMessageId'] as const)(
    'rejects a message without %s, naming the field',
    (field) => {
      // Arrange
      const { [field]: _removed, ...rest } = replyFixture;

      // Act
      const result = twoWayMessageSchema.safeParse(rest);

      // Assert
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path)).toEqual([[field]]);
    },
  );

  it.each([
    ['originationNumber', '4254147755'],
    ['originationNumber', '+0425'],
    ['inboundMessageId', ''],
    ['messageBody', 42],
  ])('rejects %s = %j, naming the field', (field, value) => {
    // Act
    const result = twoWayMessageSchema.safeParse({ ...replyFixture, [field]: value });

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([[field]]);
  });
});
