import { DateTime } from 'luxon';
import { z } from 'zod';
import { type Weekday, weekdaySchema } from '../settings/settings.schema';

/** One text the tenant sent: when, in the recipient's zone, and whether the recipient answered it. */
export interface SendSample {
  sentAt: string;
  timeZone: string;
  replied: boolean;
}

export const SEND_TIME_RULES = {
  /** Below this many texts in the history, the tenant's own figures say nothing yet. */
  minMessages: 300,
  /** An hour of the week needs this many texts to be a candidate (fewer is noise). */
  minBucketMessages: 20,
  /** Each hour's rate is pulled towards the tenant's overall rate as if it had this many more texts at it. */
  shrinkMessages: 20,
  /** How many windows to name. */
  top: 3,
  /** A chosen time further than this from every best window is worth a warning. */
  farHours: 2,
} as const;

const WEEKDAYS = weekdaySchema.options;

export const sendTimeWindowSchema = z.object({
  day: weekdaySchema,
  start: z.string().meta({ description: 'Recipient-local hour the window starts, HH:00' }),
  end: z.string().meta({ description: 'Recipient-local hour it ends, HH:00 (24:00 at midnight)' }),
  messages: z.number().int(),
  replies: z.number().int(),
  responseRate: z.number().meta({ description: 'Replies per text sent in this hour of the week' }),
});
export type SendTimeWindow = z.infer<typeof sendTimeWindowSchema>;

export const sendTimeInsightsSchema = z.discriminatedUnion('enoughData', [
  z.object({
    enoughData: z.literal(true),
    messages: z.number().int(),
    replies: z.number().int(),
    responseRate: z.number(),
    bestWindows: z.array(sendTimeWindowSchema),
  }),
  z.object({
    enoughData: z.literal(false),
    messages: z.number().int(),
    needed: z.number().int(),
    message: z.string(),
  }),
]);
export type SendTimeInsights = z.infer<typeof sendTimeInsightsSchema>;

/** The recipient-local hour of the week (0 = Monday 00:00) an instant falls in. */
export function hourOfWeek(instant: string | Date, timeZone: string): number {
  const local =
    typeof instant === 'string'
      ? DateTime.fromISO(instant, { zone: timeZone })
      : DateTime.fromJSDate(instant, { zone: timeZone });
  return (local.weekday - 1) * 24 + local.hour;
}

const pad = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

function windowOf(bucket: number, messages: number, replies: number): SendTimeWindow {
  const hour = bucket % 24;
  return {
    day: WEEKDAYS[Math.floor(bucket / 24)] as Weekday,
    start: pad(hour),
    end: pad(hour + 1),
    messages,
    replies,
    responseRate: messages > 0 ? replies / messages : 0,
  };
}

/**
 * The hours of the week (recipient-local) whose texts drew the most replies per text, from the tenant's own history.
 * Each hour's rate is shrunk towards the overall rate, so an hour with few texts and one lucky reply does not win;
 * ties go to the hour with more texts, then the earlier one. Too little history: says so instead of guessing.
 */
export function sendTimeInsights(samples: readonly SendSample[], rules = SEND_TIME_RULES): SendTimeInsights {
  if (samples.length < rules.minMessages) {
    return {
      enoughData: false,
      messages: samples.length,
      needed: rules.minMessages,
      message: `Not enough data: best send times need at least ${rules.minMessages} texts in your history (${samples.length} so far).`,
    };
  }
  const messages = new Array<number>(168).fill(0);
  const replies = new Array<number>(168).fill(0);
  for (const sample of samples) {
    const bucket = hourOfWeek(sample.sentAt, sample.timeZone);
    messages[bucket] = (messages[bucket] ?? 0) + 1;
    if (sample.replied) replies[bucket] = (replies[bucket] ?? 0) + 1;
  }
  const totalReplies = replies.reduce((a, b) => a + b, 0);
  const overall = totalReplies / samples.length;
  const score = (b: number) =>
    ((replies[b] ?? 0) + rules.shrinkMessages * overall) / ((messages[b] ?? 0) + rules.shrinkMessages);
  const ranked = [...messages.keys()]
    .filter((b) => (messages[b] ?? 0) >= rules.minBucketMessages)
    .sort((a, b) => score(b) - score(a) || (messages[b] ?? 0) - (messages[a] ?? 0) || a - b);
  return {
    enoughData: true,
    messages: samples.length,
    replies: totalReplies,
    responseRate: overall,
    bestWindows: ranked.slice(0, rules.top).map((b) => windowOf(b, messages[b] ?? 0, replies[b] ?? 0)),
  };
}

/** Hours between two hours of the week, the short way round the week. */
const weekDistance = (a: number, b: number) => Math.min(Math.abs(a - b), 168 - Math.abs(a - b));

const bucketOf = (window: SendTimeWindow) => WEEKDAYS.indexOf(window.day) * 24 + Number(window.start.slice(0, 2));

/**
 * A note when a chosen send time (read in `timeZone`) is more than `farHours` from every best window; undefined when
 * it is near one, or when the history says nothing yet.
 */
export function farFromBestWindows(
  insights: SendTimeInsights,
  instant: Date,
  timeZone: string,
  rules = SEND_TIME_RULES,
): string | undefined {
  if (!insights.enoughData || insights.bestWindows.length === 0) return undefined;
  const chosen = hourOfWeek(instant, timeZone);
  const nearest = Math.min(...insights.bestWindows.map((w) => weekDistance(chosen, bucketOf(w))));
  if (nearest <= rules.farHours) return undefined;
  const named = insights.bestWindows
    .map((w) => `${w.day} ${w.start}-${w.end} (${Math.round(w.responseRate * 1000) / 10}% replied)`)
    .join(', ');
  const local = windowOf(chosen, 0, 0);
  return `${local.day} ${local.start} is ${nearest} hours from your best send times by your own history: ${named}.`;
}
