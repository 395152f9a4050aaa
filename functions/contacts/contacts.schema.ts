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
import { conversationMessageSchema, conversationSchema } from '../../shared/domain/conversations/conversation-message';
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

/** `GET /v1/contacts/{id}/messages`: oldest first by default; `order=desc` reads from the latest back. */
export const contactMessagesQuery = pageQuerySchema.extend({
  order: z
    .enum(['asc', 'desc'], 'must be asc (oldest first) or desc (latest first)')
    .default('asc')
    .meta({ description: 'asc: oldest first (default); desc: latest first' }),
});
export const contactMessagesResponse = pageSchema(conversationMessageSchema);
export const conversationsQuery = pageQuerySchema;
export const conversationsResponse = pageSchema(conversationSchema);
export const conversationParams = z.object({ contactId: z.string().min(1).max(64) });
export const conversationReadResponse = z.object({
  contactId: z.string(),
  unread: z.literal(0),
  lastReadAt: z.iso.datetime().meta({ description: 'Texts received after this count as unread again' }),
});
