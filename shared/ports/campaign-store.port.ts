import type { Campaign, CampaignCounts } from '../domain/campaigns/campaign.schema';
import type { LedgerEntry, LedgerStatus } from '../domain/campaigns/ledger.schema';
import type { Page, PageRequest } from './page';

export interface StoredCampaign {
  campaign: Campaign;
  version: number;
}

/** Counter changes, added atomically (DynamoDB ADD); nested `skipped` reasons included. */
export type CountDeltas = Partial<Omit<CampaignCounts, 'skipped'>> & { skipped?: Partial<CampaignCounts['skipped']> };

/** Campaigns, their per-recipient ledger and the per-contact send log, all keyed by tenant first. */
export interface CampaignStore {
  getCampaign(tenantId: string, id: string): Promise<StoredCampaign | undefined>;
  listCampaigns(tenantId: string, page: PageRequest): Promise<Page<Campaign>>;
  createCampaign(tenantId: string, campaign: Campaign): Promise<void>;
  /** Version-checked write; throws ConcurrentModificationError when someone else changed it. */
  saveCampaign(tenantId: string, previous: StoredCampaign, campaign: Campaign): Promise<StoredCampaign>;
  deleteCampaign(tenantId: string, previous: StoredCampaign): Promise<void>;
  addCounts(tenantId: string, campaignId: string, deltas: CountDeltas): Promise<void>;
  /** sending -> sent when the launch is complete and no recipient waits; false if not (yet). */
  completeIfDone(tenantId: string, campaignId: string, at: string): Promise<boolean>;

  /** Takes (or renews) the launch lease: one launcher at a time per campaign. */
  acquireLaunchLease(tenantId: string, campaignId: string, owner: string, until: string, now: string): Promise<boolean>;
  /** Where the launcher got to (opaque resolver cursor), saved after each page. */
  getLaunchCheckpoint(tenantId: string, campaignId: string): Promise<{ cursor: string | null; done: boolean }>;
  saveLaunchCheckpoint(tenantId: string, campaignId: string, cursor: string | null, done: boolean): Promise<void>;

  getLedgerEntries(tenantId: string, campaignId: string, contactIds: string[]): Promise<Map<string, LedgerEntry>>;
  /** Writes entries for recipients that have none yet (callers check first; one launcher at a time). */
  putLedgerEntries(tenantId: string, entries: LedgerEntry[]): Promise<void>;
  /**
   * Moves an entry from one of `from` to `to` with `fields`, conditionally: returns false when the
   * entry is no longer in one of `from` (another worker, a duplicate delivery, a cancel got there first).
   */
  transitionLedgerEntry(
    tenantId: string,
    campaignId: string,
    contactId: string,
    from: LedgerStatus[],
    to: LedgerStatus,
    fields?: Partial<Omit<LedgerEntry, 'campaignId' | 'contactId' | 'status'>>,
  ): Promise<boolean>;
  listLedger(
    tenantId: string,
    campaignId: string,
    query: PageRequest & { status?: LedgerStatus[] | undefined },
  ): Promise<Page<LedgerEntry>>;

  /** Recent send times per contact (for the frequency cap and the over-blasting warning). */
  getSendLogs(tenantId: string, contactIds: string[]): Promise<Map<string, string[]>>;
  /** Appends a send time unless the cap is reached in the window; false when capped. */
  recordSend(
    tenantId: string,
    contactId: string,
    at: string,
    windowStart: string,
    maxInWindow: number,
  ): Promise<boolean>;
}
