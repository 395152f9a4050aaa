import { z } from 'zod';
import { messageSourceSchema } from '../sending/message-source';

/** What an inbound text was taken as (see classifyInbound). */
export const inboundKindSchema = z.enum(['optOut', 'optIn', 'help', 'revocation', 'reply']);
export type InboundKind = z.infer<typeof inboundKindSchema>;

/** An inbound text as kept: who sent it, its words, what it was taken as and what it answered. */
export const inboundMessageRecordSchema = z.object({
  inboundMessageId: z.string(),
  phone: z.string(),
  /** Our number it was sent to. */
  to: z.string(),
  contactId: z.string().nullable(),
  body: z.string(),
  receivedAt: z.iso.datetime(),
  kind: inboundKindSchema,
  keyword: z.string().nullable(),
  /** The campaign (or workflow step) message it answers, within the attribution window. */
  answers: messageSourceSchema.nullable(),
  state: z.enum(['received', 'done']),
});
export type InboundMessageRecord = z.infer<typeof inboundMessageRecordSchema>;

/** The contact event every inbound message emits (workflows react to it). */
export interface InboundMessageEvent {
  kind: 'inboundMessage';
  tenantId: string;
  contactId: string | null;
  phone: string;
  inboundMessageId: string;
  type: InboundKind;
  keyword: string | null;
  body: string;
  at: string;
  answers: InboundMessageRecord['answers'];
}
