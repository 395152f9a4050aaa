import type { Campaign, CampaignCounts } from '../domain/campaigns/campaign.schema';
import type { LedgerEntry, LedgerStatus } from '../domain/campaigns/ledger.schema';
import type { CountDeltas } from '../domain/campaigns/ledger-counts';
import type { MessagePurpose, MessageReceiptChange } from '../domain/conversations/conversation-message';
import type { MessageSource, SentMessage } from '../domain/sending/message-source';
import type { SendCap } from '../domain/sending/state-rules';
import type { Page, PageRequest } from './page';

export type LedgerField = keyof Omit<LedgerEntry, 'campaignId' | 'contactId' | 'status' | 'phone' | 'queuedAt'>;

export type CountingStart = 'ok' | 'reconciling' | 'missing';

export interface StoredCampaign {
  campaign: Campaign;
  version: number;
  /** When the counters were last recounted from the ledger. */
  reconciledAt?: string;
}

export type { CountDeltas };

/** Which ledger entries a change may apply to. */
export interface LedgerCondition {
  /** The entry must be in one of these statuses (any status when absent). */
  from?: LedgerStatus[];
  /** The entry must not carry this field yet (a reply or an opt-out is recorded once). */
  unlessSet?: 'repliedAt' | 'optedOutAt' | 'priceUsd';
  /** Or, whatever its status, the entry's `finalRank` is below this one (a later final receipt overrules). */
  orFinalRankBelow?: string;
}

/** Where a message a receipt speaks of lives. */
export interface LedgerRef {
  tenantId: string;
  campaignId: string;
  contactId: string;
}

/** What is kept of a text sent outside a campaign. */
export interface SentMessageNote {
  contactId: string | null;
  purpose: MessagePurpose;
  at: string;
  body?: string;
  segments?: number;
  workflowId?: string;
}

/** Campaigns, their per-recipient ledger and the per-contact send log, all keyed by tenant first. */
/** Which ledger entries to list, and whether with their clicks (results and lists need them, sending does not). */
export type LedgerQuery = PageRequest & { status?: LedgerStatus[] | undefined; clicks?: boolean | undefined };

export interface CampaignStore {
  getCampaign(tenantId: string, id: string): Promise<StoredCampaign | undefined>;
  listCampaigns(tenantId: string, page: PageRequest): Promise<Page<Campaign>>;
  createCampaign(tenantId: string, campaign: Campaign): Promise<void>;
  /** Version-checked write; throws ConcurrentModificationError when someone else changed it. */
  saveCampaign(tenantId: string, previous: StoredCampaign, campaign: Campaign): Promise<StoredCampaign>;
  deleteCampaign(tenantId: string, previous: StoredCampaign): Promise<void>;
  /**
   * Announces a writer about to change ledger entries and count them (`txId` until `deadline`).
   * 'reconciling' while a recount runs (retry later); 'missing' when the campaign is gone.
   */
  beginCounting(
    tenantId: string,
    campaignId: string,
    txId: string,
    now: string,
    deadline: string,
  ): Promise<CountingStart>;
  /** Adds the counter changes atomically (DynamoDB ADD) and, with `txId`, ends that writer's announcement. */
  addCounts(tenantId: string, campaignId: string, deltas: CountDeltas, txId?: string): Promise<void>;
  /** Marks a recount as running; false when another one holds it (and is not stale). */
  startReconciling(
    tenantId: string,
    campaignId: string,
    owner: string,
    now: string,
    staleBefore: string,
  ): Promise<boolean>;
  /** Deadlines of the writers still announced (a deadline in the past is a writer that died). */
  announcedWriters(tenantId: string, campaignId: string): Promise<string[]>;
  /** Replaces the counters with a recount and clears the announcements, if `owner` still holds the recount. */
  finishReconciling(
    tenantId: string,
    campaignId: string,
    owner: string,
    counts: CampaignCounts,
    at: string,
  ): Promise<boolean>;
  /** sending -> sent when the launch is complete and no recipient waits; false if not (yet). */
  completeIfDone(tenantId: string, campaignId: string, at: string): Promise<boolean>;

  /**
   * After a restart that no process of the previous run survived (the local stack): drops the launch lease, the
   * counting writers' announcements and a recount's hold, all of which belonged to dead processes.
   */
  forgetDeadWork(tenantId: string, campaignId: string): Promise<void>;
  /** Takes (or renews) the launch lease: one launcher at a time per campaign. */
  acquireLaunchLease(tenantId: string, campaignId: string, owner: string, until: string, now: string): Promise<boolean>;
  /** Where the launcher got to (opaque resolver cursor), saved after each page. */
  getLaunchCheckpoint(tenantId: string, campaignId: string): Promise<{ cursor: string | null; done: boolean }>;
  saveLaunchCheckpoint(tenantId: string, campaignId: string, cursor: string | null, done: boolean): Promise<void>;

  /** `consistent: false` reads may be stale (cheaper): only for callers whose writes are conditional anyway. */
  getLedgerEntries(
    tenantId: string,
    campaignId: string,
    contactIds: string[],
    consistent?: boolean,
  ): Promise<Map<string, LedgerEntry>>;
  /** Creates each entry unless one exists for that recipient (conditional); returns those it created. */
  putLedgerEntries(tenantId: string, entries: LedgerEntry[]): Promise<LedgerEntry[]>;
  /**
   * Changes an entry conditionally (to `to`, when given, with `fields`) and returns the entry as it
   * was before; undefined when the condition did not hold (another worker, a duplicate delivery, a
   * cancel got there first) or the entry does not exist.
   */
  updateLedgerEntry(
    tenantId: string,
    campaignId: string,
    contactId: string,
    condition: LedgerCondition,
    to: LedgerStatus | undefined,
    fields?: Partial<Omit<LedgerEntry, 'campaignId' | 'contactId' | 'status'>>,
    /** Fields the change removes (an overruled outcome's leftovers). */
    remove?: LedgerField[],
  ): Promise<LedgerEntry | undefined>;
  /** The ledger entry that carries this carrier message id (for receipts without context). */
  findByMessageId(messageId: string): Promise<LedgerRef | undefined>;
  /**
   * Records a message sent outside a campaign (a workflow text, a STOP confirmation, a HELP answer) under the carrier's
   * id: an answer to it finds its tenant the way an answer to a campaign message does, its receipts are kept on it
   * (`recordMessageReceipt`), and with a contact it is part of the contact's conversation.
   */
  indexSentMessage(tenantId: string, messageId: string, note: SentMessageNote): Promise<void>;
  /** A final receipt of such a message; false when a later-ranked one already settled it. */
  recordMessageReceipt(tenantId: string, messageId: string, change: MessageReceiptChange): Promise<boolean>;
  /** The tenant that sent the message with this carrier id (campaign, workflow or automatic answer), if any. */
  tenantOfMessage(messageId: string): Promise<string | undefined>;
  /** A page of the ledger in recipient order; with `clicks`, each entry with its counted clicks (one more query). */
  listLedger(tenantId: string, campaignId: string, query: LedgerQuery): Promise<Page<LedgerEntry>>;

  /** Recent send times of promotional messages per contact (for the frequency cap and the over-blasting warning). */
  getSendLogs(tenantId: string, contactIds: string[]): Promise<Map<string, string[]>>;
  /** The messages sent to a contact in the last week, newest first (for reply attribution). */
  getRecentMessages(tenantId: string, contactId: string, now: Date): Promise<SentMessage[]>;
  /**
   * Logs a message to the contact (for reply attribution) and, with `caps` (the tenant's frequency cap, a state's),
   * counts it against them unless one is already reached in its window: then nothing is logged and the answer is that
   * cap's reason. All caps are checked and the send counted in one conditional write.
   */
  recordSend(
    tenantId: string,
    contactId: string,
    message: { at: string; source: MessageSource },
    caps: readonly SendCap[],
  ): Promise<true | SendCap['reason']>;
}
