import type { TrackedLink } from '../domain/links/tracked-link.schema';

/** What a counted click changed: whether it was the recipient's first click on this link, and on any link. */
export interface CountedClick {
  firstOnLink: boolean;
  firstOnAnyLink: boolean;
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
   * Counts a click on a campaign link on the recipient's ledger entry (clicks, clicks per link, first click), unless
   * the text's delivery receipt is later than `deliveredBy` (a scanner opening it on arrival): undefined then.
   */
  recordCampaignClick(click: ClickRecord, deliveredBy: string): Promise<CountedClick | undefined>;
  /** Counts a click on the link itself (workflow texts, which have no ledger entry). */
  recordLinkClick(click: ClickRecord): Promise<CountedClick | undefined>;
}
