import { z } from 'zod';
import { abTestSchema, abTestWinnerSchema } from '../../shared/domain/campaigns/ab-test';
import {
  campaignEstimateSchema,
  campaignInputSchema,
  campaignPatchSchema,
  campaignScheduleSchema,
  campaignSchema,
  campaignWarningSchema,
  localDateTimeSchema,
  pauseEvidenceSchema,
  sendNowSchema,
} from '../../shared/domain/campaigns/campaign.schema';
import { sendTimeInsightsSchema } from '../../shared/domain/insights/send-times';
import { pageQuerySchema, pageSchema } from '../../shared/domain/pagination.schema';
import { timeZoneSchema } from '../../shared/domain/settings/settings.schema';
import { smartListSchema } from '../../shared/domain/smart-lists/smart-list.schema';

/** What the campaigns API accepts and answers. */
export const createCampaignBody = campaignInputSchema;
export const patchCampaignBody = campaignPatchSchema;
export const scheduleCampaignBody = campaignScheduleSchema;
export const sendCampaignBody = sendNowSchema;
/** Pause and resume take no options: an empty body or `{}`. */
export const pauseCampaignBody = z.strictObject({}, 'pause and resume take no body');
export const campaignIdParams = z.object({ id: z.string().min(1).max(64) });
export const listCampaignsQuery = pageQuerySchema;
export const messagesQuery = pageQuerySchema.extend({
  status: z.enum(['queued', 'sent', 'unknown', 'delivered', 'failed', 'skipped', 'cancelled']).optional(),
});
export const campaignResponse = campaignSchema;
export const campaignWithWarningsResponse = campaignSchema.extend({
  warnings: z.array(campaignWarningSchema),
  estimate: campaignEstimateSchema
    .nullable()
    .meta({ description: 'When the first and last texts should go; null when it could not be worked out in time' }),
});
/** `GET /v1/campaigns/{id}/estimate?sendAt=&timeZone=|recipientTimeZone=true`: a proposed send time is optional. */
export const estimateQueryParams = z.strictObject({
  sendAt: localDateTimeSchema
    .optional()
    .meta({ description: 'A proposed local send time (draft): 2026-12-01T10:30; default now, or the schedule' }),
  timeZone: timeZoneSchema.optional().meta({ description: 'The zone of sendAt (default the tenant’s)' }),
  recipientTimeZone: z
    .literal('true', 'must be true (each recipient’s own zone)')
    .optional()
    .meta({ description: 'sendAt in each recipient’s own zone' }),
});
export const estimateQuery = estimateQueryParams
  .superRefine((query, ctx) => {
    if (query.timeZone !== undefined && query.recipientTimeZone !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeZone'],
        message: 'give timeZone or recipientTimeZone=true, not both',
      });
    }
    if (query.sendAt === undefined && (query.timeZone !== undefined || query.recipientTimeZone !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['sendAt'], message: 'is required with timeZone or recipientTimeZone' });
    }
  })
  .transform((query) => ({
    sendAt: query.sendAt,
    timeZone: query.timeZone,
    recipientTimeZone: query.recipientTimeZone === 'true' ? (true as const) : undefined,
  }));
export const estimateResponse = campaignEstimateSchema;
export const campaignPageResponse = pageSchema(campaignSchema);
/**
 * Tracked-link figures: counted clicks (people, not link previewers or scanners), recipients who clicked, and the
 * click-through rate (unique clickers over delivered).
 */
const clickFiguresShape = {
  clicks: z.number().int(),
  uniqueClickers: z.number().int(),
  clickThroughRate: z.number().nullable().meta({ description: 'uniqueClickers / delivered; null before any delivery' }),
};
const significanceNote = z.object({
  metric: z.enum(['responseRate', 'clickThroughRate']),
  compared: z.tuple([z.number().int(), z.number().int()]).nullable(),
  pValue: z.number().nullable(),
  note: z.string(),
});
const variantFigures = z.object({
  variant: z.number().int().meta({ description: 'Position in the campaign’s variants (0 = first)' }),
  percent: z.number().int(),
  recipients: z.number().int(),
  delivered: z.number().int(),
  replies: z.number().int(),
  responseRate: z.number().nullable(),
  ...clickFiguresShape,
});
const abTestResults = abTestSchema.extend({
  phase: z
    .enum(['testing', 'waiting', 'sendingWinner', 'done', 'cancelled'])
    .meta({ description: 'testing, waiting (for the wait to end), sendingWinner, done; cancelled: no remainder' }),
  testLaunchedAt: z.string().nullable(),
  testEndsAt: z.string().nullable().meta({ description: 'When the wait ends and the winner is picked' }),
  testVariants: z.array(variantFigures).meta({ description: 'The test share’s figures per variant' }),
  testSignificance: significanceNote,
  winner: abTestWinnerSchema.nullable().meta({ description: 'The variant sent to the remainder, and why' }),
  winnerRule: z.string(),
});
export const resultsResponse = z.object({
  status: z.string(),
  pauseReason: z.string().nullable().meta({ description: 'While paused: manual, carrierFiltering or budget' }),
  pausedAt: z.string().nullable(),
  pauseEvidence: pauseEvidenceSchema
    .nullable()
    .meta({ description: 'What the guard saw: receipts by failure category and sample errors, or the spend' }),
  audience: z.number().int(),
  skipped: z.record(z.string(), z.number().int()),
  sent: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  failedByReason: z.record(z.string(), z.number().int()),
  unknown: z.number().int(),
  cancelled: z.number().int(),
  pending: z.number().int(),
  replies: z.number().int(),
  responseRate: z.number().nullable(),
  optOuts: z.number().int(),
  optOutRate: z.number().nullable(),
  deliveryRate: z.number().nullable(),
  segments: z.number().int(),
  estimatedCost: z.number(),
  carrierCost: z.number(),
  spend: z.number().meta({ description: 'What the sends cost by the tenant’s prices (settings.currency)' }),
  maxSpend: z.number().nullable(),
  flags: z.array(z.object({ code: z.string(), message: z.string() })),
  flagRule: z.string(),
  nextSendAt: z
    .string()
    .nullable()
    .meta({ description: 'The earliest time a recipient held for their window (or own time) will get the text' }),
  byTag: z.record(
    z.string(),
    z.object({
      recipients: z.number().int(),
      delivered: z.number().int(),
      replies: z.number().int(),
      optOuts: z.number().int(),
    }),
  ),
  progress: z.object({
    done: z.number().int().meta({ description: 'Recipients with an outcome (sent, failed, skipped, cancelled...)' }),
    total: z.number().int(),
    fraction: z.number().nullable(),
  }),
  estimate: campaignEstimateSchema
    .nullable()
    .meta({ description: 'While sending or paused: when the recipients still waiting should go' }),
  reconciledAt: z.string().nullable(),
  ...clickFiguresShape,
  links: z
    .array(
      z.object({
        index: z.number().int().meta({ description: 'Position of the link in the text (0 = first)' }),
        url: z.string().nullable(),
        ...clickFiguresShape,
      }),
    )
    .meta({ description: 'Clicks per tracked link of the text' }),
  clicksByTag: z
    .record(z.string(), z.object(clickFiguresShape))
    .meta({ description: 'Clicks among the recipients who carried each tag at launch' }),
  variants: z.array(variantFigures).optional().meta({ description: 'A/B campaigns: the figures of each variant' }),
  variantSignificance: z
    .object({ responseRate: significanceNote, clickThroughRate: significanceNote })
    .optional()
    .meta({
      description:
        'A/B campaigns: the best two variants compared (two-proportion z-test); "not enough data" below 100 delivered each',
    }),
  abTest: abTestResults
    .optional()
    .meta({ description: 'Test-then-winner campaigns: the test phase, the winner and why (variants count all)' }),
});
export const respondersListBody = z.strictObject({ name: z.string().trim().min(1).max(120).optional() }).optional();
export const respondersListResponse = z.object({
  smartList: smartListSchema,
  responders: z.number().int(),
  created: z.boolean(),
});
export const failedListBody = respondersListBody;
export const failedListResponse = z.object({
  smartList: smartListSchema,
  failed: z.number().int(),
  byCategory: z
    .record(z.string(), z.object({ recipients: z.number().int(), tag: z.string() }))
    .meta({ description: 'Per failure category: how many, and the tag that picks them (filter: tags contains <tag>)' }),
  created: z.boolean(),
  advice: z.string(),
});
export const clickersListBody = respondersListBody;
export const clickersListResponse = z.object({
  smartList: smartListSchema,
  clickers: z.number().int(),
  created: z.boolean(),
});
export const reconcileResponse = z.object({ campaignId: z.string(), status: z.literal('recounting') });
export const messagesResponse = pageSchema(
  z.object({
    contactId: z.string(),
    phone: z.string(),
    status: z.string(),
    reason: z.string().optional(),
    segments: z.number().int(),
    sentAt: z.string().optional(),
    deliveredAt: z.string().optional(),
    repliedAt: z.string().optional(),
    clickedAt: z.string().optional().meta({ description: 'The recipient’s first counted click on a tracked link' }),
    clicks: z.number().int().optional(),
    notBefore: z
      .string()
      .optional()
      .meta({ description: 'A held recipient: when the text will go (window or own time)' }),
  }),
);

/** `GET /v1/insights/send-times`: the best recipient-local hours by the tenant's own replies. */
export const sendTimeInsightsResponse = sendTimeInsightsSchema;
