import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../errors';

/** Bounds of a test-then-winner campaign: the test share (percent of the audience) and the wait (minutes). */
export const AB_TEST_LIMITS = {
  testPercent: { min: 5, max: 50 },
  waitMinutes: { min: 15, max: 4_320 },
} as const;

export const winnerMetricSchema = z.enum(['responseRate', 'clickThroughRate']);
export type WinnerMetric = z.infer<typeof winnerMetricSchema>;

const { testPercent, waitMinutes } = AB_TEST_LIMITS;

/**
 * Test-then-winner: the variants (split by their percentages) go to a test share of the audience; after the wait the
 * variant with the best `winnerMetric` goes to everyone else.
 */
export const abTestSchema = z.strictObject({
  mode: z.literal('testThenWinner', 'must be testThenWinner'),
  testPercent: z
    .number('must be a whole percentage')
    .int('must be a whole percentage')
    .min(testPercent.min, `must be at least ${testPercent.min}`)
    .max(testPercent.max, `must be at most ${testPercent.max}`)
    .meta({ description: 'Share of the audience that gets the test variants; the rest gets the winner' }),
  waitMinutes: z
    .number('must be a whole number of minutes')
    .int('must be a whole number of minutes')
    .min(waitMinutes.min, `must be at least ${waitMinutes.min}`)
    .max(waitMinutes.max, `must be at most ${waitMinutes.max} (3 days)`)
    .meta({ description: 'How long after the test share is launched the winner is picked' }),
  winnerMetric: winnerMetricSchema
    .default('responseRate')
    .meta({ description: 'responseRate (replies / delivered) or clickThroughRate (unique clickers / delivered)' }),
});
export type AbTest = z.infer<typeof abTestSchema>;

/**
 * The phases of a test-then-winner campaign while it is `sending` (the campaign's own status is unchanged):
 *
 *   testing ──testLaunched──> waiting ──pickWinner (wait over)──> sendingWinner ──(remainder launched)──> sent
 *
 * A cancel in any phase stops the campaign; cancelled while `waiting`, the remainder is never put on the ledger.
 */
export const abTestPhaseSchema = z.enum(['testing', 'waiting', 'sendingWinner']);
export type AbTestPhase = z.infer<typeof abTestPhaseSchema>;
export type AbTestMove = 'testLaunched' | 'pickWinner';

const PHASE_MOVES: Record<AbTestMove, Partial<Record<AbTestPhase, AbTestPhase>>> = {
  testLaunched: { testing: 'waiting' },
  pickWinner: { waiting: 'sendingWinner' },
};

/** The phase after `move`, or undefined when it does not apply (a second pick, a late test launch). */
export function nextAbTestPhase(phase: AbTestPhase, move: AbTestMove): AbTestPhase | undefined {
  return PHASE_MOVES[move][phase];
}

/** Why the winner is the winner (see {@link pickWinner}). */
export const winnerBasisSchema = z.enum(['highestRate', 'tieFirstListed', 'noDeliveries']);

export const abTestWinnerSchema = z.object({
  variant: z.number().int().min(0),
  metric: winnerMetricSchema,
  /** The winner's rate in the test share (null: nothing delivered). */
  rate: z.number().nullable(),
  basis: winnerBasisSchema,
  reason: z.string(),
  pickedAt: z.iso.datetime(),
});
export type AbTestWinner = z.infer<typeof abTestWinnerSchema>;

export const abTestStateSchema = z.object({
  phase: abTestPhaseSchema,
  /** When the test share was on the ledger, and when the wait ends (whole seconds). */
  testLaunchedAt: z.iso.datetime().nullable(),
  testEndsAt: z.iso.datetime().nullable(),
  winner: abTestWinnerSchema.nullable(),
});
export type AbTestState = z.infer<typeof abTestStateSchema>;

export const initialAbTestState = (): AbTestState => ({
  phase: 'testing',
  testLaunchedAt: null,
  testEndsAt: null,
  winner: null,
});

/** Which group a recipient is in: the test share gets a test variant, the remainder waits for the winner. */
export type AbGroup = 'test' | 'remainder';

/**
 * Test share or remainder, from a hash of campaign and contact (bytes other than those {@link assignVariant} reads, so
 * the split and the variant are independent): the same recipient is always in the same group of the same campaign.
 */
export function abGroupOf(campaignId: string, contactId: string, testPercentOfAudience: number): AbGroup {
  const digest = createHash('sha256').update(`${campaignId}\u0000${contactId}\u0000group`).digest();
  return digest.readUInt32BE(0) % 10_000 < testPercentOfAudience * 100 ? 'test' : 'remainder';
}

/** When the wait ends: `waitMinutes` after the test launch, rounded up to a whole second (schedules fire by second). */
export function testEndsAt(testLaunchedAt: Date, minutes: number): Date {
  return new Date(Math.ceil((testLaunchedAt.getTime() + minutes * 60_000) / 1000) * 1000);
}

export interface VariantRate {
  variant: number;
  delivered: number;
  successes: number;
}

/**
 * The winner rule, documented in the README: the highest rate (successes / delivered) in the test share wins; variants
 * tied on the best rate go to the one listed first; when no test text was delivered at all there is no rate to go by,
 * and the first variant (the marketer's lead) is sent. The significance of the lead is reported apart (it never
 * blocks the pick: the remainder is sent when the wait ends, as the marketer asked).
 */
export function pickWinner(
  metric: WinnerMetric,
  rates: readonly VariantRate[],
): Pick<AbTestWinner, 'variant' | 'rate' | 'basis' | 'reason'> {
  const label = metric === 'responseRate' ? 'response rate' : 'click-through rate';
  const measured = rates.filter((r) => r.delivered > 0);
  if (measured.length === 0) {
    return {
      variant: 0,
      rate: null,
      basis: 'noDeliveries',
      reason: 'no test text was delivered before the wait ended: variant 1 (listed first) is sent by rule',
    };
  }
  const rateOf = (r: VariantRate) => r.successes / r.delivered;
  const best = Math.max(...measured.map(rateOf));
  const leaders = measured.filter((r) => rateOf(r) === best).sort((a, b) => a.variant - b.variant);
  const winner = leaders[0] as VariantRate;
  const percent = `${(best * 100).toFixed(1)}%`;
  if (leaders.length > 1) {
    const tied = leaders.map((r) => r.variant + 1).join(', ');
    return {
      variant: winner.variant,
      rate: best,
      basis: 'tieFirstListed',
      reason: `variants ${tied} tied on ${label} (${percent}): variant ${winner.variant + 1}, listed first, is sent`,
    };
  }
  return {
    variant: winner.variant,
    rate: best,
    basis: 'highestRate',
    reason: `variant ${winner.variant + 1} had the highest ${label} in the test (${percent} of ${winner.delivered} delivered)`,
  };
}

/**
 * What a test-then-winner campaign needs beyond its own fields (a 400 naming the field): variants to test, and, to
 * pick by click-through rate, tracked links.
 */
export function assertAbTestFits(campaign: {
  abTest: AbTest | null;
  variants: readonly unknown[] | null;
  trackLinks: boolean;
}): void {
  if (!campaign.abTest) return;
  if (!campaign.variants) {
    throw new ValidationError('abTest: needs variants (2 to 5) to test', [
      { path: 'abTest', message: 'needs variants (2 to 5) to test' },
    ]);
  }
  if (campaign.abTest.winnerMetric === 'clickThroughRate' && !campaign.trackLinks) {
    const message = 'clickThroughRate needs trackLinks: true (clicks are only counted on tracked links)';
    throw new ValidationError(`abTest.winnerMetric: ${message}`, [{ path: 'abTest.winnerMetric', message }]);
  }
}

/** The winner rule in one sentence, shown with the results. */
export const WINNER_RULE =
  'The variant with the highest rate on the chosen metric in the test share wins; a tie goes to the variant listed first; with nothing delivered in the test, variant 1 is sent. The significance note says how sure the lead is; it never holds the remainder back.';

/** The phase the results show: the stored one while sending or paused, `done` once sent, `cancelled` after a cancel. */
export function abTestPhaseShown(status: string, state: AbTestState | null): AbTestPhase | 'done' | 'cancelled' {
  if (status === 'sent') return 'done';
  if (status === 'cancelled') return 'cancelled';
  return state?.phase ?? 'testing';
}
