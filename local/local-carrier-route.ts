import { z } from 'zod';
import { CARRIER_FAILURE_TYPES } from '../shared/adapters/local/sms-event-record';
import type { LocalMessaging } from './local-messaging';

/** `POST /local/carrier`: the simulated carrier's blocking control. */
export const carrierControlBody = z.strictObject({
  blockRate: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
  blockReason: z
    .enum(CARRIER_FAILURE_TYPES, `must be one of ${CARRIER_FAILURE_TYPES.join(', ')} (an AWS failure type)`)
    .optional(),
});

/**
 * Makes the simulated carrier fail `blockRate` of the sends it would deliver with the AWS failure type `blockReason`
 * (default `SPAM`), as carriers filtering a sender do; `{"blockRate":0}` ends it. Local only.
 */
export function controlCarrier(messaging: Pick<LocalMessaging, 'carrier'>, body: unknown) {
  const parsed = carrierControlBody.safeParse(body ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: issue.path.length > 0 ? issue.path.join('.') : '(body)',
      message: issue.message,
    }));
    const message = details.map((d) => `${d.path}: ${d.message}`).join('; ');
    return { status: 400, body: { error: { code: 'VALIDATION_FAILED', message, details }, requestId: 'local' } };
  }
  const blockReason = parsed.data.blockReason ?? 'SPAM';
  messaging.carrier.setBlocking(parsed.data.blockRate, blockReason);
  return { status: 200, body: { blockRate: parsed.data.blockRate, blockReason } };
}
