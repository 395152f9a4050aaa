import fc from 'fast-check';
import { compareVariants } from '../../../shared/domain/campaigns/variant-significance';
import { assignVariant, variantsSchema } from '../../../shared/domain/campaigns/variants';

/** Splits of 2-5 whole percentages (each at least 1) that add up to 100. */
const splits = fc
  .integer({ min: 2, max: 5 })
  .chain((n) => fc.array(fc.integer({ min: 1, max: 100 }), { minLength: n, maxLength: n }))
  .map((weights) => {
    const total = weights.reduce((a, b) => a + b, 0);
    const percents = weights.map((w) => Math.max(1, Math.floor((w / total) * 100)));
    const surplus = percents.reduce((a, b) => a + b, 0) - 100;
    const largest = percents.indexOf(Math.max(...percents));
    percents[largest] = (percents[largest] as number) - surplus;
    return percents;
  })
  .filter((percents) => percents.every((p) => p >= 1));

describe('A/B variant assignment', () => {
  it('gives every recipient exactly one variant, the same every time it is asked (retries, restarts)', () => {
    fc.assert(
      fc.property(
        splits,
        fc.string({ minLength: 1 }),
        fc.array(fc.string({ minLength: 1 }), { minLength: 1 }),
        (percents, campaignId, contactIds) => {
          for (const contactId of contactIds) {
            // Act
            const first = assignVariant(campaignId, contactId, percents);
            const again = assignVariant(campaignId, contactId, [...percents]);

            // Assert
            expect(first).toBe(again);
            expect(Number.isInteger(first) && first >= 0 && first < percents.length).toBe(true);
          }
        },
      ),
    );
  });

  it('splits 10,000 recipients within ±2 points of each variant’s percentage', () => {
    fc.assert(
      fc.property(splits, fc.string({ minLength: 1, maxLength: 30 }), (percents, campaignId) => {
        // Arrange: contact ids as the API makes them (ULID-like), one campaign
        const counts = percents.map(() => 0);

        // Act
        for (let i = 0; i < 10_000; i++) {
          const contactId = `01JD${i.toString(36).toUpperCase().padStart(22, '0')}`;
          counts[assignVariant(campaignId, contactId, percents)]! += 1;
        }

        // Assert
        percents.forEach((percent, variant) => {
          expect(Math.abs((counts[variant] as number) / 100 - percent)).toBeLessThanOrEqual(2);
        });
      }),
      { numRuns: 40 },
    );
  });
});

describe('variants schema', () => {
  it.each([
    [
      [
        { body: 'A', percent: 50 },
        { body: 'B', percent: 40 },
      ],
      'percentages must add up to 100 (they add up to 90)',
    ],
    [[{ body: 'A', percent: 100 }], 'must hold at least 2 variants'],
    [Array.from({ length: 6 }, () => ({ body: 'x', percent: 10 })), 'must hold at most 5 variants'],
  ])('refuses %j', (variants, message) => {
    const result = variantsSchema.safeParse(variants);
    expect(result.error?.issues.map((issue) => issue.message)).toContain(message);
  });
});

describe('variant significance (two-proportion z-test)', () => {
  it('says "not enough data" below 100 delivered per variant', () => {
    const note = compareVariants('responseRate', [
      { variant: 0, delivered: 99, successes: 50 },
      { variant: 1, delivered: 500, successes: 5 },
    ]);
    expect(note).toMatchObject({ pValue: null, compared: [0, 1] });
    expect(note.note).toMatch(/^not enough data/);
  });

  it('finds 20% vs 10% over 1,000 each significant, and 11% vs 10% not', () => {
    const clear = compareVariants('responseRate', [
      { variant: 0, delivered: 1000, successes: 100 },
      { variant: 1, delivered: 1000, successes: 200 },
    ]);
    const close = compareVariants('responseRate', [
      { variant: 0, delivered: 1000, successes: 100 },
      { variant: 1, delivered: 1000, successes: 110 },
    ]);
    expect(clear.compared).toEqual([1, 0]);
    expect(clear.pValue).toBeLessThan(0.001);
    expect(clear.note).toContain('variant 2 leads');
    // z = 0.73 for 11% vs 10% at 1,000 each: p about 0.47
    expect(close.pValue).toBeCloseTo(0.466, 2);
    expect(close.note).toContain('no significant difference');
  });
});
