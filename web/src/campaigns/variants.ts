/** An A/B version as the console edits it: its text and the share of recipients (or of the test share) it gets. */
export interface VariantDraft {
  body: string;
  percent: number;
}

export type WinnerMetric = 'responseRate' | 'clickThroughRate';

/** Test-then-winner as the console edits it (the API's `abTest` without its fixed mode). */
export interface AbTestDraft {
  testPercent: number;
  waitMinutes: number;
  winnerMetric: WinnerMetric;
}

export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 5;
export const DEFAULT_AB_TEST: AbTestDraft = { testPercent: 20, waitMinutes: 240, winnerMetric: 'responseRate' };

/** Whole percentages adding up to 100, as even as they can be (the first ones take the remainder): 34/33/33. */
export function evenShares(count: number): number[] {
  const base = Math.floor(100 / count);
  return Array.from({ length: count }, (_, index) => base + (index < 100 - base * count ? 1 : 0));
}

/** The same texts split evenly. */
export function splitEvenly(variants: readonly VariantDraft[]): VariantDraft[] {
  const shares = evenShares(variants.length);
  return variants.map((variant, index) => ({ ...variant, percent: shares[index] ?? 0 }));
}

/** Two versions from one message: the text as version A, an empty version B, half each. */
export function startTesting(body: string): VariantDraft[] {
  return splitEvenly([
    { body, percent: 0 },
    { body: '', percent: 0 },
  ]);
}

/** One more version (at most five), the split made even again. */
export function addVariant(variants: readonly VariantDraft[]): VariantDraft[] {
  if (variants.length >= MAX_VARIANTS) return [...variants];
  return splitEvenly([...variants, { body: '', percent: 0 }]);
}

/** Without version `index` (never below two), the split made even again. */
export function removeVariant(variants: readonly VariantDraft[], index: number): VariantDraft[] {
  if (variants.length <= MIN_VARIANTS) return [...variants];
  return splitEvenly(variants.filter((_, at) => at !== index));
}

export const sharesTotal = (variants: readonly VariantDraft[]) =>
  variants.reduce((sum, variant) => sum + variant.percent, 0);

/** "Version A", "Version B"...: how the console and its results name the variants in order. */
export const versionName = (index: number) => `Version ${String.fromCharCode(65 + index)}`;

/** The API's `abTest` for a draft (null: a plain split). */
export function abTestInput(test: AbTestDraft | null) {
  return test ? { mode: 'testThenWinner' as const, ...test } : null;
}
