import { z } from 'zod';
import { audienceSchema } from '../../shared/domain/audience/audience.schema';
import { contactSchema } from '../../shared/domain/contacts/contact.schema';
import { messageTypeSchema } from '../../shared/domain/sms/sms.schema';

/** Body of `POST /v1/audiences/preview`. */
export const audiencePreviewBody = z
  .object({ audience: audienceSchema, messageType: messageTypeSchema.optional() })
  .strict();

export const audiencePreviewResponse = z.object({
  matched: z.number().int(),
  eligible: z.number().int(),
  excluded: z.object({
    optedOut: z.number().int(),
    noConsent: z.number().int(),
    invalidPhone: z.number().int(),
    frequencyCapped: z.number().int(),
  }),
  sample: z.array(contactSchema),
});
