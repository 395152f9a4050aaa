import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import { fromStatuses, type LedgerMove } from '../../domain/campaigns/ledger-transitions';
import type { Settings } from '../../domain/settings/settings.schema';
import { appendOptOutFooter } from '../../domain/sms/opt-out';
import { type CompiledTemplate, compileTemplate } from '../../domain/sms/template';
import { logger } from '../../middleware/logger';
import type { StoredCampaign } from '../../ports/campaign-store.port';
import type { StoredContact } from '../../ports/contact-store.port';
import { sendingNumberOf } from '../numbers/sender-numbers.use-case';
import type { SendBatchMessage, SendDeps } from './campaign-deps';
import { LedgerCounter } from './ledger-counter';

/** Throttling clears in a moment; anything else (quota, access, configuration) needs a person: retried slowly. */
export const RETRY_DELAY_SECONDS = 2;
export const SLOW_RETRY_DELAY_SECONDS = 300;

/** A send batch ends well within the worker's timeout; past this a recount treats it as dead. */
export const SEND_BATCH_MAX_MS = 15 * 60_000;

/**
 * One queue message's recipients as a worker holds them: what it read once (campaign, settings, ledger entries,
 * contacts, the sender), the counter its ledger moves go through, and where each recipient ends up when the batch
 * ends (deferred, retried, handed back, given back by a pause).
 */
export class CampaignBatch {
  readonly deferredUntil = new Map<number, string[]>();
  readonly retry: string[] = [];
  /** Recipients this invocation has no time left for: back on the queue as they were (no claim, no cap, no `unknown`). */
  readonly handBack: string[] = [];
  /** Claimed, then given back untouched because the campaign was paused meanwhile: queued again if it resumed since. */
  readonly pausedBack: string[] = [];
  /** Claimed but not yet handed to the carrier: if the batch fails now, those claims are given back. */
  readonly claimedNotSent = new Map<string, LedgerEntry>();
  retryDelaySeconds = RETRY_DELAY_SECONDS;
  /** Recipients screened so far (the campaign is read again every few). */
  screened = 0;

  private constructor(
    readonly message: SendBatchMessage,
    public stored: StoredCampaign,
    readonly settings: Settings,
    readonly ledger: Map<string, LedgerEntry>,
    readonly contacts: Map<string, StoredContact>,
    readonly sender: { number: string; mps: number },
    readonly counter: LedgerCounter,
    /** One template per A/B variant (each recipient's variant was fixed at launch), or the campaign's one body. */
    readonly templates: CompiledTemplate[],
  ) {}

  /**
   * Reads what the batch needs in one go. Undefined when there is nothing to do: the campaign is gone or paused (its
   * resume queues every waiting recipient again), the tenant has no sender number (the message is retried slowly,
   * nobody claimed or counted), or a recount holds the campaign's counters.
   */
  static async load(message: SendBatchMessage, deps: SendDeps): Promise<CampaignBatch | undefined> {
    const { tenantId, campaignId } = message;
    const stored = await deps.campaigns.getCampaign(tenantId, campaignId);
    if (!stored || stored.campaign.status === 'paused') return undefined;
    const [{ settings }, ledger, contacts] = await Promise.all([
      deps.settings.getSettings(tenantId),
      deps.campaigns.getLedgerEntries(tenantId, campaignId, message.contactIds),
      deps.contacts.getContacts(tenantId, message.contactIds),
    ]);
    // The number the tenant sends from; none (unassigned since the send) holds the recipients back, never the default.
    const sender = await sendingNumberOf(tenantId, settings, deps);
    if (!sender) {
      logger.warn('campaign recipients held: the tenant has no sender number', { tenantId, campaignId });
      await deps.queue.sendMessages('send', [{ body: message, delaySeconds: SLOW_RETRY_DELAY_SECONDS }]);
      return undefined;
    }
    const counter = await LedgerCounter.begin(deps, tenantId, campaignId, SEND_BATCH_MAX_MS);
    if (!counter) return undefined;
    const { campaign } = stored;
    const templates = (campaign.variants?.map((variant) => variant.body) ?? [campaign.body]).map((body) =>
      compileTemplate(appendOptOutFooter(body, settings, campaign.messageType)),
    );
    return new CampaignBatch(message, stored, settings, ledger, contacts, sender, counter, templates);
  }

  get campaign() {
    return this.stored.campaign;
  }

  /** A ledger move of one entry, counted from the entry before and after it; false when its condition did not hold. */
  async move(
    entry: LedgerEntry,
    move: LedgerMove,
    to: LedgerEntry['status'],
    fields: Partial<LedgerEntry> = {},
  ): Promise<boolean> {
    return (await this.counter.update(entry.contactId, { from: fromStatuses(move) }, to, fields)) !== undefined;
  }

  /**
   * Claims the entry (`sending`): the entry as the claim found it and left it, or undefined when another worker holds
   * it. What this worker read at load may be stale: another worker may have claimed, counted the cap and given it back
   * meanwhile, and only the claimed entry says so.
   */
  async claim(entry: LedgerEntry, claimedAt: string): Promise<LedgerEntry | undefined> {
    const moved = await this.counter.update(entry.contactId, { from: fromStatuses('claim') }, 'sending', { claimedAt });
    return moved?.after;
  }

  /** Comes round again at `openAt` (grouped by instant: one queue message each). */
  deferTo(openAt: number, contactId: string): void {
    this.deferredUntil.set(openAt, [...(this.deferredUntil.get(openAt) ?? []), contactId]);
  }

  templateFor(entry: LedgerEntry): CompiledTemplate {
    return this.templates[entry.variant ?? 0] ?? (this.templates[0] as CompiledTemplate);
  }
}
