import { z } from 'zod';
import { trackedLinkSchema } from './tracked-link.schema';

/**
 * A person's click on a tracked link, as the redirect puts it on the `events` queue: counted (and workflows
 * triggered) by the events consumer, so the redirect answers after one read. `clickId` makes a redelivered event count
 * once; `at` is when the click was made (the scanner window is judged from it, however late the event is handled).
 */
export const linkClickedEventSchema = z.object({
  kind: z.literal('linkClicked'),
  tenantId: z.string().min(1),
  contactId: z.string().min(1),
  clickId: z.string().min(1),
  at: z.iso.datetime(),
  link: trackedLinkSchema,
});
export type LinkClickedEvent = z.infer<typeof linkClickedEventSchema>;
