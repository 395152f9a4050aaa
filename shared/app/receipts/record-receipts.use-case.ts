import { receiptOutcome, type SmsEventRecord } from '../../domain/receipts/sms-event.schema';
import type { CampaignStore, CountDeltas } from '../../ports/campaign-store.port';

/**
 * Records delivery receipts on the campaign ledger. Statuses only move forward (sent or unknown to
 * delivered or failed), so a duplicate or late record changes nothing, and counters move only with
 * an accepted ledger transition. A record this system did not send (no campaign context) is ignored.
 */
export async function recordReceipts(records: SmsEventRecord[], deps: { campaigns: CampaignStore }): Promise<void> {
  const deltas = new Map<string, { tenantId: string; counts: CountDeltas }>();
  for (const record of records) {
    const { tenantId, campaignId, contactId } = record.context ?? {};
    if (!tenantId || !campaignId || !contactId) continue;
    const outcome = receiptOutcome(record);
    if (outcome.kind === 'progress') continue;
    const at = new Date(record.eventTimestamp).toISOString();
    const key = `${tenantId}/${campaignId}`;
    const entry = deltas.get(key) ?? { tenantId, counts: {} };
    deltas.set(key, entry);
    const counts = entry.counts;
    // An ambiguous send that a receipt resolves becomes a sent one first.
    for (const from of ['sent', 'unknown'] as const) {
      const to = outcome.kind === 'delivered' ? 'delivered' : 'failed';
      const fields =
        outcome.kind === 'delivered'
          ? { deliveredAt: at, messageId: record.messageId }
          : { reason: outcome.reason, messageId: record.messageId };
      if (await deps.campaigns.transitionLedgerEntry(tenantId, campaignId, contactId, [from], to, fields)) {
        if (from === 'unknown') {
          counts.unknown = (counts.unknown ?? 0) - 1;
          counts.sent = (counts.sent ?? 0) + 1;
        }
        if (to === 'delivered') counts.delivered = (counts.delivered ?? 0) + 1;
        else counts.failed = (counts.failed ?? 0) + 1;
        break;
      }
    }
  }
  for (const [key, { tenantId, counts }] of deltas) {
    await deps.campaigns.addCounts(tenantId, key.slice(tenantId.length + 1), counts);
  }
}
