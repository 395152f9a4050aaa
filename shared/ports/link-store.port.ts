import type { TrackedLink } from '../domain/links/tracked-link.schema';

/** What a counted click changed: whether it was the recipient's first click on this link, and on any link. */
export interface CountedClick {
  firstOnLink: boolean;
  firstOnAnyLink: boolean;
}

/**
 * A counted click whose firsts were not decided (nobody listens for first clicks): deciding them exactly takes a
 * conditional write per first click, counting alone takes none.
 */
export const COUNTED = 'counted';

/** A click on a campaign link to count, the latest delivery receipt it counts after, and whether to decide firsts. */
export interface CampaignClick extends ClickRecord {
  deliveredBy: string;
  decideFirst: boolean;
}

/** One click to count: the link, when, and an id that makes a repeat of the same click count once (undefined then). */
export interface ClickRecord {
  link: TrackedLink;
  clickId: string;
  at: string;
}

/** Tracked links by their public code, and the clicks on them. */
export interface LinkStore {
  /** Stores the links of one text before it is handed to the carrier (a code never reaches anyone unstored). */
  saveLinks(links: TrackedLink[]): Promise<void>;
  /** The link under a code, unless unknown or expired at `now`. */
  getLink(code: string, now: Date): Promise<TrackedLink | undefined>;
  /**
   * Counts clicks on campaign links, each once however often it comes (in the answer's order): a click is counted
   * unless the recipient has no ledger entry or the text's delivery receipt is later than `deliveredBy` (a scanner
   * opening it on arrival), or the click was counted already (undefined then). A counted click says whether it was
   * the recipient's first (on the link, on any link) when `decideFirst`, else it is {@link COUNTED}.
   */
  recordCampaignClicks(clicks: CampaignClick[]): Promise<(CountedClick | typeof COUNTED | undefined)[]>;
  /** Counts a click on the link itself (workflow texts, which have no ledger entry). */
  recordLinkClick(click: ClickRecord): Promise<CountedClick | undefined>;
}
