import { z } from 'zod';

/**
 * A recipient's place in a campaign. `queued`/`deferred` wait for a worker; `sending` is claimed
 * (a crash leaves it there: ambiguous, never re-sent automatically); `sent`/`unknown` were handed
 * (or maybe handed) to the carrier; `delivered`/`failed` come from receipts; `skipped` and
 * `cancelled` never went out.
 */
export const ledgerStatusSchema = z.enum([
  'queued',
  'deferred',
  'sending',
  'sent',
  'unknown',
  'delivered',
  'failed',
  'skipped',
  'cancelled',
]);
export type LedgerStatus = z.infer<typeof ledgerStatusSchema>;

export const ledgerEntrySchema = z.object({
  campaignId: z.string(),
  contactId: z.string(),
  phone: z.string(),
  status: ledgerStatusSchema,
  /** Why it was skipped, cancelled or failed; for failures a category of failure-reasons. */
  reason: z.string().optional(),
  /** The carrier's own words for a failure (status description or rejection), for support. */
  detail: z.string().optional(),
  segments: z.number().int().optional(),
  /** The text as it went to this recipient (personalised, links shortened): shown in the contact's conversation. */
  body: z.string().optional(),
  messageId: z.string().optional(),
  /** When a worker claimed the entry (`sending`): a claim far older than a worker can run was abandoned. */
  claimedAt: z.iso.datetime().optional(),
  /** When this recipient's send was counted against the frequency cap (a retry after throttling is not counted again). */
  capCountedAt: z.iso.datetime().optional(),
  /** For a recipient-time-zone schedule or a quiet-hours deferral: not before this instant. */
  notBefore: z.iso.datetime().optional(),
  queuedAt: z.iso.datetime(),
  sentAt: z.iso.datetime().optional(),
  deliveredAt: z.iso.datetime().optional(),
  repliedAt: z.iso.datetime().optional(),
  /** The first reply's text (kept for the campaign's responders). */
  replyText: z.string().optional(),
  /** When the recipient opted out in answer to this campaign. */
  optedOutAt: z.iso.datetime().optional(),
  /** Set once the recipient was held back by the send window (counted as `quietHoursDeferred` once). */
  windowDeferred: z.boolean().optional(),
  /** Which final receipt decided `delivered`/`failed` (event time, then type): a later-ranked one may overrule it. */
  finalRank: z.string().optional(),
  /** The carrier's price for the message (price + carrier fee, USD) and its parts, from the final receipt. */
  priceUsd: z.number().optional(),
  /** What the send cost by the tenant's prices (segments x price per segment for its country), tenant currency. */
  cost: z.number().optional(),
  /** The recipient's tags when the campaign launched (results by tag). */
  tags: z.array(z.string()).optional(),
  /** A person's clicks on the text's tracked links (scanners and previewers not counted), and when the first was. */
  clicks: z.number().int().optional(),
  clickedAt: z.iso.datetime().optional(),
  /** The A/B variant (its position) this recipient gets, fixed at launch. */
  variant: z.number().int().min(0).optional(),
  /** Test-then-winner: in the test share (a test variant) or the remainder (the winner), fixed at launch. */
  abGroup: z.enum(['test', 'remainder']).optional(),
  /** Counted clicks by link (its position among the text's links). */
  linkClicks: z.record(z.string(), z.number().int()).optional(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** Statuses after which nothing more is handed to the carrier for this recipient. */
export const DONE_SENDING: ReadonlySet<LedgerStatus> = new Set([
  'sending',
  'sent',
  'unknown',
  'delivered',
  'failed',
  'skipped',
  'cancelled',
]);

/** What the API shows: internal waiting states read as `queued`. */
export function publicLedgerStatus(status: LedgerStatus): string {
  return status === 'deferred' || status === 'sending' ? 'queued' : status;
}
