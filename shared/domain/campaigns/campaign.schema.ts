import { z } from 'zod';
import { audienceSchema } from '../audience/audience.schema';
import { refineBodyLinks } from '../links/tracked-urls';
import { emptyFailureCounts } from '../receipts/failure-reasons';
import { timeZoneSchema } from '../settings/settings.schema';
import { refineBodyWithinSegmentBound } from '../sms/segment-limit';
import { messageTypeSchema } from '../sms/sms.schema';
import { abTestSchema, abTestStateSchema } from './ab-test';
import { variantSchema, variantsSchema } from './variants';

export const campaignStatusSchema = z.enum(['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled']);
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** True when every field names a real calendar date and clock time (no 30 February, no 24:00, no minute 60). */
function isRealLocalDateTime(text: string): boolean {
  const match = LOCAL_DATE_TIME.exec(text);
  if (!match) return false;
  const [y, mo, d, h, mi, s] = match.slice(1).map((field) => Number(field ?? 0));
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 0) - 1, d, h, mi, s));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() + 1 === mo &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
  );
}

/** A wall-clock time without offset, as a person types it: `2026-12-01T10:30` (seconds allowed). */
export const localDateTimeSchema = z
  .string()
  .regex(
    LOCAL_DATE_TIME,
    'must be a local date-time without offset like 2026-12-01T10:30 (the zone is timeZone, or each recipient’s)',
  )
  .refine(isRealLocalDateTime, 'must be a real date and time (no 30 February, no 24:00)');

/**
 * `{sendAt, timeZone}` or `{sendAt, recipientTimeZone: true}`. One object rather than a union, so an error names the
 * field that is wrong (a `sendAt` with an offset, a missing zone) instead of "(body): Invalid input".
 */
export const campaignScheduleSchema = z
  .strictObject({
    sendAt: localDateTimeSchema,
    timeZone: timeZoneSchema.optional(),
    recipientTimeZone: z.literal(true, 'must be true (send at that local time in each recipient’s zone)').optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.timeZone === undefined) === (body.recipientTimeZone === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeZone'],
        message: 'give exactly one of timeZone (an IANA zone like America/Chicago) or recipientTimeZone: true',
      });
    }
  })
  .transform((body): { sendAt: string; timeZone: string } | { sendAt: string; recipientTimeZone: true } =>
    body.timeZone !== undefined
      ? { sendAt: body.sendAt, timeZone: body.timeZone }
      : { sendAt: body.sendAt, recipientTimeZone: true },
  );
export type CampaignSchedule = z.output<typeof campaignScheduleSchema>;

/** `POST /campaigns/{id}/send` takes no options: an empty body or `{}` (a schedule goes to `/schedule`). */
export const sendNowSchema = z.strictObject({}, 'send takes no body: to send later, POST /schedule {sendAt, timeZone}');

export const skippedCountsSchema = z.object({
  optedOut: z.number().int(),
  noConsent: z.number().int(),
  invalidPhone: z.number().int(),
  frequencyCapped: z.number().int(),
  /** A state's own cap (three marketing texts a day in Florida, Oklahoma, Maryland); absent on older campaigns. */
  stateFrequencyCap: z.number().int().default(0),
  quietHoursDeferred: z.number().int(),
});

/** Aggregate counters; derived from ledger transitions (see the ledger's status ranks). */
export const campaignCountsSchema = z.object({
  audience: z.number().int(),
  queued: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  unknown: z.number().int(),
  cancelled: z.number().int(),
  replies: z.number().int(),
  optOuts: z.number().int(),
  segments: z.number().int(),
  /** Final failures by category (see failure-reasons); sums to `failed`. */
  failedByReason: z.record(z.string(), z.number().int()),
  /** What the carrier charged, from the receipts' `totalMessagePrice` + `totalCarrierFee` (USD). */
  priceUsd: z.number(),
  /** What the sends cost by the tenant's prices (price table or its own), in its currency: what budgets count. */
  spend: z.number().default(0),
  /** `spend` by the UTC month (YYYY-MM) each message was sent: what the tenant's monthly budget counts. */
  spendByMonth: z.record(z.string(), z.number()).default({}),
  skipped: skippedCountsSchema,
});
export type CampaignCounts = z.infer<typeof campaignCountsSchema>;

export const emptyCounts = (): CampaignCounts => ({
  audience: 0,
  queued: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  unknown: 0,
  cancelled: 0,
  replies: 0,
  optOuts: 0,
  segments: 0,
  failedByReason: emptyFailureCounts(),
  priceUsd: 0,
  spend: 0,
  spendByMonth: {},
  skipped: {
    optedOut: 0,
    noConsent: 0,
    invalidPhone: 0,
    frequencyCapped: 0,
    stateFrequencyCap: 0,
    quietHoursDeferred: 0,
  },
});

/** Why a campaign is paused: a person paused it, or a guard did (carriers filtering it as spam, its budget spent). */
export const pauseReasonSchema = z.enum(['manual', 'carrierFiltering', 'budget']);
export type PauseReason = z.infer<typeof pauseReasonSchema>;

/** What a guard saw when it paused a campaign, shown in the results. */
export const pauseEvidenceSchema = z.object({
  /** Final receipts in the breaker's window, and how many of them were carrier blocks, spam or unreachable. */
  settled: z.number().int().optional(),
  filtered: z.number().int().optional(),
  filteredRate: z.number().optional(),
  threshold: z.number().optional(),
  byCategory: z.record(z.string(), z.number().int()).optional(),
  sampleErrors: z.array(z.string()).optional(),
  /** Budget: what was spent and the cap it reached (tenant currency). */
  spent: z.number().optional(),
  cap: z.number().optional(),
  message: z.string(),
});
export type PauseEvidence = z.infer<typeof pauseEvidenceSchema>;

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  audience: audienceSchema,
  body: z.string(),
  messageType: messageTypeSchema,
  status: campaignStatusSchema,
  schedule: campaignScheduleSchema.nullable(),
  /** The UTC instant the launch fires (for recipient time zones: the earliest zone's instant). */
  scheduledAt: z.iso.datetime().nullable(),
  counts: campaignCountsSchema,
  /** True once the launcher has put every recipient on the ledger. */
  launchComplete: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  launchedAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
  cancelledAt: z.iso.datetime().nullable(),
  /** Set while `paused` (defaults for campaigns stored before pausing existed). */
  pauseReason: pauseReasonSchema.nullable().default(null),
  pausedAt: z.iso.datetime().nullable().default(null),
  pauseEvidence: pauseEvidenceSchema.nullable().default(null),
  /** The most this campaign may spend (tenant currency); null: no cap of its own. */
  maxSpend: z.number().nullable().default(null),
  /** The last resume: the carrier-filtering breaker only judges receipts of sends after it. */
  resumedAt: z.iso.datetime().nullable().default(null),
  /** Links in the text are replaced by per-recipient short links and their clicks counted (campaigns saved before: no). */
  trackLinks: z.boolean().default(false),
  /** A/B variants (each recipient gets one, assigned at launch); null for one message (`body`). */
  variants: z.array(variantSchema).nullable().default(null),
  /** Test-then-winner (with variants): the variants go to a test share, the winner to the rest; null: a plain split. */
  abTest: abTestSchema.nullable().default(null),
  /** Where a test-then-winner campaign is: testing, waiting for the wait to end, sending the winner; and the winner. */
  abTestState: abTestStateSchema.nullable().default(null),
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(120),
  audience: audienceSchema,
  /** The message; optional with `variants` (then the first variant's). */
  body: z
    .string()
    .min(1, 'must not be empty')
    .superRefine(refineBodyWithinSegmentBound)
    .superRefine(refineBodyLinks)
    .optional(),
  /** 2-5 message variants with the share of recipients each gets (percentages adding up to 100); null: one message. */
  variants: variantsSchema.nullable().optional(),
  /** Test-then-winner mode for the variants (their percentages then split the test share). */
  abTest: abTestSchema.nullable().optional(),
  messageType: messageTypeSchema.optional(),
  maxSpend: z
    .number()
    .positive('must be above 0')
    .max(100_000_000)
    .nullable()
    .optional()
    .meta({ description: 'The most this campaign may spend, in the tenant currency (settings.currency)' }),
  /** Shorten and count the text's links; the tenant's `trackLinks` setting when left out. */
  trackLinks: z.boolean('must be true or false').optional(),
});
export type CampaignInput = z.infer<typeof campaignInputSchema>;

export const campaignPatchSchema = campaignInputSchema
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');
export type CampaignPatch = z.infer<typeof campaignPatchSchema>;

/** A warning a careful marketer wants before a blast goes out; it never blocks the send. */
export const campaignWarningSchema = z.object({ code: z.string(), message: z.string() });
export type CampaignWarning = z.infer<typeof campaignWarningSchema>;

/** When a campaign's first and last texts should go out, and who waits for a later window (see finish-estimate). */
export const campaignEstimateSchema = z.object({
  recipients: z.number().int(),
  segments: z.number().int(),
  firstSendAt: z.string().nullable(),
  lastSendAt: z.string().nullable(),
  durationSeconds: z.number().int(),
  outsideWindowAtStart: z
    .number()
    .int()
    .meta({ description: 'Recipients outside their window at the start: they go when it next opens' }),
  waitingForNextWindow: z
    .number()
    .int()
    .meta({ description: 'Recipients whose window closes before their turn: they go in a later window' }),
  spillsPastWindow: z.boolean(),
  overDailyCap: z.number().int().meta({ description: 'Recipients past the carrier daily cap on the day they go' }),
  startsAt: z.string(),
  mps: z.number(),
  basis: z.enum(['audience', 'ledger']),
  dailyCapSegments: z.number().int().nullable(),
});
export type CampaignEstimate = z.infer<typeof campaignEstimateSchema>;
