import { z } from 'zod';

export const smsEncodingSchema = z.enum(['GSM-7', 'UCS-2']);

/** Promotional messages carry the opt-out duties; transactional ones (reminders, receipts) do not. */
export const messageTypeSchema = z.enum(['PROMOTIONAL', 'TRANSACTIONAL']);
export type MessageType = z.infer<typeof messageTypeSchema>;

/** The contact fields a template can read. */
export const templateContactSchema = z.object({
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type TemplateContact = z.infer<typeof templateContactSchema>;

/** The tenant's opt-out settings that decide the automatic footer. */
export const optOutSettingsSchema = z.object({
  autoAppendOptOut: z.boolean(),
  optOutText: z.string(),
});
export type OptOutSettings = z.infer<typeof optOutSettingsSchema>;

/** A character that forces UCS-2, where it is, and the GSM-7 text that could stand in for it. */
export const nonGsmCharacterSchema = z.object({
  char: z.string(),
  /** UTF-16 offset into the analysed text. */
  position: z.number().int().nonnegative(),
  /** Code points, e.g. `U+2019`, so invisible characters (non-breaking space) can be shown. */
  unicode: z.string(),
  replacement: z.string().nullable(),
});
export type NonGsmCharacter = z.infer<typeof nonGsmCharacterSchema>;

/** A replacement that was applied on request; `position` is the offset in the text before replacement. */
export const appliedReplacementSchema = z.object({
  char: z.string(),
  position: z.number().int().nonnegative(),
  replacement: z.string(),
});
export type AppliedReplacement = z.infer<typeof appliedReplacementSchema>;

/** The live counter's report for one text. */
export const messageAnalysisSchema = z.object({
  /** The analysed text: the input, or the input with replacements applied when asked. */
  text: z.string(),
  encoding: smsEncodingSchema,
  segments: z.number().int().nonnegative(),
  /** User-perceived characters (grapheme clusters). */
  characters: z.number().int().nonnegative(),
  /** Septets for GSM-7 (extension characters cost two), UTF-16 code units for UCS-2. */
  units: z.number().int().nonnegative(),
  unitsPerSegment: z.number().int().positive(),
  remainingInSegment: z.number().int().nonnegative(),
  nonGsmCharacters: z.array(nonGsmCharacterSchema),
  appliedReplacements: z.array(appliedReplacementSchema),
});
export type MessageAnalysis = z.infer<typeof messageAnalysisSchema>;

/** Stable codes of the content warnings; clients may switch on them. */
export const contentWarningCodeSchema = z.enum([
  'BUSINESS_NOT_NAMED',
  'MULTIPLE_CTAS',
  'MISSING_OPT_OUT',
  'MULTIPLE_PERSONALIZATION',
  'MULTI_SEGMENT',
  'UCS2_CHARACTER',
  'ALL_CAPS',
  'LINK_SHORTENER',
]);
export type ContentWarningCode = z.infer<typeof contentWarningCodeSchema>;

export const contentWarningSchema = z.object({
  code: contentWarningCodeSchema,
  message: z.string(),
});
export type ContentWarning = z.infer<typeof contentWarningSchema>;
