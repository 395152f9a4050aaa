import { classifyEligibility } from '../../domain/audience/eligibility';
import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import type { Contact } from '../../domain/contacts/contact.schema';
import { checkSendTime } from '../../domain/sending/send-window';
import { appendOptOutFooter } from '../../domain/sms/opt-out';
import { countSegments } from '../../domain/sms/segments';
import { compileTemplate } from '../../domain/sms/template';
import type { CountDeltas } from '../../ports/campaign-store.port';
import { changeConsent } from '../contacts/set-consent.use-case';
import type { SendBatchMessage, SendDeps } from './campaign-deps';

/** Re-read the campaign this often within a batch, so a cancel stops the rest within a few sends. */
const STATUS_CHECK_EVERY = 10;
const RETRY_DELAY_SECONDS = 2;
const MAX_DELAY_SECONDS = 900;

type Deltas = CountDeltas & { skipped: NonNullable<CountDeltas['skipped']> };

/**
 * Sends one queue message's recipients, each at most once. Right before each send it checks that
 * the campaign is still sending, the contact still consents, the frequency cap holds and the
 * contact's local time is inside the window (else the recipient is deferred to the next opening);
 * then it claims the ledger entry with a conditional write, renders, paces and sends. A send that
 * may have reached the carrier is never repeated: it is `unknown` until a receipt says otherwise.
 */
export async function sendCampaignBatch(message: SendBatchMessage, deps: SendDeps): Promise<void> {
  const { tenantId, campaignId } = message;
  let stored = await deps.campaigns.getCampaign(tenantId, campaignId);
  if (!stored) return;
  const [{ settings }, ledger, contacts] = await Promise.all([
    deps.settings.getSettings(tenantId),
    deps.campaigns.getLedgerEntries(tenantId, campaignId, message.contactIds),
    deps.contacts.getContacts(tenantId, message.contactIds),
  ]);
  const campaign = stored.campaign;
  const template = compileTemplate(appendOptOutFooter(campaign.body, settings, campaign.messageType));
  const promotional = campaign.messageType === 'PROMOTIONAL';
  const deltas: Deltas = { skipped: {} };
  const deferredUntil = new Map<number, string[]>();
  const retry: string[] = [];

  const settle = async (entry: LedgerEntry, from: LedgerEntry['status'][], to: LedgerEntry['status'], fields = {}) =>
    deps.campaigns.transitionLedgerEntry(tenantId, campaignId, entry.contactId, from, to, fields);

  let checked = 0;
  for (const contactId of message.contactIds) {
    const entry = ledger.get(contactId);
    if (!entry || (entry.status !== 'queued' && entry.status !== 'deferred')) continue;
    if (checked++ % STATUS_CHECK_EVERY === 0 && checked > 1) {
      stored = (await deps.campaigns.getCampaign(tenantId, campaignId)) ?? stored;
    }
    const now = deps.clock.now();
    if (stored.campaign.status !== 'sending') {
      if (await settle(entry, ['queued', 'deferred'], 'cancelled', { reason: `campaign ${stored.campaign.status}` })) {
        deltas.cancelled = (deltas.cancelled ?? 0) + 1;
        deltas.queued = (deltas.queued ?? 0) - 1;
      }
      continue;
    }
    const contact: Contact | undefined = contacts.get(contactId)?.contact;
    if (!contact) {
      if (await settle(entry, ['queued', 'deferred'], 'cancelled', { reason: 'contactDeleted' })) {
        deltas.cancelled = (deltas.cancelled ?? 0) + 1;
        deltas.queued = (deltas.queued ?? 0) - 1;
      }
      continue;
    }
    const eligibility = classifyEligibility(contact, settings, { messageType: campaign.messageType });
    if (eligibility !== 'eligible') {
      if (await settle(entry, ['queued', 'deferred'], 'skipped', { reason: eligibility })) {
        deltas.skipped[eligibility] = (deltas.skipped[eligibility] ?? 0) + 1;
        deltas.queued = (deltas.queued ?? 0) - 1;
      }
      continue;
    }
    const notBefore = entry.notBefore ? Date.parse(entry.notBefore) : 0;
    const window = checkSendTime(new Date(Math.max(now.getTime(), notBefore)), contact, settings.sendWindow, {
      messageType: campaign.messageType,
    });
    const openAt = window.allowed ? Math.max(now.getTime(), notBefore) : window.nextOpening.getTime();
    if (openAt > now.getTime()) {
      if (entry.status === 'queued' && !window.allowed)
        deltas.skipped.quietHoursDeferred = (deltas.skipped.quietHoursDeferred ?? 0) + 1;
      await settle(entry, ['queued', 'deferred'], 'deferred', { notBefore: new Date(openAt).toISOString() });
      deferredUntil.set(openAt, [...(deferredUntil.get(openAt) ?? []), contactId]);
      continue;
    }
    if (promotional) {
      const windowStart = new Date(now.getTime() - settings.frequencyCap.perHours * 3_600_000).toISOString();
      const allowed = await deps.campaigns.recordSend(
        tenantId,
        contactId,
        now.toISOString(),
        windowStart,
        settings.frequencyCap.maxMessages,
      );
      if (!allowed) {
        if (await settle(entry, ['queued', 'deferred'], 'skipped', { reason: 'frequencyCapped' })) {
          deltas.skipped.frequencyCapped = (deltas.skipped.frequencyCapped ?? 0) + 1;
          deltas.queued = (deltas.queued ?? 0) - 1;
        }
        continue;
      }
    }
    // The claim: of every worker that holds this recipient (duplicate deliveries), one sends.
    if (!(await settle(entry, ['queued', 'deferred'], 'sending'))) continue;

    const body = template.render(contact);
    const segments = countSegments(body);
    await deps.pacer.acquire(tenantId, settings.mps);
    const outcome = await deps.gateway.send({
      destinationPhoneNumber: contact.phone,
      originationIdentity: settings.originationIdentity,
      messageBody: body,
      messageType: campaign.messageType,
      ...(deps.configurationSetName ? { configurationSetName: deps.configurationSetName } : {}),
      context: { tenantId, campaignId, contactId },
    });
    const at = deps.clock.now().toISOString();
    switch (outcome.kind) {
      case 'sent':
        await settle(entry, ['sending'], 'sent', { messageId: outcome.messageId, sentAt: at, segments });
        deltas.sent = (deltas.sent ?? 0) + 1;
        deltas.segments = (deltas.segments ?? 0) + segments;
        deltas.queued = (deltas.queued ?? 0) - 1;
        break;
      case 'unknown':
        await settle(entry, ['sending'], 'unknown', { reason: outcome.reason, sentAt: at, segments });
        deltas.unknown = (deltas.unknown ?? 0) + 1;
        deltas.queued = (deltas.queued ?? 0) - 1;
        break;
      case 'retryLater':
        await settle(entry, ['sending'], 'queued', { reason: outcome.reason });
        retry.push(contactId);
        break;
      case 'rejected':
        if (outcome.optedOut) {
          await changeConsent(
            tenantId,
            contactId,
            'opted_out',
            'carrier',
            'the carrier reports the number opted out',
            deps,
          );
          await settle(entry, ['sending'], 'skipped', { reason: 'optedOut' });
          deltas.skipped.optedOut = (deltas.skipped.optedOut ?? 0) + 1;
        } else {
          await settle(entry, ['sending'], 'failed', { reason: outcome.reason, sentAt: at });
          deltas.failed = (deltas.failed ?? 0) + 1;
        }
        deltas.queued = (deltas.queued ?? 0) - 1;
        break;
    }
  }

  const now = deps.clock.now().getTime();
  const followUps = [...deferredUntil].map(([until, contactIds]) => ({
    body: { ...message, contactIds },
    delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil((until - now) / 1000))),
  }));
  if (retry.length > 0) followUps.push({ body: { ...message, contactIds: retry }, delaySeconds: RETRY_DELAY_SECONDS });
  await deps.queue.sendMessages('send', followUps);
  await deps.campaigns.addCounts(tenantId, campaignId, deltas);
  await deps.campaigns.completeIfDone(tenantId, campaignId, deps.clock.now().toISOString());
}
