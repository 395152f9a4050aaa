import { randomUUID } from 'node:crypto';
import { parsePhoneNumber } from '../shared/domain/phone/phone-number';
import type { Clock } from '../shared/ports/clock.port';
import type { LocalMessaging } from './local-messaging';

type LocalResponse = { status: number; body: unknown };

const invalid = (path: string, message: string, status = 400): LocalResponse => ({
  status,
  body: { error: { code: 'VALIDATION_FAILED', message: `${path}: ${message}`, details: [{ path, message }] } },
});

/** Wraps a two-way payload the way the number's SNS topic hands it to the inbound queue. */
function snsNotification(payload: unknown, clock: Clock) {
  return {
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: 'arn:aws:sns:us-east-1:000000000000:local-inbound-messages',
    Message: JSON.stringify(payload),
    Timestamp: clock.now().toISOString(),
  };
}

/** `POST /local/inbound-raw`: one two-way SMS payload (or an array), exactly as AWS publishes it. */
export async function postInboundRaw(messaging: LocalMessaging, body: unknown, clock: Clock): Promise<LocalResponse> {
  const payloads = Array.isArray(body) ? body : [body];
  if (payloads.length === 0 || payloads.some((p) => typeof p !== 'object' || p === null || Array.isArray(p))) {
    return invalid('(body)', 'must be a two-way SMS payload or an array of them');
  }
  await messaging.queue.sendMessages(
    'inbound',
    payloads.map((payload) => ({ body: snsNotification(payload, clock) })),
  );
  return { status: 202, body: { accepted: payloads.length } };
}

/**
 * `POST /local/inbound` `{from, body, to?}`: a person texting the tenant's number. Like the carrier,
 * it names the last message sent to that phone (`previousPublishedMessageId`) and, without `to`,
 * answers the number that message came from.
 */
export async function postInboundText(messaging: LocalMessaging, body: unknown, clock: Clock): Promise<LocalResponse> {
  const input = (body ?? {}) as { from?: unknown; body?: unknown; to?: unknown };
  if (typeof input.from !== 'string') return invalid('from', 'must be the sender phone number');
  const from = parsePhoneNumber(input.from, 'US');
  if (!from.ok) return invalid('from', from.reason);
  if (typeof input.body !== 'string' || input.body.length > 1600) return invalid('body', 'must be text (at most 1600)');
  if (input.to !== undefined && typeof input.to !== 'string') return invalid('to', 'must be a phone number');
  const last = messaging.carrier
    .outbox({ to: from.e164, limit: 50 })
    .find((message) => input.to === undefined || message.from === input.to);
  const to = (input.to as string | undefined) ?? last?.from;
  if (!to) return invalid('to', 'nothing was sent to this phone yet: name the number texted', 422);
  const payload = {
    originationNumber: from.e164,
    destinationNumber: to,
    messageKeyword: '',
    messageBody: input.body,
    inboundMessageId: randomUUID(),
    previousPublishedMessageId: last?.messageId ?? null,
  };
  await messaging.queue.sendMessages('inbound', [{ body: snsNotification(payload, clock) }]);
  return { status: 202, body: { accepted: 1, inboundMessageId: payload.inboundMessageId } };
}
