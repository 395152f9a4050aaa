import { z } from 'zod';
import { contactEventSchema } from '../contacts/contact-events';
import { inboundKindSchema } from '../inbound/inbound-message';
import { linkClickedEventSchema } from '../links/link-clicked-event';
import { messageSourceSchema } from '../sending/message-source';

/** The inbound processor's event (see `InboundMessageEvent`), read back from the queue. */
export const inboundMessageEventSchema = z.object({
  kind: z.literal('inboundMessage'),
  tenantId: z.string().min(1),
  contactId: z.string().nullable(),
  phone: z.string(),
  inboundMessageId: z.string(),
  type: inboundKindSchema,
  keyword: z.string().nullable(),
  body: z.string(),
  at: z.iso.datetime(),
  answers: messageSourceSchema.nullable(),
});

/** Everything the `events` queue carries: contact changes, inbound texts and clicks on tracked links. */
export const workflowEventSchema = z.union([contactEventSchema, inboundMessageEventSchema, linkClickedEventSchema]);
export type WorkflowEvent = z.infer<typeof workflowEventSchema>;
export type InboundMessageEventBody = z.infer<typeof inboundMessageEventSchema>;
