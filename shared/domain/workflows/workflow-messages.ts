import { z } from 'zod';

/**
 * What the `workflows` queue carries (and what a bucket schedule delivers to it):
 * - `enrollmentWake`: an enrollment's wake-up, due at `dueAt` (not run before `notBefore`, a send-window deferral),
 *   or a start or reply the send window held back;
 * - `plannedTrigger`: a `date_field` trigger due for one contact;
 * - `wakeSweep`: a minute bucket of far wake-ups has come: enqueue them as short delays;
 * - `workflowResumed`: re-arm the enrollments a pause held (and, for a `date_field` workflow, plan every contact);
 * - `datePlansBackfill`: a `date_field` workflow became active: plan every contact that already carries the date.
 */
export const workflowMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('enrollmentWake'),
    tenantId: z.string().min(1),
    workflowId: z.string().min(1),
    enrollmentId: z.string().min(1),
    dueAt: z.iso.datetime(),
    notBefore: z.iso.datetime().optional(),
    /** Set for a reply held back by the send window: the reply (sent at this instant) is applied then. */
    replyAt: z.iso.datetime().optional(),
  }),
  z.object({
    kind: z.literal('plannedTrigger'),
    tenantId: z.string().min(1),
    workflowId: z.string().min(1),
    contactId: z.string().min(1),
    dueAt: z.iso.datetime(),
  }),
  z.object({ kind: z.literal('wakeSweep'), tenantId: z.string().min(1), minute: z.string().min(1) }),
  z.object({ kind: z.literal('workflowResumed'), tenantId: z.string().min(1), workflowId: z.string().min(1) }),
  z.object({ kind: z.literal('datePlansBackfill'), tenantId: z.string().min(1), workflowId: z.string().min(1) }),
]);
export type WorkflowMessage = z.infer<typeof workflowMessageSchema>;
export type TimerMessage = Extract<WorkflowMessage, { kind: 'enrollmentWake' | 'plannedTrigger' }>;
