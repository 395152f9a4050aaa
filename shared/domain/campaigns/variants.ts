import { createHash } from 'node:crypto';
import { z } from 'zod';
import { refineBodyLinks } from '../links/tracked-urls';
import { refineBodyWithinSegmentBound } from '../sms/segment-limit';

export const VARIANT_LIMITS = { min: 2, max: 5 } as const;

/** One message variant of an A/B campaign and the share of recipients who get it. */
export const variantSchema = z.strictObject({
  body: z.string().min(1, 'must not be empty').superRefine(refineBodyWithinSegmentBound).superRefine(refineBodyLinks),
  percent: z
    .number('must be a whole percentage')
    .int('must be a whole percentage')
    .min(1, 'must be at least 1')
    .max(99, 'must be at most 99'),
});
export type Variant = z.infer<typeof variantSchema>;

/** 2 to 5 variants whose percentages add up to 100 (a 400 naming `variants` otherwise). */
export const variantsSchema = z
  .array(variantSchema)
  .min(VARIANT_LIMITS.min, `must hold at least ${VARIANT_LIMITS.min} variants`)
  .max(VARIANT_LIMITS.max, `must hold at most ${VARIANT_LIMITS.max} variants`)
  .superRefine((variants, ctx) => {
    const total = variants.reduce((sum, variant) => sum + variant.percent, 0);
    if (total !== 100) {
      ctx.addIssue({ code: 'custom', message: `percentages must add up to 100 (they add up to ${total})` });
    }
  });

/**
 * The variant a recipient gets: a hash of campaign and contact picks a point in 0-9999, and the variants' cumulative
 * percentages split that range. The same recipient always gets the same variant of the same campaign (retries,
 * restarts, a second launcher), and over many recipients each variant's share is its percentage.
 */
export function assignVariant(campaignId: string, contactId: string, percents: readonly number[]): number {
  const digest = createHash('sha256').update(`${campaignId}\u0000${contactId}`).digest();
  const point = digest.readUInt32BE(0) % 10_000;
  let cumulative = 0;
  for (const [index, percent] of percents.entries()) {
    cumulative += percent * 100;
    if (point < cumulative) return index;
  }
  return percents.length - 1;
}
