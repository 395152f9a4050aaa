import { classifyEligibility } from '../../domain/audience/eligibility';
import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import type { Contact } from '../../domain/contacts/contact.schema';
import { checkSendTime } from '../../domain/sending/send-window';
import { appendOptOutFooter } from '../../domain/sms/opt-out';
import { countSegments } from '../../domain/sms/segments';
import { compileTemplate } from '../../domain/sms/template';
import { mapConcurrent } from '../../lib/map-concurrent';
import type { CountDeltas } from '../../ports/campaign-store.port';
import { changeConsent } from '../contacts/set-consent.use-case';
import type { SendBatchMessage, SendDeps } from './campaign-deps';

/** Re-read the campaign this often within a batch, so a cancel stops the rest within a few sends. */
const STATUS_CHECK_EVERY = 10;
/** Recipients of one message handled at once. */
const RECIPIENTS_IN_FLIGHT = 10;
const RETRY_DELAY_SECONDS = 2;
const SLOW_RETRY_DELAY_SECONDS = 300;
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
  const first = await deps.campaigns.getCampaign(tenantId, campaignId);
  if (!first) return;
  let stored = first;
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
  let retryDelaySeconds = RETRY_DELAY_SECONDS;

  const settle = async (entry: LedgerEntry, from: LedgerEntry['status'][], to: LedgerEntry['status'], fields = {}) =>
    deps.campaigns.transitionLedgerEntry(tenantId, campaignId, entry.contactId, from, to, fields);

  let checked = 0;
  // Claimed but not yet handed to the carrier: if the batch fails now, those claims are given back.
  const claimedNotSent = new Map<string, LedgerEntry>();
  const processRecipient = async (contactId: string): Promise<void> => {
    const entry = ledger.get(contactId);
    if (!entry || (entry.status !== 'queued' && entry.status !== 'deferred')) return;
    if (checked++ % STATUS_CHECK_EVERY === 0 && checked > 1) {
      stored = (await deps.campaigns.getCampaign(tenantId, campaignId)) ?? stored;
    }
    const now = deps.clock.now();
    if (stored.campaign.status !== 'sending') {
      if (await settle(entry, ['queued', 'deferred'], 'cancelled', { reason: `campaign ${stored.campaign.status}` })) {
        deltas.cancelled = (deltas.cancelled ?? 0) + 1;
        deltas.queued = (deltas.queued ?? 0) - 1;
      }
      return;
    }
    const contact: Contact | undefined = contacts.get(contactId)?.contact;
    if (!contact) {
      if (await settle(entry, ['queued', 'deferred'], 'cancelled', { reason: 'contactDeleted' })) {
        deltas.cancelled = (deltas.cancelled ?? 0) + 1;
        deltas.queued = (deltas.queued ?? 0) - 1;
      }
      return;
    }
    const eligibility = classifyEligibility(contact, settings, { messageType: campaign.messageType });
    if (eligibility !== 'eligible') {
      if (await settle(entry, ['queued', 'deferred'], 'skipped', { reason: eligibility })) {
        deltas.skipped[eligibility] = (deltas.skipped[eligibility] ?? 0) + 1;
        deltas.queued = (deltas.queued ?? 0) - 1;
      }
      return;
    }
    const notBefore = entry.notBefore ? Date.parse(entry.notBefore) : 0;
    const window = checkSendTime(new Date(Math.max(now.getTime(), notBefore)), contact, settings.sendWindow, {
      messageType: campaign.messageType,
    });
    const openAt = window.allowed ? Math.max(now.getTime(), notBefore) : window.nextOpening.getTime();
    if (openAt > now.getTime()) {
      const moved = await settle(entry, ['queued', 'deferred'], 'deferred', {
        notBefore: new Date(openAt).toISOString(),
      });
      // Counted once per recipient, by the worker whose deferral landed (not by a duplicate delivery).
      if (moved && entry.status === 'queued' && !window.allowed)
        deltas.skipped.quietHoursDeferred = (deltas.skipped.quietHoursDeferred ?? 0) + 1;
      deferredUntil.set(openAt, [...(deferredUntil.get(openAt) ?? []), contactId]);
      return;
    }
    // The claim: of every worker that holds this recipient (duplicate deliveries), one sends. It comes
    // before the frequency cap, so a duplicate never sees the winner's send in the log and skips it.
    if (!(await settle(entry, ['queued', 'deferred'], 'sending', { claimedAt: now.toISOString() }))) return;
    claimedNotSent.set(contactId, entry);
    if (promotional && !entry.capCountedAt) {
      const windowStart = new Date(now.getTime() - settings.frequencyCap.perHours * 3_600_000).toISOString();
      const allowed = await deps.campaigns.recordSend(
        tenantId,
        contactId,
        now.toISOString(),
        windowStart,
        settings.frequencyCap.maxMessages,
      );
      if (!allowed) {
        if (await settle(entry, ['sending'], 'skipped', { reason: 'frequencyCapped' })) {
          deltas.skipped.frequencyCapped = (deltas.skipped.frequencyCapped ?? 0) + 1;
          deltas.queued = (deltas.queued ?? 0) - 1;
        }
        return;
      }
    }
    const capCountedAt = promotional ? (entry.capCountedAt ?? now.toISOString()) : undefined;
    // Given back on a failure, the recipient must not meet its own send in the cap log.
    if (capCountedAt) claimedNotSent.set(contactId, { ...entry, capCountedAt });

    const body = template.render(contact);
    const segments = countSegments(body);
    await deps.pacer.acquire(tenantId, settings.mps);
    // Look again right before handing over, after waiting for a turn: a cancel, an opt-out (STOP,
    // a PATCH) or the window closing may have landed meanwhile. Only sends already in the carrier's
    // hands still go.
    const [current, latest] = await Promise.all([
      deps.campaigns.getCampaign(tenantId, campaignId),
      deps.contacts.getContact(tenantId, contactId),
    ]);
    if (current) stored = current;
    if (current?.campaign.status !== 'sending') {
      if (
        await settle(entry, ['sending'], 'cancelled', { reason: `campaign ${current?.campaign.status ?? 'deleted'}` })
      ) {
        deltas.cancelled = (deltas.cancelled ?? 0) + 1;
        deltas.queued = (deltas.queued ?? 0) - 1;
      }
      return;
    }
    const stillEligible = latest
      ? classifyEligibility(latest.contact, settings, { messageType: campaign.messageType })
      : 'contactDeleted';
    if (stillEligible !== 'eligible') {
      if (
        await settle(entry, ['sending'], stillEligible === 'contactDeleted' ? 'cancelled' : 'skipped', {
          reason: stillEligible,
        })
      ) {
        if (stillEligible === 'contactDeleted') deltas.cancelled = (deltas.cancelled ?? 0) + 1;
        else deltas.skipped[stillEligible] = (deltas.skipped[stillEligible] ?? 0) + 1;
        deltas.queued = (deltas.queued ?? 0) - 1;
      }
      return;
    }
    const stillOpen = checkSendTime(deps.clock.now(), latest?.contact ?? contact, settings.sendWindow, {
      messageType: campaign.messageType,
    });
    if (!stillOpen.allowed) {
      const openAt = stillOpen.nextOpening.getTime();
      if (await settle(entry, ['sending'], 'deferred', { notBefore: new Date(openAt).toISOString(), capCountedAt })) {
        deferredUntil.set(openAt, [...(deferredUntil.get(openAt) ?? []), contactId]);
      }
      return;
    }
    claimedNotSent.delete(contactId);
    const outcome = await deps.gateway.send({
      destinationPhoneNumber: contact.phone,
      originationIdentity: settings.originationIdentity,
      messageBody: body,
      messageType: campaign.messageType,
      ...(deps.configurationSetName ? { configurationSetName: deps.configurationSetName } : {}),
      context: { tenantId, campaignId, contactId },
    });
    const at = deps.clock.now().toISOString();
    // When a settle below finds the entry no longer `sending`, its receipt got there first and
    // counted the send (see recordReceipts): counting it here too would count it twice.
    switch (outcome.kind) {
      case 'sent':
        if (await settle(entry, ['sending'], 'sent', { messageId: outcome.messageId, sentAt: at, segments })) {
          deltas.sent = (deltas.sent ?? 0) + 1;
          deltas.segments = (deltas.segments ?? 0) + segments;
          deltas.queued = (deltas.queued ?? 0) - 1;
        }
        break;
      case 'unknown':
        if (await settle(entry, ['sending'], 'unknown', { reason: outcome.reason, sentAt: at, segments })) {
          deltas.unknown = (deltas.unknown ?? 0) + 1;
          deltas.queued = (deltas.queued ?? 0) - 1;
        }
        break;
      case 'retryLater':
        // Per-second throttling clears in a moment; anything else (quota, access, configuration)
        // needs a person: retry slowly so the campaign waits without hammering the carrier.
        if (!outcome.reason.startsWith('ThrottlingException')) retryDelaySeconds = SLOW_RETRY_DELAY_SECONDS;
        // Nothing went out; the send already counted against the cap is not counted again on the retry.
        await settle(entry, ['sending'], 'queued', { reason: outcome.reason, capCountedAt });
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
  };
  let failure: unknown;
  try {
    // Recipients are independent (each has its own claim), so several are in flight at once; the
    // pacer keeps the sum within the tenant's rate.
    await mapConcurrent(message.contactIds, RECIPIENTS_IN_FLIGHT, async (contactId) => {
      try {
        await processRecipient(contactId);
      } catch (error) {
        failure ??= error;
      }
    });
    if (failure) throw failure;
  } finally {
    for (const unsent of claimedNotSent.values()) {
      const fields = { reason: 'worker failed before sending', capCountedAt: unsent.capCountedAt };
      if (await settle(unsent, ['sending'], 'queued', fields).catch(() => false)) {
        retry.push(unsent.contactId);
      }
    }
    // Even when the batch fails part-way: what did settle is counted, deferrals and retries are queued.
    await finishBatch();
  }

  async function finishBatch() {
    const now = deps.clock.now().getTime();
    const followUps = [...deferredUntil].map(([until, contactIds]) => ({
      body: { ...message, contactIds },
      delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil((until - now) / 1000))),
    }));
    if (retry.length > 0) followUps.push({ body: { ...message, contactIds: retry }, delaySeconds: retryDelaySeconds });
    await deps.queue.sendMessages('send', followUps);
    await deps.campaigns.addCounts(tenantId, campaignId, deltas);
    await deps.campaigns.completeIfDone(tenantId, campaignId, deps.clock.now().toISOString());
  }
}
