import type { LedgerEntry } from '../campaigns/ledger.schema';

/** Clicks and the people who clicked, and the share of delivered recipients who did (null before any delivery). */
export interface ClickFigures {
  clicks: number;
  uniqueClickers: number;
  clickThroughRate: number | null;
}

interface Counting {
  clicks: number;
  uniqueClickers: number;
  delivered: number;
}

const blank = (): Counting => ({ clicks: 0, uniqueClickers: 0, delivered: 0 });
const figures = (c: Counting): ClickFigures => ({
  clicks: c.clicks,
  uniqueClickers: c.uniqueClickers,
  clickThroughRate: c.delivered > 0 ? c.uniqueClickers / c.delivered : null,
});

/**
 * A campaign's click results from its ledger, entry by entry: in all, per link (by position in the text) and per tag
 * the recipient carried at launch. Click-through rate is unique clickers over delivered recipients. Counting from the
 * entries themselves keeps the figures equal to the per-recipient truth.
 */
export class ClickTally {
  private readonly total = blank();
  private readonly links = new Map<number, Counting>();
  private readonly tags = new Map<string, Counting>();

  add(entry: Pick<LedgerEntry, 'status' | 'clicks' | 'clickedAt' | 'linkClicks' | 'tags'>): void {
    const delivered = entry.status === 'delivered' ? 1 : 0;
    const clicks = entry.clicks ?? 0;
    const clicked = entry.clickedAt ? 1 : 0;
    const bump = (c: Counting) => {
      c.clicks += clicks;
      c.uniqueClickers += clicked;
      c.delivered += delivered;
    };
    bump(this.total);
    for (const tag of entry.tags ?? []) {
      const counting = this.tags.get(tag) ?? blank();
      this.tags.set(tag, counting);
      bump(counting);
    }
    for (const [index, n] of Object.entries(entry.linkClicks ?? {})) {
      const counting = this.links.get(Number(index)) ?? blank();
      this.links.set(Number(index), counting);
      counting.clicks += n;
      counting.uniqueClickers += n > 0 ? 1 : 0;
    }
  }

  /** The figures; `urls` names each link by its position in the campaign's text (what was written there). */
  summary(urls: readonly string[]) {
    const indexes = new Set([...urls.keys(), ...this.links.keys()]);
    return {
      ...figures(this.total),
      links: [...indexes]
        .sort((a, b) => a - b)
        .map((index) => ({
          index,
          url: urls[index] ?? null,
          ...figures({ ...(this.links.get(index) ?? blank()), delivered: this.total.delivered }),
        })),
      clicksByTag: Object.fromEntries([...this.tags].map(([tag, counting]) => [tag, figures(counting)])),
    };
  }
}
