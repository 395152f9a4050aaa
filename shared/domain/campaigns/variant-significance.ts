/** Fewer delivered texts than this in either variant compared, and the results say "not enough data". */
export const MIN_DELIVERED_FOR_SIGNIFICANCE = 100;

export interface VariantOutcome {
  variant: number;
  delivered: number;
  successes: number;
}

export interface SignificanceNote {
  metric: 'responseRate' | 'clickThroughRate';
  /** The variants compared: the best two by the metric. */
  compared: [number, number] | null;
  /** Two-sided p-value of the two-proportion z-test, or null with not enough data. */
  pValue: number | null;
  note: string;
}

/** Standard normal CDF (Abramowitz-Stegun 26.2.17, error below 7.5e-8). */
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = 0.3989422804014327 * Math.exp((-z * z) / 2);
  const tail = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z > 0 ? 1 - tail : tail;
}

/**
 * Whether the best variant's rate differs from the runner-up's by more than chance: a two-proportion z-test (pooled)
 * on successes over delivered. Below {@link MIN_DELIVERED_FOR_SIGNIFICANCE} delivered in either, "not enough data".
 */
export function compareVariants(
  metric: SignificanceNote['metric'],
  outcomes: readonly VariantOutcome[],
): SignificanceNote {
  const rate = (o: VariantOutcome) => (o.delivered > 0 ? o.successes / o.delivered : 0);
  const [best, second] = [...outcomes].sort((a, b) => rate(b) - rate(a));
  if (!best || !second) return { metric, compared: null, pValue: null, note: 'not enough data' };
  const compared: [number, number] = [best.variant, second.variant];
  if (best.delivered < MIN_DELIVERED_FOR_SIGNIFICANCE || second.delivered < MIN_DELIVERED_FOR_SIGNIFICANCE) {
    return {
      metric,
      compared,
      pValue: null,
      note: `not enough data (at least ${MIN_DELIVERED_FOR_SIGNIFICANCE} delivered per variant)`,
    };
  }
  const pooled = (best.successes + second.successes) / (best.delivered + second.delivered);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / best.delivered + 1 / second.delivered));
  const z = se === 0 ? 0 : (rate(best) - rate(second)) / se;
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  const note =
    pValue < 0.05
      ? `variant ${best.variant + 1} leads on ${metric} (p = ${pValue.toFixed(3)}, significant at 95%)`
      : `no significant difference on ${metric} yet (p = ${pValue.toFixed(3)})`;
  return { metric, compared, pValue, note };
}
