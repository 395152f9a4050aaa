import { z } from 'zod';
import { audienceSchema } from '../../shared/domain/audience/audience.schema';
import { refineBodyWithinSegmentBound } from '../../shared/domain/sms/segment-limit';
import { contentWarningSchema, messageAnalysisSchema, messageTypeSchema } from '../../shared/domain/sms/sms.schema';

/** Body of `POST /v1/sms/preview`: a draft, personalised for a contact or priced over an audience. */
export const smsPreviewBody = z
  .object({
    body: z.string().min(1, 'must not be empty').superRefine(refineBodyWithinSegmentBound),
    contactId: z.string().min(1).max(64).optional(),
    audience: audienceSchema.optional(),
    messageType: messageTypeSchema.optional(),
    applyReplacements: z.boolean().optional(),
    trackLinks: z.boolean().optional().meta({
      description:
        'Count each link as the short link it will be sent as (a 12-character code stands in for the code); the tenant setting when left out',
    }),
  })
  .strict()
  .refine((b) => !(b.contactId !== undefined && b.audience !== undefined), {
    message: 'give either contactId or audience, not both',
    path: ['audience'],
  });

export const smsPreviewResponse = messageAnalysisSchema.extend({
  finalBody: z.string(),
  warnings: z.array(contentWarningSchema),
  worstCase: z.object({ segments: z.number().int(), contacts: z.number().int() }).optional(),
  estimatedSegments: z.number().int().optional(),
});
