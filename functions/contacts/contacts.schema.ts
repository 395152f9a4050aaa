import { z } from 'zod';
import {
  consentEventSchema,
  contactInputSchema,
  contactPatchSchema,
  contactSchema,
  importBodySchema,
  tagSchema,
  tagSummarySchema,
  tagsBodySchema,
} from '../../shared/domain/contacts/contact.schema';
import { pageQuerySchema, pageSchema } from '../../shared/domain/pagination.schema';

/** What the contacts API accepts and answers; the OpenAPI document is generated from these. */
export const createContactBody = contactInputSchema;
export const patchContactBody = contactPatchSchema;
export const importContactsBody = importBodySchema;
export const addTagsBody = tagsBodySchema;
export const listContactsQuery = pageQuerySchema.extend({ tag: tagSchema.optional() });
export const consentQuery = pageQuerySchema;
export const listTagsQuery = pageQuerySchema;
export const contactIdParams = z.object({ id: z.string().min(1).max(64) });
export const tagParams = contactIdParams.extend({ tag: tagSchema });

export const contactResponse = contactSchema;
export const contactPageResponse = pageSchema(contactSchema);
export const consentPageResponse = pageSchema(consentEventSchema);
export const tagPageResponse = pageSchema(tagSummarySchema);
export const importResponse = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(
    z.object({
      index: z.number().int(),
      error: z.object({
        code: z.string(),
        message: z.string(),
        details: z.array(z.object({ path: z.string(), message: z.string() })),
      }),
    }),
  ),
});
