import type { VariantRate, WinnerMetric } from './ab-test';
import type { LedgerEntry } from './ledger.schema';
import { compareVariants } from './variant-significance';

interface Figures {
  recipients: number;
  delivered: number;
  replies: number;
  clicks: number;
  uniqueClickers: number;
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/**
 * An A/B campaign's figures per variant from its ledger, entry by entry (the variant was fixed on the entry at launch),
 * with the two-proportion significance notes on response rate and click-through rate.
 */
export class VariantTally {
  private readonly figures: Figures[];

  constructor(private readonly percents: readonly number[]) {
    this.figures = percents.map(() => ({ recipients: 0, delivered: 0, replies: 0, clicks: 0, uniqueClickers: 0 }));
  }

  add(entry: Pick<LedgerEntry, 'variant' | 'status' | 'repliedAt' | 'clicks' | 'clickedAt'>): void {
    const figures = entry.variant === undefined ? undefined : this.figures[entry.variant];
    if (!figures) return;
    figures.recipients++;
    if (entry.status === 'delivered') figures.delivered++;
    if (entry.repliedAt) figures.replies++;
    figures.clicks += entry.clicks ?? 0;
    if (entry.clickedAt) figures.uniqueClickers++;
  }

  /** Each variant's successes on `metric` (replies, or recipients who clicked) over delivered: what a winner is picked by. */
  rates(metric: WinnerMetric): VariantRate[] {
    return this.figures.map((f, variant) => ({
      variant,
      delivered: f.delivered,
      successes: metric === 'responseRate' ? f.replies : f.uniqueClickers,
    }));
  }

  summary() {
    const variants = this.figures.map((f, variant) => ({
      variant,
      percent: this.percents[variant] as number,
      ...f,
      responseRate: rate(f.replies, f.delivered),
      clickThroughRate: rate(f.uniqueClickers, f.delivered),
    }));
    const outcomes = (successes: (f: Figures) => number) =>
      this.figures.map((f, variant) => ({ variant, delivered: f.delivered, successes: successes(f) }));
    return {
      variants,
      variantSignificance: {
        responseRate: compareVariants(
          'responseRate',
          outcomes((f) => f.replies),
        ),
        clickThroughRate: compareVariants(
          'clickThroughRate',
          outcomes((f) => f.uniqueClickers),
        ),
      },
    };
  }
}
