import { isSupportedCountry } from 'libphonenumber-js';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { DEFAULT_LINK_RETENTION_DAYS } from '../links/tracked-link.schema';
import { MAX_SEGMENTS_BOUNDS } from '../sms/segment-limit';

/** The legal outer bounds of any marketing send window (TCPA-style 08:00-21:00 local). */
export const LEGAL_WINDOW = { start: '08:00', end: '21:00' } as const;

export const weekdaySchema = z.enum(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);
export type Weekday = z.infer<typeof weekdaySchema>;

const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour)');

export const timeZoneSchema = z
  .string()
  // luxon's cached zone object: `IANAZone.isValidZone` builds a formatter on every call, and settings parse per batch.
  .refine((zone) => IANAZone.create(zone).isValid, 'must be an IANA time zone such as America/Chicago');

export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as US')
  .refine((code) => isSupportedCountry(code), 'is not a country with a known phone numbering plan');

export const sendWindowSchema = z
  .object({
    start: clockTimeSchema,
    end: clockTimeSchema,
    days: z
      .array(weekdaySchema)
      .min(1, 'must name at least one day')
      .refine((days) => new Set(days).size === days.length, 'must not repeat a day'),
  })
  .superRefine((window, ctx) => {
    if (window.start < LEGAL_WINDOW.start) {
      ctx.addIssue({ code: 'custom', path: ['start'], message: `must not be earlier than ${LEGAL_WINDOW.start}` });
    }
    if (window.end > LEGAL_WINDOW.end) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `must not be later than ${LEGAL_WINDOW.end}` });
    }
    if (window.start >= window.end) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be later than start' });
    }
  });
export type SendWindow = z.infer<typeof sendWindowSchema>;

/** A DNS host name: labels of letters, digits and inner hyphens, at least two of them. */
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const LINK_RETENTION_MAX_DAYS = 730;

const OPT_OUT_WORD = /\b(STOP|UNSUBSCRIBE|OPT[- ]?OUT|END|QUIT|CANCEL)\b/i;

export const settingsSchema = z.object({
  businessName: z.string().trim().min(1).max(100).nullable(),
  defaultCountry: countryCodeSchema,
  defaultTimeZone: timeZoneSchema,
  sendWindow: sendWindowSchema,
  autoAppendOptOut: z.boolean(),
  optOutText: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .refine((text) => OPT_OUT_WORD.test(text), 'must tell recipients how to opt out, e.g. "Reply STOP to unsubscribe"')
    .refine((text) => !text.includes('{{') && !text.includes('}}'), 'must not contain template braces'),
  helpText: z.string().trim().min(1).max(300),
  frequencyCap: z.object({
    maxMessages: z.number().int().min(1).max(100),
    perHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
  }),
  originationIdentity: z.string().trim().min(1).max(256).nullable(),
  mps: z.number().positive().max(10_000),
  marketingRequiresOptIn: z.boolean(),
  /** The most segments a text may take as sent (opt-out footer included); bodies over it are refused where written. */
  maxSegments: z
    .number()
    .int('must be a whole number of segments')
    .min(MAX_SEGMENTS_BOUNDS.min, `must be at least ${MAX_SEGMENTS_BOUNDS.min}`)
    .max(MAX_SEGMENTS_BOUNDS.max, `must be at most ${MAX_SEGMENTS_BOUNDS.max}`),
  /**
   * A carrier's daily cap on the sender's segments (e.g. T-Mobile's per-brand 10DLC cap), counted per UTC day; the
   * finish-time estimate warns about recipients past it. Null: no cap known.
   */
  carrierDailyCap: z
    .object({ segmentsPerDay: z.number().int('must be a whole number of segments').min(1).max(100_000_000) })
    .nullable(),
  /** ISO 4217: what budgets, prices and spend are in. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as USD'),
  /** The most the tenant's campaigns may spend in a calendar month (UTC); null: no budget. */
  monthlyBudget: z.number().positive('must be above 0').max(100_000_000).nullable(),
  /** The tenant's own price per segment, per ISO country or `default`, overriding the price table. */
  pricePerSegment: z.record(
    // Keys are checked against libphonenumber-js's regions where settings are written (settingsRulesSchema).
    z.string().meta({ description: 'An ISO 3166-1 alpha-2 region code (US, GB, ...) or default' }),
    z.number().positive('must be above 0').max(10),
  ),
  /** Whether campaigns and workflow texts shorten and count their links unless they say otherwise. */
  trackLinks: z.boolean(),
  /** The tenant's own short-link host (a CNAME to the API), or null for the deployment's default. */
  shortLinkDomain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .regex(HOST_NAME, 'must be a host name such as go.example.com (no scheme, no path)')
    .nullable(),
  /** Days a short link keeps working (and its clicks stay attributable) after the text went out. */
  linkRetentionDays: z
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(LINK_RETENTION_MAX_DAYS, `must be at most ${LINK_RETENTION_MAX_DAYS} days`),
});
export type Settings = z.infer<typeof settingsSchema>;

/** Codes people use for a region that are not its ISO 3166-1 alpha-2 code (EU and common usage). */
const REGION_CODE_MISTAKES: Record<string, string> = { UK: 'GB', EL: 'GR', EN: 'GB' };

/**
 * Why a price key is not a region a phone number can be priced in, or undefined when it is: prices are looked up by
 * the region libphonenumber-js gives a number, so a key it does not know would never be used.
 */
export function priceRegionProblem(key: string): string | undefined {
  if (key === 'default' || isSupportedCountry(key)) return undefined;
  const upper = key.toUpperCase();
  const meant = REGION_CODE_MISTAKES[upper] ?? (upper !== key && isSupportedCountry(upper) ? upper : undefined);
  const hint = meant ? `; did you mean ${meant}?` : '; use one such as US, CA or GB, or default';
  return `"${key}" is not an ISO 3166-1 alpha-2 region code with a phone numbering plan${hint}`;
}

/**
 * Rules across fields and against reference data, checked when settings are written (stored ones are read as they
 * are): budgets in another currency than the price table's need the tenant's own prices (the table's are in USD);
 * price keys are regions libphonenumber-js knows.
 */
export const settingsRulesSchema = settingsSchema.superRefine((settings, ctx) => {
  if (settings.currency !== 'USD' && settings.pricePerSegment.default === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['pricePerSegment', 'default'],
      message: `is required in ${settings.currency}: the price table is in USD`,
    });
  }
  for (const key of Object.keys(settings.pricePerSegment)) {
    const problem = priceRegionProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', path: ['pricePerSegment', key], message: problem });
  }
});

/** What a tenant that never saved settings gets: the conservative, compliant choice everywhere. */
export const defaultSettings: Settings = {
  businessName: null,
  defaultCountry: 'US',
  defaultTimeZone: 'America/New_York',
  sendWindow: { start: '10:00', end: '17:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] },
  autoAppendOptOut: true,
  optOutText: 'Reply STOP to unsubscribe',
  helpText: 'Reply STOP to unsubscribe. Msg & data rates may apply.',
  frequencyCap: { maxMessages: 1, perHours: 24 },
  originationIdentity: null,
  mps: 20,
  marketingRequiresOptIn: true,
  maxSegments: MAX_SEGMENTS_BOUNDS.default,
  carrierDailyCap: null,
  currency: 'USD',
  monthlyBudget: null,
  pricePerSegment: {},
  trackLinks: false,
  shortLinkDomain: null,
  linkRetentionDays: DEFAULT_LINK_RETENTION_DAYS,
};

/** PATCH body: any subset of the settings; `sendWindow` and `frequencyCap` may be partial too. */
export const settingsPatchSchema = z
  .object({
    businessName: z.string().nullable(),
    defaultCountry: z.string(),
    defaultTimeZone: z.string(),
    sendWindow: z.object({ start: z.string(), end: z.string(), days: z.array(z.string()) }).partial(),
    autoAppendOptOut: z.boolean(),
    optOutText: z.string(),
    helpText: z.string(),
    frequencyCap: z.object({ maxMessages: z.number(), perHours: z.number() }).partial(),
    originationIdentity: z.string().nullable(),
    mps: z.number(),
    marketingRequiresOptIn: z.boolean(),
    maxSegments: z.number(),
    carrierDailyCap: z.object({ segmentsPerDay: z.number() }).nullable(),
    currency: z.string(),
    monthlyBudget: z.number().nullable(),
    pricePerSegment: z.record(z.string(), z.number()),
    trackLinks: z.boolean(),
    shortLinkDomain: z.string().nullable(),
    linkRetentionDays: z.number(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** Merges a patch onto the current settings; the result is validated as a whole by the caller. */
export function mergeSettings(current: Settings, patch: SettingsPatch): unknown {
  return {
    ...current,
    ...patch,
    sendWindow: { ...current.sendWindow, ...patch.sendWindow },
    frequencyCap: { ...current.frequencyCap, ...patch.frequencyCap },
  };
}
