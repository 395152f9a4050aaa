import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import { pricePerSegment, roundMoney } from '../../domain/campaigns/sms-prices';
import type { Contact } from '../../domain/contacts/contact.schema';
import { failureReasonOfSendError } from '../../domain/receipts/failure-reasons';
import type { SendOutcome } from '../../ports/sms-gateway.port';
import { changeConsent } from '../contacts/set-consent.use-case';
import { type CampaignBatch, SLOW_RETRY_DELAY_SECONDS } from './campaign-batch';
import type { SendDeps } from './campaign-deps';

/** What was handed over, for the ledger: the text's segments and the number it went to. */
export interface HandedOver {
  entry: LedgerEntry;
  recipient: Contact;
  segments: number;
  /** The text as sent (links shortened): the contact's conversation shows it. */
  body: string;
  capCountedAt: string | undefined;
}

/**
 * Writes what the carrier answered on the recipient's entry. When the write finds the entry no longer `sending`, its
 * receipt got there first and moved (and counted) it: this write is then rightly refused.
 */
export async function settleHandOver(
  batch: CampaignBatch,
  sent: HandedOver,
  outcome: SendOutcome,
  deps: SendDeps,
): Promise<void> {
  const { entry, recipient, segments, body, capCountedAt } = sent;
  const at = deps.clock.now().toISOString();
  switch (outcome.kind) {
    case 'sent':
      await batch.move(entry, 'handOver', 'sent', {
        messageId: outcome.messageId,
        sentAt: at,
        segments,
        body,
        phone: recipient.phone,
        cost: roundMoney(segments * pricePerSegment(recipient.phone, batch.settings)),
      });
      return;
    case 'unknown':
      await batch.move(entry, 'handOver', 'unknown', {
        reason: outcome.reason,
        sentAt: at,
        segments,
        phone: recipient.phone,
      });
      return;
    case 'retryLater':
      // Per-second throttling clears in a moment; anything else (quota, access, configuration) needs a person.
      if (!outcome.reason.startsWith('ThrottlingException')) batch.retryDelaySeconds = SLOW_RETRY_DELAY_SECONDS;
      // Nothing went out; the send already counted against the cap is not counted again on the retry.
      await batch.move(entry, 'giveBack', 'queued', { reason: outcome.reason, capCountedAt });
      batch.retry.push(entry.contactId);
      return;
    case 'rejected':
      if (outcome.optedOut) {
        const { tenantId } = batch.message;
        await changeConsent(
          tenantId,
          entry.contactId,
          'opted_out',
          'carrier',
          'the carrier reports the number opted out',
          deps,
        );
        await batch.move(entry, 'handOver', 'skipped', { reason: 'optedOut' });
        return;
      }
      await batch.move(entry, 'handOver', 'failed', {
        reason: failureReasonOfSendError(outcome.reason),
        detail: outcome.reason,
        sentAt: at,
      });
  }
}
