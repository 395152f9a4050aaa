import { z } from 'zod';
import { timeZoneSchema } from '../settings/settings.schema';

/**
 * Tags are user labels; they end up in index keys, so control characters (Unicode's Cc: U+0000-U+001F and
 * U+007F-U+009F) are refused. Written without a regex flag, so the OpenAPI document carries it as a valid pattern.
 */
export const tagSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are exactly what it refuses.
  .regex(/^[^\u0000-\u001F\u007F-\u009F]+$/, 'must not contain control characters');

/** A tag of the tenant and how many contacts carry it now (`GET /v1/tags`). */
export const tagSummarySchema = z.object({ tag: tagSchema, contacts: z.number().int().min(0) });
export type TagSummary = z.infer<typeof tagSummarySchema>;

export const tagListSchema = z
  .array(tagSchema)
  .max(100, 'a contact can carry at most 100 tags')
  .transform((tags) => [...new Set(tags)]);

/** Custom field names are used in templates (`{{contact.appointmentAt}}`), so they are identifiers. */
export const customFieldNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must start with a letter and use letters, digits or _ (at most 64)');

export const customFieldValueSchema = z.union([z.string().max(1000), z.number().finite(), z.boolean()]);

export const customFieldsSchema = z
  .record(customFieldNameSchema, customFieldValueSchema)
  .refine((fields) => Object.keys(fields).length <= 50, 'at most 50 custom fields');

const nameSchema = z.string().trim().max(100).nullable();
const emailSchema = z.email('must be an email address').max(254).nullable();

export const consentStatusSchema = z.enum(['opted_in', 'opted_out', 'unknown']);
export type ConsentStatus = z.infer<typeof consentStatusSchema>;

export const consentSourceSchema = z.enum(['api', 'import', 'form', 'inbound_keyword', 'carrier', 'suppression_list']);
export type ConsentSource = z.infer<typeof consentSourceSchema>;

export const smsConsentSchema = z.object({
  status: consentStatusSchema,
  source: consentSourceSchema,
  at: z.iso.datetime(),
});
export type SmsConsent = z.infer<typeof smsConsentSchema>;

/** A contact as stored and returned by the API. */
export const contactSchema = z.object({
  id: z.string(),
  phone: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  tags: z.array(z.string()),
  timeZone: z.string(),
  customFields: z.record(z.string(), customFieldValueSchema),
  smsConsent: smsConsentSchema,
  /** When the contact last texted in (any inbound message, keywords included). */
  lastInboundAt: z.iso.datetime().nullable().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Contact = z.infer<typeof contactSchema>;

/** One entry of a contact's consent history: every change, with where it came from. */
export const consentEventSchema = z.object({
  status: consentStatusSchema,
  source: consentSourceSchema,
  at: z.iso.datetime(),
  note: z.string().optional(),
  /** A free-text message read as "stop texting me": acted on, and for a person to review. */
  flaggedForReview: z.boolean().optional(),
});
export type ConsentEvent = z.infer<typeof consentEventSchema>;

/** Body of `POST /v1/contacts` and of each row of an import. */
export const contactInputSchema = z
  .object({
    phone: z.string().min(1, 'is required').max(64),
    firstName: nameSchema.optional(),
    lastName: nameSchema.optional(),
    email: emailSchema.optional(),
    tags: tagListSchema.optional(),
    timeZone: timeZoneSchema.optional(),
    customFields: customFieldsSchema.optional(),
    smsConsent: z.enum(['opted_in', 'unknown']).optional(),
  })
  .strict();
export type ContactInput = z.infer<typeof contactInputSchema>;

/** Body of `PATCH /v1/contacts/{id}`: `null` clears a field; a custom field set to `null` is removed. */
export const contactPatchSchema = z
  .object({
    phone: z.string().min(1).max(64),
    firstName: nameSchema,
    lastName: nameSchema,
    email: emailSchema,
    tags: tagListSchema,
    timeZone: timeZoneSchema,
    customFields: z.record(customFieldNameSchema, customFieldValueSchema.nullable()),
    smsConsent: z.enum(['opted_in', 'opted_out']),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');
export type ContactPatch = z.infer<typeof contactPatchSchema>;

export const MAX_IMPORT_ROWS = 1000;

export const importBodySchema = z
  .object({
    contacts: z
      .array(z.unknown())
      .min(1, 'must hold at least one contact')
      .max(MAX_IMPORT_ROWS, `must hold at most ${MAX_IMPORT_ROWS} contacts per call`),
  })
  .strict();

export const tagsBodySchema = z.object({ tags: tagListSchema.refine((t) => t.length > 0, 'must name a tag') }).strict();
