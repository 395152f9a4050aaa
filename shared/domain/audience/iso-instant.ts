import { z } from 'zod';

const ISO_DATE = z.regexes.date;
const ISO_DATE_TIME = z.regexes.datetime({ offset: true });

/**
 * Whether a text is an ISO-8601 instant in a form the filter schema accepts as a date value: a calendar date
 * (`2026-11-26`, read as midnight UTC) or a date-time with `Z` or an offset. A date-time without a zone is not one:
 * its meaning would depend on the server's zone. Used so that a custom field holding free text never passes for a date.
 */
export function isIsoInstantText(text: string): boolean {
  return ISO_DATE.test(text) || ISO_DATE_TIME.test(text);
}

/** The instant (epoch ms) an ISO-8601 text names (see {@link isIsoInstantText}), or NaN. */
export function parseIsoInstant(text: string): number {
  return isIsoInstantText(text) ? Date.parse(text) : Number.NaN;
}

/** A date value in a filter: the same two forms {@link isIsoInstantText} accepts. */
export const isoDateValueSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be an ISO-8601 date (2026-11-26) or date-time with a zone (2026-11-26T17:00:00Z)',
});
