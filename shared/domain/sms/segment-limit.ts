import type { z } from 'zod';
import { ValidationError } from '../errors';
import { graphemesOf } from './graphemes';
import { appendOptOutFooter } from './opt-out';
import { measureSegments } from './segments';
import type { MessageType, OptOutSettings } from './sms.schema';

/**
 * The bounds of a tenant's `maxSegments`. Ten parts is what carriers reassemble reliably and what the API promised
 * before the limit became a setting; a tenant may only tighten it. Counting in segments, not characters, is what
 * makes the limit mean the same for GSM-7 (153 characters a part) and UCS-2 (67) texts.
 */
export const MAX_SEGMENTS_BOUNDS = { min: 1, max: 10, default: 10 } as const;

export interface SegmentLimitOptions {
  /** The tenant's `maxSegments`. */
  maxSegments: number;
  /** True when `text` is the body with the automatic opt-out footer appended (said in the message). */
  footerIncluded?: boolean;
}

/**
 * The one message for a body over the segment limit, or null when it fits. It names the limit, and the body's count
 * and encoding as the composer's preview shows them (placeholders as written), so the user can see what to cut:
 * "must fit in 10 segments (maxSegments); it is 11 segments of GSM-7 (1600 characters)".
 */
export function segmentLimitIssue(text: string, options: SegmentLimitOptions): string | null {
  const count = measureSegments(text);
  if (count.segments <= options.maxSegments) return null;
  const characters = graphemesOf(text).length;
  const footer = options.footerIncluded ? ', opt-out footer included' : '';
  return `must fit in ${segmentsOf(options.maxSegments)} (maxSegments); it is ${segmentsOf(count.segments)} of ${count.encoding} (${characters} characters${footer})`;
}

const segmentsOf = (count: number) => `${count} segment${count === 1 ? '' : 's'}`;

/** The settings that decide how long a body may be as sent. */
export type SegmentLimitSettings = OptOutSettings & { maxSegments: number };

/**
 * The limit checked where a body is accepted (campaigns, workflow texts, the preview): the body as it will be sent,
 * with the tenant's opt-out footer where it gets one, against the tenant's `maxSegments`. Placeholders count as
 * written, as the preview counts them without a contact. Null when it fits.
 */
export function bodySegmentIssue(
  body: string,
  settings: SegmentLimitSettings,
  messageType: MessageType,
): string | null {
  const sent = appendOptOutFooter(body, settings, messageType);
  return segmentLimitIssue(sent, { maxSegments: settings.maxSegments, footerIncluded: sent !== body });
}

/** Throws the 400 naming `path` (e.g. `body`, `steps.2.body`) when the body is over the tenant's segment limit. */
export function assertBodyWithinSegmentLimit(
  body: string,
  settings: SegmentLimitSettings,
  messageType: MessageType,
  path = 'body',
): void {
  const issue = bodySegmentIssue(body, settings, messageType);
  if (issue !== null) throw new ValidationError(`Invalid request body: ${path}: ${issue}`, [{ path, message: issue }]);
}

/**
 * A zod refinement for where a body is parsed before the tenant is known: the widest limit any tenant may have, in the
 * same words as {@link assertBodyWithinSegmentLimit}, so no body passes the schema only to fail for every tenant.
 */
export function refineBodyWithinSegmentBound(value: string, ctx: z.RefinementCtx): void {
  const issue = segmentLimitIssue(value, { maxSegments: MAX_SEGMENTS_BOUNDS.max });
  if (issue !== null) ctx.addIssue({ code: 'custom', message: issue });
}
