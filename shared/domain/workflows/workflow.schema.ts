import { Duration } from 'luxon';
import { z } from 'zod';
import { conditionSchema } from '../audience/filter.schema';
import { pauseEvidenceSchema } from '../campaigns/campaign.schema';
import { customFieldNameSchema, tagSchema } from '../contacts/contact.schema';
import { HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from '../inbound/inbound-keywords';
import { refineBodyLinks } from '../links/tracked-urls';
import { refineBodyWithinSegmentBound } from '../sms/segment-limit';
import { messageTypeSchema } from '../sms/sms.schema';
import { validateWorkflowGraph } from './workflow-graph';

const DAY_MS = 86_400_000;

/** Bounds of a workflow definition; exported so that tests and the API docs quote the same numbers. */
export const WORKFLOW_LIMITS = {
  nameLength: 120,
  steps: 100,
  stepIdLength: 64,
  keywordLength: 30,
  /** The longest `wait` or reply timeout, and the largest `date_field` offset either way. */
  durationMs: 365 * DAY_MS,
} as const;

/**
 * Omitted `messageType` means PROMOTIONAL, as it does for campaigns and previews: the API gives workflows no
 * default of their own, and a marketing text sent as transactional would skip the opt-out footer and quiet hours,
 * whereas a reminder sent as promotional merely carries a footer. Appointment reminders say TRANSACTIONAL.
 */
export const DEFAULT_WORKFLOW_MESSAGE_TYPE = 'PROMOTIONAL' as const;

// ---------------------------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------------------------

/**
 * The ISO-8601 durations accepted: an optional sign, then weeks, days, hours, minutes and seconds (a fraction of a
 * second down to milliseconds). Years and months are matched only to be refused with a clear message.
 */
const ISO_DURATION =
  /^([+-])?P(?=\d|T\d)(?:\d{1,9}Y)?(?:\d{1,9}M)?(?:\d{1,9}W)?(?:\d{1,9}D)?(?:T(?=\d)(?:\d{1,9}H)?(?:\d{1,9}M)?(?:\d{1,9}(?:\.\d{1,3})?S)?)?$/;

const DURATION_FORMAT = 'must be an ISO-8601 duration such as PT2H, PT30M, PT5S, P1D or P1W';

/** The outcome of reading a duration: its length in milliseconds (negative for `-P...`), or what is wrong with it. */
export type DurationReading = { ok: true; ms: number } | { ok: false; message: string };

/**
 * Reads an ISO-8601 duration (`PT2H`, `P1DT12H`, `PT1.5S`, `-PT24H`) as milliseconds, through luxon's
 * `Duration.fromISO`. A day is 24 hours and a week 7 days: a `wait` is elapsed time, not calendar time (use
 * `wait_until` for "tomorrow at 10:00"). Months and years have no fixed length and are refused.
 */
export function readDuration(text: string): DurationReading {
  const match = ISO_DURATION.exec(text);
  if (match === null) return { ok: false, message: DURATION_FORMAT };
  const sign = match[1] === '-' ? -1 : 1;
  const duration = Duration.fromISO(text.replace(/^[+-]/, ''));
  if (!duration.isValid) return { ok: false, message: DURATION_FORMAT };
  if (duration.years !== 0 || duration.months !== 0) {
    return { ok: false, message: 'must not use months or years (their length varies); use days (P30D) or weeks (P4W)' };
  }
  const ms = duration.toMillis();
  return { ok: true, ms: ms === 0 ? 0 : sign * ms };
}

/**
 * The length of an ISO-8601 duration in milliseconds, signed (`-PT24H` is -86 400 000). Definitions are parsed by
 * the schemas below, so a stored duration always reads.
 *
 * @throws RangeError when the text is not a duration `readDuration` accepts.
 */
export function durationMs(text: string): number {
  const reading = readDuration(text);
  if (!reading.ok) throw new RangeError(`"${text}" ${reading.message}`);
  return reading.ms;
}

const MAX_DURATION_TEXT = `at most ${WORKFLOW_LIMITS.durationMs / DAY_MS} days (P365D)`;

/** How long a `wait` lasts or a `wait_for_reply` waits: positive, at most a year. */
export const durationSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : DURATION_FORMAT) })
  .superRefine((text, ctx) => {
    const reading = readDuration(text);
    if (!reading.ok) ctx.addIssue({ code: 'custom', message: reading.message });
    else if (reading.ms <= 0) ctx.addIssue({ code: 'custom', message: 'must be longer than zero (e.g. PT5S)' });
    else if (reading.ms > WORKFLOW_LIMITS.durationMs) {
      ctx.addIssue({ code: 'custom', message: `must be ${MAX_DURATION_TEXT}` });
    }
  });

/** When a `date_field` trigger fires relative to the date: `-PT24H` a day before, `PT2H` two hours after. */
export const offsetSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : DURATION_FORMAT) })
  .superRefine((text, ctx) => {
    const reading = readDuration(text);
    if (!reading.ok) ctx.addIssue({ code: 'custom', message: `${reading.message}; put - in front for "before"` });
    else if (Math.abs(reading.ms) > WORKFLOW_LIMITS.durationMs) {
      ctx.addIssue({ code: 'custom', message: `must be ${MAX_DURATION_TEXT} either way` });
    }
  });

// ---------------------------------------------------------------------------------------------------------------
// Triggers
// ---------------------------------------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z0-9_-]+$/;

/** Step ids (and form ids) are short identifiers, so that `next: "reminder-2"` reads well and fits any key. */
export const stepIdSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .min(1, 'must not be empty')
  .max(WORKFLOW_LIMITS.stepIdLength, `must be at most ${WORKFLOW_LIMITS.stepIdLength} characters`)
  .regex(IDENTIFIER, 'must use only letters, digits, _ and -');

/**
 * Words carriers and the opt-out rules already answer (opt-out, opt-in and help keywords); a workflow listening for
 * them would fight those rules. `YES` stays available: it opts in only someone who is opted out.
 */
export const RESERVED_KEYWORDS: readonly string[] = [
  ...OPT_OUT_KEYWORDS,
  ...OPT_IN_KEYWORDS.filter((keyword) => keyword !== 'YES'),
  ...HELP_KEYWORDS,
];

/** The word a person texts in (`JOIN`), matched case-insensitively, so it is stored in capitals. */
export const keywordSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .trim()
  .toUpperCase()
  .min(1, 'must not be empty')
  .max(WORKFLOW_LIMITS.keywordLength, `must be at most ${WORKFLOW_LIMITS.keywordLength} characters`)
  .regex(/^[A-Z0-9]+$/, 'must be one word of letters and digits, such as JOIN')
  .refine((keyword) => !RESERVED_KEYWORDS.includes(keyword), 'is reserved for opt-out and help (STOP, HELP, START...)');

const TRIGGER_TYPES = [
  'form_submitted',
  'tag_added',
  'contact_created',
  'inbound_keyword',
  'date_field',
  'link_clicked',
] as const;

export const workflowTriggerSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('form_submitted'), formId: stepIdSchema }),
    z.strictObject({ type: z.literal('tag_added'), tag: tagSchema }),
    z.strictObject({ type: z.literal('contact_created') }),
    z.strictObject({ type: z.literal('inbound_keyword'), keyword: keywordSchema }),
    z.strictObject({ type: z.literal('date_field'), field: customFieldNameSchema, offset: offsetSchema }),
    // A person's first click on a tracked link (of any campaign or workflow text, or of one campaign's).
    z.strictObject({
      type: z.literal('link_clicked'),
      campaignId: z.string().min(1).max(64).optional(),
    }),
  ],
  { error: () => `must be one of ${TRIGGER_TYPES.join(', ')}` },
);
export type WorkflowTrigger = z.infer<typeof workflowTriggerSchema>;
export type WorkflowTriggerType = WorkflowTrigger['type'];

// ---------------------------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------------------------

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export const weekdaySchema = z.enum(WEEKDAYS, { error: () => `must be one of ${WEEKDAYS.join(', ')}` });
export type Weekday = z.infer<typeof weekdaySchema>;

/** A wall-clock time, 24-hour: `09:30`. */
export const clockTimeSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour), such as 10:00');

const daysSchema = z
  .array(weekdaySchema)
  .min(1, 'must name at least one day (or be left out for every day)')
  .refine((days) => new Set(days).size === days.length, 'must not repeat a day');

/** Where a step goes next when it does not branch; omitted = the next step in the list (or the end after the last). */
const nextSchema = stepIdSchema.optional();

/**
 * A branching or final step has no single `next`; saying so beats zod's generic "unrecognized key". (Not
 * `z.never()`, which the OpenAPI generator cannot describe.)
 */
const noNext = (message: string) =>
  z
    .unknown()
    .refine((value) => value === undefined, { message })
    .transform((): undefined => undefined)
    .optional();

const STEP_TYPES = ['send_sms', 'wait', 'wait_until', 'wait_for_reply', 'if', 'add_tag', 'remove_tag', 'end'] as const;

/** A step object that names a key it does not take (`{type: "wait", body}`) in the message. */
function stepObject<const Type extends string, Shape extends z.core.$ZodLooseShape>(type: Type, shape: Shape) {
  return z.strictObject(
    { id: stepIdSchema, type: z.literal(type), ...shape },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `a ${type} step does not take ${issue.keys.map((key) => `"${key}"`).join(', ')}`
          : undefined,
    },
  );
}

export const sendSmsStepSchema = stepObject('send_sms', {
  body: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .min(1, 'must not be empty')
    .superRefine(refineBodyWithinSegmentBound)
    .superRefine(refineBodyLinks),
  /** Shorten and count the text's links; the tenant's `trackLinks` setting when left out. */
  trackLinks: z.boolean({ error: 'must be true or false' }).optional(),
  next: nextSchema,
});

export const waitStepSchema = stepObject('wait', { duration: durationSchema, next: nextSchema });

export const waitUntilStepSchema = stepObject('wait_until', {
  time: clockTimeSchema,
  days: daysSchema.optional(),
  next: nextSchema,
});

export const waitForReplyStepSchema = stepObject('wait_for_reply', {
  timeout: durationSchema,
  onReply: stepIdSchema,
  onTimeout: stepIdSchema,
  next: noNext('a wait_for_reply step goes on at onReply or onTimeout, not next'),
});

export const ifStepSchema = stepObject('if', {
  condition: conditionSchema,
  // biome-ignore lint/suspicious/noThenProperty: `then` is the step's documented field, not a thenable.
  then: stepIdSchema,
  else: stepIdSchema,
  next: noNext('an if step goes on at then or else, not next'),
});

export const addTagStepSchema = stepObject('add_tag', { tag: tagSchema, next: nextSchema });

export const removeTagStepSchema = stepObject('remove_tag', { tag: tagSchema, next: nextSchema });

export const endStepSchema = stepObject('end', { next: noNext('an end step has no next: the workflow stops there') });

export const workflowStepSchema = z.discriminatedUnion(
  'type',
  [
    sendSmsStepSchema,
    waitStepSchema,
    waitUntilStepSchema,
    waitForReplyStepSchema,
    ifStepSchema,
    addTagStepSchema,
    removeTagStepSchema,
    endStepSchema,
  ],
  { error: () => `must be one of ${STEP_TYPES.join(', ')}` },
);
export type WorkflowStep = z.infer<typeof workflowStepSchema>;
export type WorkflowStepType = WorkflowStep['type'];
export type SendSmsStep = z.infer<typeof sendSmsStepSchema>;
export type WaitStep = z.infer<typeof waitStepSchema>;
export type WaitUntilStep = z.infer<typeof waitUntilStepSchema>;
export type WaitForReplyStep = z.infer<typeof waitForReplyStepSchema>;
export type IfStep = z.infer<typeof ifStepSchema>;
export type AddTagStep = z.infer<typeof addTagStepSchema>;
export type RemoveTagStep = z.infer<typeof removeTagStepSchema>;
export type EndStep = z.infer<typeof endStepSchema>;

/** The steps of a definition: each entry valid on its own, 1 to 100 of them. The graph is checked by the workflow. */
export const workflowStepsSchema = z
  .array(workflowStepSchema, { error: 'must be a list of steps' })
  .min(1, 'must hold at least one step')
  .max(WORKFLOW_LIMITS.steps, `must hold at most ${WORKFLOW_LIMITS.steps} steps`);

// ---------------------------------------------------------------------------------------------------------------
// Workflows
// ---------------------------------------------------------------------------------------------------------------

export const workflowStatusSchema = z.enum(['draft', 'active', 'paused']);
export type WorkflowStatus = z.infer<typeof workflowStatusSchema>;

/** `steps.2.next` -> `['steps', 2, 'next']`, so graph issues land on the same paths as zod's own. */
function pathSegments(path: string): (string | number)[] {
  return path.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

const workflowFields = {
  name: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(WORKFLOW_LIMITS.nameLength, `must be at most ${WORKFLOW_LIMITS.nameLength} characters`),
  trigger: workflowTriggerSchema,
  steps: workflowStepsSchema,
};

/**
 * Body of `POST /v1/workflows`. Besides each step on its own, the graph must hold together (see
 * `validateWorkflowGraph`): targets exist, every step is reachable, no loop runs without waiting. Defaults:
 * `messageType` PROMOTIONAL (see {@link DEFAULT_WORKFLOW_MESSAGE_TYPE}); `stopOnResponse` false (when true, any
 * text from the contact ends the enrollment); `allowReentry` false (a contact goes through a workflow once).
 */
export const workflowInputSchema = z
  .strictObject({
    ...workflowFields,
    messageType: messageTypeSchema.default(DEFAULT_WORKFLOW_MESSAGE_TYPE),
    stopOnResponse: z.boolean({ error: 'must be true or false' }).default(false),
    allowReentry: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .superRefine(refineGraph);
export type WorkflowInput = z.input<typeof workflowInputSchema>;
export type ParsedWorkflowInput = z.output<typeof workflowInputSchema>;

/**
 * A draft as saved by `POST /v1/workflows`: each field valid on its own, the graph not yet checked, so a person can
 * save a workflow while building it. Activation checks the graph (see {@link graphIssueDetails}).
 */
export const workflowDraftSchema = z.strictObject({
  ...workflowFields,
  messageType: messageTypeSchema.default(DEFAULT_WORKFLOW_MESSAGE_TYPE),
  stopOnResponse: z.boolean({ error: 'must be true or false' }).default(false),
  allowReentry: z.boolean({ error: 'must be true or false' }).default(false),
});
export type ParsedWorkflowDraft = z.output<typeof workflowDraftSchema>;

/** Body of `PATCH /v1/workflows/{id}`: any of the draft's fields, at least one. */
export const workflowPatchSchema = z
  .strictObject({
    name: workflowFields.name,
    trigger: workflowFields.trigger,
    steps: workflowFields.steps,
    messageType: messageTypeSchema,
    stopOnResponse: z.boolean({ error: 'must be true or false' }),
    allowReentry: z.boolean({ error: 'must be true or false' }),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');
export type WorkflowPatch = z.output<typeof workflowPatchSchema>;

/** The graph issues of a definition as error details (`steps.2.next`), empty when it may be activated. */
export function graphIssueDetails(steps: readonly WorkflowStep[]): { path: string; message: string }[] {
  return validateWorkflowGraph(steps).map((issue) => ({ path: issue.path, message: issue.message }));
}

function refineGraph(input: { steps: WorkflowStep[] }, ctx: z.RefinementCtx): void {
  for (const issue of validateWorkflowGraph(input.steps)) {
    ctx.addIssue({ code: 'custom', path: pathSegments(issue.path), message: issue.message });
  }
}

/** A workflow as stored and returned by the API. `version` grows with each edit; enrollments keep theirs. */
export const workflowSchema = z.object({
  id: z.string(),
  status: workflowStatusSchema,
  version: z.number().int().positive(),
  ...workflowFields,
  messageType: messageTypeSchema,
  stopOnResponse: z.boolean(),
  allowReentry: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  activatedAt: z.iso.datetime().nullable(),
  /** Set while paused: by a person, or by the carrier-filtering breaker with what it saw (absent on older items). */
  pauseReason: z.enum(['manual', 'carrierFiltering']).nullable().default(null),
  pauseEvidence: pauseEvidenceSchema.nullable().default(null),
});
export type Workflow = z.infer<typeof workflowSchema>;
