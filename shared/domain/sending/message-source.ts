import { z } from 'zod';

/** What sent a message: a campaign, or a workflow's step for one enrollment. */
export const messageSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('campaign'), campaignId: z.string() }),
  z.object({
    kind: z.literal('workflow'),
    workflowId: z.string(),
    enrollmentId: z.string(),
    stepId: z.string(),
  }),
]);
export type MessageSource = z.infer<typeof messageSourceSchema>;

/** One message in a contact's recent-message log. */
export const sentMessageSchema = z.object({ at: z.iso.datetime(), source: messageSourceSchema });
export type SentMessage = z.infer<typeof sentMessageSchema>;

/** How long a reply is attributed to the message before it (the product's attribution window). */
export const ATTRIBUTION_WINDOW_MS = 7 * 86_400_000;
