import { z } from 'zod';

const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 phone number');

/**
 * An inbound SMS as AWS End User Messaging SMS publishes it to the two-way SNS topic (the SNS `Message` field is
 * this JSON). Only what the system relies on is required; other fields pass through so a field AWS adds later
 * never makes a reply, or an opt-out, fail to parse.
 *
 * - `originationNumber`: the sender, i.e. our contact, in E.164.
 * - `destinationNumber`: our number the message was sent to (kept as given: long code, toll-free or short code).
 * - `messageKeyword`: the keyword registered on our number that AWS matched, when there is one.
 * - `messageBody`: the text as sent; it can be empty.
 * - `inboundMessageId`: AWS's id for the inbound message, the key for handling each one once.
 * - `previousPublishedMessageId`: the id of the message being answered, when AWS knows it.
 */
export const twoWayMessageSchema = z.looseObject({
  originationNumber: e164,
  destinationNumber: z.string().min(1),
  messageKeyword: z.string().optional(),
  messageBody: z.string(),
  inboundMessageId: z.string().min(1),
  previousPublishedMessageId: z.string().nullish(),
});
export type TwoWayMessage = z.infer<typeof twoWayMessageSchema>;
