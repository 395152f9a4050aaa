import { receiptOutcome, type SmsEventRecord } from '../../domain/receipts/sms-event.schema';
import type { CampaignStore, CountDeltas } from '../../ports/campaign-store.port';

/**
 * Records delivery receipts on the campaign ledger. Statuses only move forward (sent or unknown to
 * delivered or failed), so a duplicate or late record changes nothing, and counters move only with
 * an accepted ledger transition. A record this system did not send (no campaign context) is ignored.
 */
export async function recordReceipts(records: SmsEventRecord[], deps: { campaigns: CampaignStore }): Promise<void> {
  const deltas = new Map<string, { tenantId: string; counts: CountDeltas; lastAt: string }>();
  for (const record of records) {
    const { tenantId, campaignId, contactId } = record.context ?? {};
    if (!tenantId || !campaignId || !contactId) continue;
    const outcome = receiptOutcome(record);
    if (outcome.kind === 'progress') continue;
    const at = new Date(record.eventTimestamp).toISOString();
    const key = `${tenantId}/${campaignId}`;
    const entry = deltas.get(key) ?? { tenantId, counts: {}, lastAt: at };
    if (at > entry.lastAt) entry.lastAt = at;
    deltas.set(key, entry);
    const counts = entry.counts;
    // An ambiguous send that a receipt resolves becomes a sent one first. So does one still
    // `sending`: the receipt overtook the worker's own write (or the worker died after the carrier
    // took the message); the worker then finds the entry moved on and counts nothing itself.
    // Two passes: the worker may move the entry from `sending` to `sent` between our attempts.
    const attempts = ['sent', 'unknown', 'sending', 'sent', 'unknown'] as const;
    for (const from of attempts) {
      const to = outcome.kind === 'delivered' ? 'delivered' : 'failed';
      const fields = {
        ...(outcome.kind === 'delivered' ? { deliveredAt: at } : { reason: outcome.reason }),
        messageId: record.messageId,
        ...(from === 'sending' ? sendFields(record) : {}),
      };
      if (await deps.campaigns.transitionLedgerEntry(tenantId, campaignId, contactId, [from], to, fields)) {
        if (from === 'unknown') {
          counts.unknown = (counts.unknown ?? 0) - 1;
          counts.sent = (counts.sent ?? 0) + 1;
        }
        if (from === 'sending') {
          counts.queued = (counts.queued ?? 0) - 1;
          counts.sent = (counts.sent ?? 0) + 1;
          counts.segments = (counts.segments ?? 0) + (fields.segments ?? 0);
        }
        if (to === 'delivered') counts.delivered = (counts.delivered ?? 0) + 1;
        else counts.failed = (counts.failed ?? 0) + 1;
        break;
      }
    }
  }
  for (const [key, { tenantId, counts, lastAt }] of deltas) {
    const campaignId = key.slice(tenantId.length + 1);
    await deps.campaigns.addCounts(tenantId, campaignId, counts);
    // A receipt that settled a recipient still `sending` may have been the last one waiting.
    if ((counts.queued ?? 0) < 0) await deps.campaigns.completeIfDone(tenantId, campaignId, lastAt);
  }
}

/** What the worker would have recorded at the send, as the receipt tells it: when it was requested and its parts. */
function sendFields(record: SmsEventRecord): { sentAt?: string; segments?: number } {
  const requested = record.messageRequestTimestamp;
  return {
    ...(typeof requested === 'number' ? { sentAt: new Date(requested).toISOString() } : {}),
    ...(record.totalMessageParts !== undefined ? { segments: record.totalMessageParts } : {}),
  };
}
