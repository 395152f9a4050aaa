import { emptyTally, type FilteringTally, isFilteringReason } from '../../domain/campaigns/carrier-filtering';
import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import { fromStatuses } from '../../domain/campaigns/ledger-transitions';
import { type PriceSettings, pricePerSegment, roundMoney } from '../../domain/campaigns/sms-prices';
import { messageReceiptChange } from '../../domain/conversations/conversation-message';
import { receiptOutcome, recordPriceUsd, type SmsEventRecord } from '../../domain/receipts/sms-event.schema';
import { mapConcurrent } from '../../lib/map-concurrent';
import { logger } from '../../middleware/logger';
import type { CampaignStore, LedgerField, LedgerRef } from '../../ports/campaign-store.port';
import type { Clock } from '../../ports/clock.port';
import type { ContactStore } from '../../ports/contact-store.port';
import type { FilteringStatsStore } from '../../ports/filtering-stats.port';
import type { IdGenerator } from '../../ports/id-generator.port';
import type { Queue } from '../../ports/queue.port';
import type { SettingsStore } from '../../ports/settings-store.port';
import type { WorkflowStore } from '../../ports/workflow-store.port';
import { guardCarrierFiltering } from '../campaigns/carrier-filtering-guard';
import { LedgerCounter } from '../campaigns/ledger-counter';
import { requestRecount } from '../campaigns/request-recount';
import { changeConsent } from '../contacts/set-consent.use-case';
import { guardWorkflowFiltering } from '../workflows/workflow-filtering-guard';

export interface ReceiptDeps {
  campaigns: CampaignStore;
  contacts: ContactStore;
  queue: Queue;
  clock: Clock;
  ids: IdGenerator;
  /** The carrier-filtering breaker's counters; without them (tests of the ledger alone) no breaker runs. */
  filtering?: FilteringStatsStore;
  /**
   * The tenant's settings: its prices, for the cost of a send only a receipt settled (its worker's own write never
   * landed), and, with the workflows, what each workflow's breaker needs to pause it.
   */
  settings?: SettingsStore;
  workflows?: WorkflowStore;
}

/** One receipt and the queue message it came in (to report it back as failed alone). */
export interface IncomingReceipt {
  key: string;
  record: SmsEventRecord;
}

export interface ReceiptsSummary {
  applied: number;
  /** Duplicates, late progress, records of messages this system never sent. */
  ignored: number;
  /** Keys of receipts to retry (a recount was running, or a write failed). */
  failedKeys: string[];
  delivered: number;
  failed: number;
}

/** A receipt batch ends in seconds; past this a recount treats its writer as dead. */
const RECEIPTS_MAX_MS = 5 * 60_000;
/**
 * Ledger updates of one batch in flight at once (each is one conditional write). A receipt that can change its entry
 * costs exactly one write, and no fewer can do: each receipt settles a different item (nothing to merge); the
 * condition (status still waiting, or a lower-ranked final) is what makes a redelivered or reordered receipt change
 * nothing while the send worker may be settling the same entry at that moment (a batched, unconditional write could
 * move a status back or count a change twice); and the entry returned as it was right before the write is what its
 * counter change is computed from (the batch read may predate the worker's settle). Everything else is per batch of
 * up to 100: one read of the entries, the counting announcement, one counter ADD, the breaker's tallies; measured at
 * 1.01 DynamoDB requests per receipt (`bench:receipts -- --profile`).
 */
const RECEIPTS_IN_FLIGHT = 16;
const WAITING_FOR_RECEIPT = fromStatuses('finalReceipt');
const WAITING_FOR_PROGRESS = fromStatuses('progressReceipt');

/**
 * Records delivery receipts on the campaign ledger, exactly once in effect: statuses only move
 * forward (a final receipt settles the entry, a later-ranked final may overrule it, progress only
 * confirms a send), each accepted change is counted from the entry before and after it, and the
 * counts go to each campaign in one write per batch. Duplicates and records of messages this
 * system did not send change nothing. `TEXT_INVALID` also suppresses the number.
 */
export async function recordReceipts(receipts: IncomingReceipt[], deps: ReceiptDeps): Promise<ReceiptsSummary> {
  const summary: ReceiptsSummary = { applied: 0, ignored: 0, failedKeys: [], delivered: 0, failed: 0 };
  const groups = new Map<
    string,
    { ref: Omit<LedgerRef, 'contactId'>; items: (IncomingReceipt & { contactId: string })[] }
  >();
  const workflowTallies = new Map<string, { tenantId: string; workflowId: string; tally: FilteringTally }>();
  for (const receipt of receipts) {
    const ref = await locate(receipt.record, deps);
    if (!ref) {
      tallyWorkflowReceipt(receipt.record, workflowTallies);
      await recordMessageReceipt(receipt, deps, summary);
      continue;
    }
    const key = `${ref.tenantId}\u0000${ref.campaignId}`;
    const group = groups.get(key) ?? { ref: { tenantId: ref.tenantId, campaignId: ref.campaignId }, items: [] };
    group.items.push({ ...receipt, contactId: ref.contactId });
    groups.set(key, group);
  }
  for (const { ref, items } of groups.values()) {
    try {
      await recordCampaignReceipts(ref.tenantId, ref.campaignId, items, deps, summary);
    } catch (error) {
      summary.failedKeys.push(...items.map((item) => item.key));
      if ((error as Error).name !== 'RecountInProgressError') throw Object.assign(error as Error, { summary });
    }
  }
  await guardWorkflows(workflowTallies, deps);
  return summary;
}

/**
 * The receipt of a text sent outside a campaign (a workflow text, a confirmation, a HELP answer) on its message
 * record, so the contact's conversation shows what became of it. Final receipts only, ranked as on the ledger.
 */
async function recordMessageReceipt(receipt: IncomingReceipt, deps: ReceiptDeps, summary: ReceiptsSummary) {
  const { record } = receipt;
  const change = messageReceiptChange(receiptOutcome(record), record.eventTimestamp);
  try {
    const tenantId = change
      ? (record.context?.tenantId ?? (await deps.campaigns.tenantOfMessage(record.messageId)))
      : undefined;
    if (change && tenantId && (await deps.campaigns.recordMessageReceipt(tenantId, record.messageId, change))) {
      summary.applied++;
      return;
    }
    summary.ignored++;
  } catch (error) {
    logger.warn('message receipt not recorded', { messageId: record.messageId, error: error as Error });
    summary.failedKeys.push(receipt.key);
  }
}

/**
 * A workflow's final receipt, for its breaker. Workflow texts keep no ledger, so a receipt delivered twice is counted
 * twice: the breaker then errs towards pausing, which a person undoes.
 */
function tallyWorkflowReceipt(
  record: SmsEventRecord,
  tallies: Map<string, { tenantId: string; workflowId: string; tally: FilteringTally }>,
) {
  const { tenantId, workflowId } = record.context ?? {};
  const outcome = receiptOutcome(record);
  if (!tenantId || !workflowId || outcome.kind === 'progress') return;
  const key = `${tenantId}\u0000${workflowId}`;
  const entry = tallies.get(key) ?? { tenantId, workflowId, tally: emptyTally() };
  tallies.set(key, entry);
  entry.tally.settled++;
  if (outcome.kind !== 'failed' || !isFilteringReason(outcome.reason)) return;
  entry.tally.filtered++;
  entry.tally.byCategory[outcome.reason] = (entry.tally.byCategory[outcome.reason] ?? 0) + 1;
  if (entry.tally.sampleErrors.length < 3 && !entry.tally.sampleErrors.includes(record.eventType)) {
    entry.tally.sampleErrors.push(record.eventType);
  }
}

/** Runs each workflow's breaker on the batch's tallies; a failure to judge is logged, never fails the batch. */
async function guardWorkflows(
  tallies: Map<string, { tenantId: string; workflowId: string; tally: FilteringTally }>,
  deps: ReceiptDeps,
): Promise<void> {
  const { filtering, workflows, settings } = deps;
  if (!filtering || !workflows || !settings) return;
  for (const { tenantId, workflowId, tally } of tallies.values()) {
    await guardWorkflowFiltering(tenantId, workflowId, tally, { ...deps, filtering, workflows, settings }).catch(
      (error: unknown) => logger.warn('workflow carrier-filtering breaker skipped a batch', { error: error as Error }),
    );
  }
}

/** The ledger entry a record speaks of: the context the send carried, else the carrier's message id. */
async function locate(record: SmsEventRecord, deps: ReceiptDeps): Promise<LedgerRef | undefined> {
  const { tenantId, campaignId, contactId } = record.context ?? {};
  if (tenantId && campaignId && contactId) return { tenantId, campaignId, contactId };
  // A record with a context of another kind (an opt-out confirmation, a workflow) is not a campaign's.
  if (record.context && Object.keys(record.context).length > 0) return undefined;
  return deps.campaigns.findByMessageId(record.messageId);
}

async function recordCampaignReceipts(
  tenantId: string,
  campaignId: string,
  items: (IncomingReceipt & { contactId: string })[],
  deps: ReceiptDeps,
  summary: ReceiptsSummary,
): Promise<void> {
  // The entries, the prices and the counting announcement are independent: one round trip for the three.
  const [read, priced, begun] = await Promise.allSettled([
    readEntries(tenantId, campaignId, items, deps),
    deps.settings?.getSettings(tenantId).then((stored) => stored.settings),
    LedgerCounter.begin(deps, tenantId, campaignId, RECEIPTS_MAX_MS),
  ]);
  if (begun.status === 'rejected') throw begun.reason;
  const counter = begun.value;
  if (read.status === 'rejected' || priced.status === 'rejected') {
    // Nothing was written: end the announcement now rather than have a recount wait out its deadline.
    await counter?.finish();
    throw read.status === 'rejected' ? read.reason : (priced as PromiseRejectedResult).reason;
  }
  const entries = read.value;
  const prices = priced.value;
  if (!counter) {
    summary.ignored += items.length;
    return;
  }
  const invalidNumbers: string[] = [];
  let settledAny = false;
  const tally = emptyTally();
  // Each recipient's receipts in order, different recipients at once (their entries are independent).
  const byContact = new Map<string, SmsEventRecord[]>();
  for (const { record, contactId } of items) byContact.set(contactId, [...(byContact.get(contactId) ?? []), record]);
  const applyOne = async (contactId: string, record: SmsEventRecord): Promise<void> => {
    const entry = entries.get(contactId);
    if (!entry || (entry.messageId && entry.messageId !== record.messageId)) {
      summary.ignored++;
      return;
    }
    const outcome = receiptOutcome(record);
    const sendFields = sendFieldsOf(record, entry, prices);
    let change: { before: LedgerEntry; after: LedgerEntry } | undefined;
    if (outcome.kind === 'progress') {
      // Proof the carrier has it: an entry still `sending` (its worker died, or this overtook it)
      // or `unknown` becomes `sent`. Anything further along stays.
      if (!WAITING_FOR_PROGRESS.includes(entry.status)) {
        summary.ignored++;
        return;
      }
      const fields = { ...sendFields, messageId: record.messageId };
      change = await counter.update(contactId, { from: WAITING_FOR_PROGRESS }, 'sent', fields);
    } else {
      const outranked = entry.finalRank !== undefined && entry.finalRank >= outcome.rankKey;
      if (!WAITING_FOR_RECEIPT.includes(entry.status) && (entry.finalRank === undefined || outranked)) {
        summary.ignored++;
        return;
      }
      const price = recordPriceUsd(record);
      const fields = {
        ...sendFields,
        messageId: record.messageId,
        finalRank: outcome.rankKey,
        ...(price !== undefined ? { priceUsd: price } : {}),
        ...(outcome.kind === 'delivered'
          ? { deliveredAt: new Date(record.eventTimestamp).toISOString() }
          : {
              reason: outcome.reason,
              ...(record.messageStatusDescription ? { detail: record.messageStatusDescription } : {}),
            }),
      };
      const to = outcome.kind === 'delivered' ? 'delivered' : 'failed';
      // What an overruled outcome left behind goes: a delivered entry carries no failure reason.
      const leftovers: LedgerField[] = to === 'delivered' ? ['reason', 'detail'] : ['deliveredAt'];
      change = await counter.update(
        contactId,
        { from: WAITING_FOR_RECEIPT, orFinalRankBelow: outcome.rankKey },
        to,
        fields,
        leftovers,
      );
    }
    if (!change) {
      summary.ignored++;
      return;
    }
    const { before, after } = change;
    entries.set(contactId, after);
    summary.applied++;
    if (after.status === 'delivered' || after.status === 'failed') settledAny = true;
    countForBreaker(tally, before, after, record);
    if (after.status === 'delivered' && before.status !== 'delivered') summary.delivered++;
    if (after.status === 'failed' && before.status !== 'failed') {
      summary.failed++;
      if (after.reason === 'invalidNumber') invalidNumbers.push(contactId);
    }
  };
  try {
    await mapConcurrent([...byContact], RECEIPTS_IN_FLIGHT, async ([contactId, records]) => {
      for (const record of records) await applyOne(contactId, record);
    });
  } finally {
    await counter.finish();
  }
  if (deps.filtering) {
    // The breaker never fails the batch (a retried batch would be counted twice): a failure to judge is logged.
    await guardCarrierFiltering(tenantId, campaignId, tally, { ...deps, filtering: deps.filtering }).catch(
      (error: unknown) => logger.warn('carrier-filtering breaker skipped a batch', { error: error as Error }),
    );
  }
  for (const contactId of invalidNumbers) {
    // The carrier says the number cannot take texts: suppress it, in the consent history with why.
    await changeConsent(
      tenantId,
      contactId,
      'opted_out',
      'suppression_list',
      'the carrier reports the number invalid (TEXT_INVALID)',
      deps,
    );
  }
  // A receipt that settled a recipient still `sending` may have been the last one waiting.
  if ((counter.pending().queued ?? 0) < 0) {
    if (await deps.campaigns.completeIfDone(tenantId, campaignId, deps.clock.now().toISOString())) {
      await requestRecount(tenantId, campaignId, deps);
      return;
    }
  }
  // The batch that settles a closed campaign's last pending message has it recounted once more.
  if (settledAny) {
    const campaign = (await deps.campaigns.getCampaign(tenantId, campaignId))?.campaign;
    const c = campaign?.counts;
    if (campaign?.status === 'sent' && c && c.queued <= 0 && c.unknown === 0 && c.sent - c.delivered - c.failed <= 0) {
      await requestRecount(tenantId, campaignId, deps);
    }
  }
}

/**
 * The entries the receipts speak of. One cheap batch read tells which records can change anything: a duplicate or a
 * late progress record then costs half a read unit instead of a refused (but billed) conditional write. Eventually
 * consistent: a stale entry only costs a refused conditional write, never a wrong one.
 */
async function readEntries(
  tenantId: string,
  campaignId: string,
  items: { contactId: string }[],
  deps: ReceiptDeps,
): Promise<Map<string, LedgerEntry>> {
  const ids = items.map((item) => item.contactId);
  const entries = await deps.campaigns.getLedgerEntries(tenantId, campaignId, ids, false);
  // A receipt exists only for an entry already claimed: one that reads as missing or still waiting
  // was read stale, so read those again, consistently.
  const stale = ids.filter((id) => {
    const status = entries.get(id)?.status;
    return status === undefined || status === 'queued' || status === 'deferred';
  });
  if (stale.length > 0) {
    for (const [id, entry] of await deps.campaigns.getLedgerEntries(tenantId, campaignId, stale))
      entries.set(id, entry);
  }
  return entries;
}

/** Adds a settlement (a first final outcome) to the breaker's tally: filtered by category, with a sample error. */
function countForBreaker(tally: FilteringTally, before: LedgerEntry, after: LedgerEntry, record: SmsEventRecord) {
  const final = (status: string) => status === 'delivered' || status === 'failed';
  if (!final(after.status) || final(before.status)) return;
  tally.settled++;
  if (after.status !== 'failed' || !isFilteringReason(after.reason)) return;
  tally.filtered++;
  const category = after.reason as string;
  tally.byCategory[category] = (tally.byCategory[category] ?? 0) + 1;
  const sample = `${record.eventType}${record.messageStatusDescription ? `: ${record.messageStatusDescription}` : ''}`;
  if (tally.sampleErrors.length < 3 && !tally.sampleErrors.includes(sample)) tally.sampleErrors.push(sample);
}

/** What the worker would have recorded at the send, as the receipt tells it, for an entry that lacks it. */
function sendFieldsOf(
  record: SmsEventRecord,
  entry: LedgerEntry,
  prices: PriceSettings | undefined,
): Partial<LedgerEntry> {
  const requested = record.messageRequestTimestamp;
  const segments = entry.segments ?? record.totalMessageParts;
  return {
    // A send the worker never settled (the receipt came first, or it ended `unknown`) still costs what it costs.
    ...(entry.cost === undefined && segments !== undefined && prices
      ? { cost: roundMoney(segments * pricePerSegment(entry.phone, prices)) }
      : {}),
    ...(entry.sentAt === undefined && typeof requested === 'number'
      ? { sentAt: new Date(requested).toISOString() }
      : {}),
    ...(entry.segments === undefined && record.totalMessageParts !== undefined
      ? { segments: record.totalMessageParts }
      : {}),
  };
}
