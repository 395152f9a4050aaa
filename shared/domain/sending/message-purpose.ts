import type { MessageType } from '../sms/sms.schema';

/**
 * Whether a message is marketing, the kind Invariant 3 binds to the tenant's send window. Promotional messages are;
 * transactional ones (appointment reminders, receipts, replies) are not, because their value is in their timing.
 * They still keep to the legal quiet hours: see `checkSendTime`.
 */
export function isMarketing(messageType: MessageType): boolean {
  return messageType === 'PROMOTIONAL';
}
