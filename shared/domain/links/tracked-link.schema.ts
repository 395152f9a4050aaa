import { z } from 'zod';

/** Where a tracked link was sent: a campaign's text to one recipient, or a workflow's `send_sms` step. */
export const linkSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('campaign'), campaignId: z.string(), variant: z.number().int().optional() }),
  z.object({ kind: z.literal('workflow'), workflowId: z.string(), enrollmentId: z.string(), stepId: z.string() }),
]);
export type LinkSource = z.infer<typeof linkSourceSchema>;

/**
 * One short link: unique to a recipient and a message. The code is the only key (the redirect knows nothing else);
 * the tenant, the contact and the source say whose click it is, and every write a click makes is keyed by them.
 */
export const trackedLinkSchema = z.object({
  code: z.string(),
  tenantId: z.string(),
  contactId: z.string(),
  source: linkSourceSchema,
  /** Position of the link among the message's links (results per link). */
  index: z.number().int().min(0),
  url: z.string(),
  /** When the text carrying it was handed to the carrier (the scanner window starts here without a receipt). */
  sentAt: z.iso.datetime(),
  /** After this the code is unknown (the tenant's retention; DynamoDB TTL removes the item on AWS). */
  validUntil: z.iso.datetime(),
});
export type TrackedLink = z.infer<typeof trackedLinkSchema>;

/** What a short code looks like: base64url, so it is URL-safe and every character is in GSM-7. */
export const SHORT_CODE = /^[A-Za-z0-9_-]{12}$/;

/** How long links live when the tenant has not said. */
export const DEFAULT_LINK_RETENTION_DAYS = 90;
