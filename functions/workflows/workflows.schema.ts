import { z } from 'zod';
import { contactInputSchema } from '../../shared/domain/contacts/contact.schema';
import { pageQuerySchema, pageSchema } from '../../shared/domain/pagination.schema';
import { enrollmentHistoryEntrySchema, enrollmentStatusSchema } from '../../shared/domain/workflows/enrollment';
import {
  stepIdSchema,
  workflowDraftSchema,
  workflowPatchSchema,
  workflowSchema,
} from '../../shared/domain/workflows/workflow.schema';

/** What the workflows and forms API accepts and answers. */
export const createWorkflowBody = workflowDraftSchema;
export const patchWorkflowBody = workflowPatchSchema;
export const workflowIdParams = z.object({ id: z.string().min(1).max(64) });
export const listWorkflowsQuery = pageQuerySchema;
export const enrollmentsQuery = pageQuerySchema.extend({ status: enrollmentStatusSchema.optional() });
export const workflowResponse = workflowSchema;
export const workflowPageResponse = pageSchema(workflowSchema);

const stepStatsSchema = z.object({
  stepId: z.string(),
  entered: z.number().int(),
  completed: z.number().int(),
  sent: z.number().int(),
  skipped: z.number().int(),
  replied: z.number().int(),
});
export const workflowWithStatsResponse = workflowSchema.extend({
  stats: z.object({
    enrolled: z.number().int(),
    active: z.number().int(),
    completed: z.number().int(),
    exited: z.number().int(),
    steps: z.array(stepStatsSchema),
  }),
});
export const enrollmentPageResponse = pageSchema(
  z.object({
    id: z.string(),
    contactId: z.string(),
    workflowVersion: z.number().int(),
    status: enrollmentStatusSchema,
    currentStepId: z.string(),
    nextWakeAt: z
      .string()
      .nullable()
      .meta({ description: 'When it next moves on its own: its wait ends, or the send window opens for a held text' }),
    heldUntil: z
      .string()
      .nullable()
      .meta({ description: 'Set while a text is held for the send window: when the window next opens' }),
    held: z.boolean(),
    exitReason: z.string().nullable(),
    enrolledAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    history: z.array(enrollmentHistoryEntrySchema),
  }),
);

export const formIdParams = z.object({ formId: stepIdSchema });
/** A form submission: the contact fields a form collects; `smsConsent` is the consent the form captured. */
export const formSubmissionBody = contactInputSchema;
export const formSubmissionResponse = z.object({ contactId: z.string(), created: z.boolean() });
