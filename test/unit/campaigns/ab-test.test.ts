import fc from 'fast-check';
import {
  abGroupOf,
  abTestPhaseShown,
  abTestSchema,
  assertAbTestFits,
  nextAbTestPhase,
  pickWinner,
  testEndsAt,
} from '../../../shared/domain/campaigns/ab-test';
import { winnerTimingWarnings } from '../../../shared/domain/campaigns/ab-test-warnings';
import { assignVariant } from '../../../shared/domain/campaigns/variants';
import { ValidationError } from '../../../shared/domain/errors';
import type { SendWindow } from '../../../shared/domain/settings/settings.schema';

const contactIdOf = (i: number) => `01JD${i.toString(36).toUpperCase().padStart(22, '0')}`;
const AB = { mode: 'testThenWinner', testPercent: 20, waitMinutes: 60, winnerMetric: 'responseRate' } as const;

/** The variant a test-then-winner recipient ends with: a test variant in the test share, the winner otherwise. */
function variantOf(campaignId: string, contactId: string, testPercent: number, percents: number[], winner: number) {
  return abGroupOf(campaignId, contactId, testPercent) === 'test'
    ? assignVariant(campaignId, contactId, percents)
    : winner;
}

describe('test-then-winner split', () => {
  it('puts every recipient in one group with one variant, the same every time (retries, restarts)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 50 }),
        fc.string({ minLength: 1 }),
        fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 1 }),
        (testPercent, campaignId, contactIds, winner) => {
          for (const contactId of contactIds) {
            // Act
            const first = variantOf(campaignId, contactId, testPercent, [50, 50], winner);
            const again = variantOf(campaignId, contactId, testPercent, [50, 50], winner);

            // Assert
            expect(first).toBe(again);
            expect([0, 1]).toContain(first);
          }
        },
      ),
    );
  });

  it('sends the test share within ±2 points of testPercent at 10,000 recipients, its variants within ±2 points', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 50 }),
        fc.integer({ min: 10, max: 90 }),
        fc.string({ minLength: 1, maxLength: 30 }),
        (testPercent, firstPercent, campaignId) => {
          // Arrange
          const percents = [firstPercent, 100 - firstPercent];
          const tested = [0, 0];

          // Act
          for (let i = 0; i < 10_000; i++) {
            const contactId = contactIdOf(i);
            if (abGroupOf(campaignId, contactId, testPercent) !== 'test') continue;
            tested[assignVariant(campaignId, contactId, percents)]! += 1;
          }

          // Assert: shares of all 10,000 recipients
          const testShare = (tested[0] as number) + (tested[1] as number);
          expect(Math.abs(testShare / 100 - testPercent)).toBeLessThanOrEqual(2);
          percents.forEach((percent, variant) => {
            const expected = (testPercent * percent) / 100;
            expect(Math.abs((tested[variant] as number) / 100 - expected)).toBeLessThanOrEqual(2);
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the winner rule', () => {
  it('picks the highest rate over delivered', () => {
    const winner = pickWinner('responseRate', [
      { variant: 0, delivered: 100, successes: 5 },
      { variant: 1, delivered: 50, successes: 5 },
    ]);
    expect(winner).toMatchObject({ variant: 1, rate: 0.1, basis: 'highestRate' });
    expect(winner.reason).toBe('variant 2 had the highest response rate in the test (10.0% of 50 delivered)');
  });

  it('gives a tie to the variant listed first', () => {
    const winner = pickWinner('clickThroughRate', [
      { variant: 0, delivered: 10, successes: 1 },
      { variant: 1, delivered: 20, successes: 4 },
      { variant: 2, delivered: 40, successes: 8 },
    ]);
    expect(winner).toMatchObject({ variant: 1, rate: 0.2, basis: 'tieFirstListed' });
    expect(winner.reason).toContain('variants 2, 3 tied on click-through rate');
  });

  it('sends the first variant when nothing was delivered in the test; a variant with none delivered never wins', () => {
    expect(
      pickWinner('responseRate', [
        { variant: 0, delivered: 0, successes: 0 },
        { variant: 1, delivered: 0, successes: 0 },
      ]),
    ).toMatchObject({ variant: 0, rate: null, basis: 'noDeliveries' });
    expect(
      pickWinner('responseRate', [
        { variant: 0, delivered: 0, successes: 0 },
        { variant: 1, delivered: 3, successes: 0 },
      ]),
    ).toMatchObject({ variant: 1, rate: 0, basis: 'highestRate' });
  });

  it('always picks one of the variants, deterministically', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(1000), fc.nat(1000)), { minLength: 2, maxLength: 5 }),
        fc.constantFrom('responseRate' as const, 'clickThroughRate' as const),
        (pairs, metric) => {
          const rates = pairs.map(([delivered, extra], variant) => ({
            variant,
            delivered,
            successes: Math.min(delivered, extra),
          }));
          const first = pickWinner(metric, rates);
          expect(pickWinner(metric, [...rates].reverse())).toEqual(first);
          expect(first.variant).toBeGreaterThanOrEqual(0);
          expect(first.variant).toBeLessThan(rates.length);
        },
      ),
    );
  });
});

describe('test-then-winner phases', () => {
  it('moves testing -> waiting -> sendingWinner, each once', () => {
    expect(nextAbTestPhase('testing', 'testLaunched')).toBe('waiting');
    expect(nextAbTestPhase('waiting', 'pickWinner')).toBe('sendingWinner');
    expect(nextAbTestPhase('testing', 'pickWinner')).toBeUndefined();
    expect(nextAbTestPhase('waiting', 'testLaunched')).toBeUndefined();
    expect(nextAbTestPhase('sendingWinner', 'pickWinner')).toBeUndefined();
  });

  it('shows done once sent and cancelled after a cancel', () => {
    const waiting = { phase: 'waiting' as const, testLaunchedAt: null, testEndsAt: null, winner: null };
    expect(abTestPhaseShown('sending', waiting)).toBe('waiting');
    expect(abTestPhaseShown('cancelled', waiting)).toBe('cancelled');
    expect(abTestPhaseShown('sent', waiting)).toBe('done');
  });

  it('ends the wait on a whole second, never before waitMinutes', () => {
    const end = testEndsAt(new Date('2026-03-04T19:00:00.250Z'), 60);
    expect(end.toISOString()).toBe('2026-03-04T20:00:01.000Z');
  });
});

describe('test-then-winner input', () => {
  it.each([
    [{ ...AB, testPercent: 4 }, 'testPercent', 'must be at least 5'],
    [{ ...AB, testPercent: 51 }, 'testPercent', 'must be at most 50'],
    [{ ...AB, testPercent: 12.5 }, 'testPercent', 'must be a whole percentage'],
    [{ ...AB, waitMinutes: 14 }, 'waitMinutes', 'must be at least 15'],
    [{ ...AB, waitMinutes: 4321 }, 'waitMinutes', 'must be at most 4320 (3 days)'],
    [{ ...AB, winnerMetric: 'opens' }, 'winnerMetric', undefined],
  ])('refuses %j naming %s', (input, field, message) => {
    const result = abTestSchema.safeParse(input);
    const issue = result.error?.issues.find((i) => i.path[0] === field);
    expect(issue).toBeDefined();
    if (message) expect(issue?.message).toBe(message);
  });

  it('needs variants, and tracked links to pick by click-through rate', () => {
    const abTest = abTestSchema.parse(AB);
    expect(() => assertAbTestFits({ abTest, variants: null, trackLinks: true })).toThrow(ValidationError);
    expect(() =>
      assertAbTestFits({
        abTest: { ...abTest, winnerMetric: 'clickThroughRate' },
        variants: [1, 2],
        trackLinks: false,
      }),
    ).toThrow('abTest.winnerMetric');
    expect(() => assertAbTestFits({ abTest, variants: [1, 2], trackLinks: false })).not.toThrow();
  });
});

describe('the winner-timing warning', () => {
  const window: SendWindow = { start: '10:00', end: '17:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] };
  const abTest = abTestSchema.parse(AB);

  it('warns when the wait ends after the window closes', () => {
    // 16:30 in New York on a Wednesday, a 60-minute wait: 17:30, after the 17:00 close
    const warnings = winnerTimingWarnings(new Date('2026-03-04T21:30:00Z'), abTest, 'America/New_York', window);
    expect(warnings.map((w) => w.code)).toEqual(['WINNER_AFTER_WINDOW']);
    expect(warnings[0]?.message).toContain('ends Wed 17:30 in America/New_York');
  });

  it('says nothing when the wait ends inside the window, or for a plain campaign', () => {
    const at = new Date('2026-03-04T15:00:00Z');
    expect(winnerTimingWarnings(at, abTest, 'America/New_York', window)).toEqual([]);
    expect(winnerTimingWarnings(new Date('2026-03-04T21:30:00Z'), null, 'America/New_York', window)).toEqual([]);
  });
});
