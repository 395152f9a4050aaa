import { classifyEligibility } from '../../domain/audience/eligibility';
import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import { fromStatuses } from '../../domain/campaigns/ledger-transitions';
import { pricePerSegment, roundMoney } from '../../domain/campaigns/sms-prices';
import type { Contact } from '../../domain/contacts/contact.schema';
import { failureReasonOfSendError } from '../../domain/receipts/failure-reasons';
import { handBackDelaySeconds } from '../../domain/sending/send-slots';
import { checkSendTime } from '../../domain/sending/send-window';
import { capCountStillHolds, sendCapsFor } from '../../domain/sending/state-rules';
import type { Settings } from '../../domain/settings/settings.schema';
import { appendOptOutFooter } from '../../domain/sms/opt-out';
import { countSegments } from '../../domain/sms/segments';
import { compileTemplate } from '../../domain/sms/template';
import { mapConcurrent } from '../../lib/map-concurrent';
import { logger } from '../../middleware/logger';
import { lastLookBeforeSend } from '../contacts/number-opt-out';
import { changeConsent } from '../contacts/set-consent.use-case';
import { trackMessageLinks } from '../links/track-message-links';
import { sendingNumberOf } from '../numbers/sender-numbers.use-case';
import { pauseIfOverBudget } from './campaign-budget';
import type { SendBatchMessage, SendDeps } from './campaign-deps';
import { LedgerCounter } from './ledger-counter';
import { requestRecount } from './request-recount';

/** Re-read the campaign this often within a batch, so a cancel stops the rest within a few sends. */
const STATUS_CHECK_EVERY = 10;
/** Recipients of one message handled at once: at most this many are ambiguous when the worker dies mid-send. */
export const RECIPIENTS_IN_FLIGHT = 10;
const RETRY_DELAY_SECONDS = 2;
const SLOW_RETRY_DELAY_SECONDS = 300;
const MAX_DELAY_SECONDS = 900;
/**
 * How long a deferred group waits on the queue (whole seconds, at most 15 minutes a hop). The last hop is a single
 * one that lands at or just after the opening: a longer wait hops in steps that leave at least a minute, never a
 * sliver that a slow hand-over would turn into one more hop past the opening.
 */
export function followUpDelaySeconds(waitMs: number): number {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return seconds <= MAX_DELAY_SECONDS
    ? seconds
    : Math.min(MAX_DELAY_SECONDS, Math.floor(waitMs / 1000) - LAST_HOP_SECONDS);
}
const LAST_HOP_SECONDS = 60;

/** The text as sent: its links shortened per recipient when the campaign tracks them. */
function bodyWithLinks(
  rendered: string,
  to: { tenantId: string; contactId: string; campaign: { id: string; trackLinks: boolean } },
  settings: Settings,
  deps: SendDeps,
): Promise<string> | string {
  if (!to.campaign.trackLinks) return rendered;
  const source = { kind: 'campaign' as const, campaignId: to.campaign.id };
  return trackMessageLinks(rendered, { tenantId: to.tenantId, contactId: to.contactId, source }, settings, deps);
}

/** A send batch ends well within the worker's timeout; past this a recount treats it as dead. */
export const SEND_BATCH_MAX_MS = 15 * 60_000;

/**
 * Sends one queue message's recipients, each at most once. Right before each send it checks that
 * the campaign is still sending, the contact still consents, the frequency cap holds and the
 * contact's local time is inside the window (else the recipient is deferred to the next opening);
 * then it claims the ledger entry with a conditional write, renders, paces and sends. A send that
 * may have reached the carrier is never repeated: it is `unknown` until a receipt says otherwise.
 */
export interface SendBatchOptions {
  /** The invocation's time left (Lambda's `getRemainingTimeInMillis`); none locally. */
  remainingMs?: () => number;
}

/** Below this much time left a worker claims nobody more: it hands the rest back to the queue, untouched. */
export const HAND_BACK_BELOW_MS = 20_000;

export async function sendCampaignBatch(
  message: SendBatchMessage,
  deps: SendDeps,
  options: SendBatchOptions = {},
): Promise<void> {
  const { tenantId, campaignId } = message;
  const first = await deps.campaigns.getCampaign(tenantId, campaignId);
  // A paused campaign's recipients stay as they are (queued or held): its resume queues every one of them again.
  if (!first || first.campaign.status === 'paused') return;
  let stored = first;
  const [{ settings }, ledger, contacts] = await Promise.all([
    deps.settings.getSettings(tenantId),
    deps.campaigns.getLedgerEntries(tenantId, campaignId, message.contactIds),
    deps.contacts.getContacts(tenantId, message.contactIds),
  ]);
  const campaign = stored.campaign;
  // The number the tenant sends from; none (unassigned since the send) holds the recipients back, never the default.
  const sender = await sendingNumberOf(tenantId, settings, deps);
  if (!sender) {
    // Nobody is claimed or counted: the recipients wait, slowly retried, until an operator assigns a number.
    logger.warn('campaign recipients held: the tenant has no sender number', { tenantId, campaignId });
    await deps.queue.sendMessages('send', [{ body: message, delaySeconds: SLOW_RETRY_DELAY_SECONDS }]);
    return;
  }
  const begun = await LedgerCounter.begin(deps, tenantId, campaignId, SEND_BATCH_MAX_MS);
  if (!begun) return;
  const counter: LedgerCounter = begun;
  // One template per A/B variant (each recipient's variant was fixed at launch), or the campaign's one body.
  const templates = (campaign.variants?.map((variant) => variant.body) ?? [campaign.body]).map((body) =>
    compileTemplate(appendOptOutFooter(body, settings, campaign.messageType)),
  );
  const promotional = campaign.messageType === 'PROMOTIONAL';
  const deferredUntil = new Map<number, string[]>();
  const retry: string[] = [];
  // Recipients this invocation has no time left for: back on the queue as they were (no claim, no cap, no `unknown`).
  const handBack: string[] = [];
  // Claimed, then given back untouched because the campaign was paused meanwhile: queued again if it resumed since.
  const pausedBack: string[] = [];
  let retryDelaySeconds = RETRY_DELAY_SECONDS;

  // Every accepted change is counted by the counter from the entry before and after it.
  const settle = async (
    entry: LedgerEntry,
    from: LedgerEntry['status'][],
    to: LedgerEntry['status'],
    fields: Partial<LedgerEntry> = {},
  ) => (await counter.update(entry.contactId, { from }, to, fields)) !== undefined;

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
    // Paused: left waiting for the resume. Anything else that is not sending (cancelled, deleted) is cancelled.
    if (stored.campaign.status === 'paused') return;
    if (stored.campaign.status !== 'sending') {
      await settle(entry, fromStatuses('screenOut'), 'cancelled', { reason: `campaign ${stored.campaign.status}` });
      return;
    }
    const contact: Contact | undefined = contacts.get(contactId)?.contact;
    if (!contact) {
      await settle(entry, fromStatuses('screenOut'), 'cancelled', { reason: 'contactDeleted' });
      return;
    }
    const eligibility = classifyEligibility(contact, settings, { messageType: campaign.messageType });
    if (eligibility !== 'eligible') {
      await settle(entry, fromStatuses('screenOut'), 'skipped', { reason: eligibility });
      return;
    }
    const notBefore = entry.notBefore ? Date.parse(entry.notBefore) : 0;
    const window = checkSendTime(new Date(Math.max(now.getTime(), notBefore)), contact, settings.sendWindow, {
      messageType: campaign.messageType,
    });
    const openAt = window.allowed ? Math.max(now.getTime(), notBefore) : window.nextOpening.getTime();
    if (openAt > now.getTime()) {
      // Held back by the window (not by a recipient-time-zone schedule): flagged on the entry, so it
      // counts as `quietHoursDeferred` once however often it is deferred.
      await settle(entry, fromStatuses('defer'), 'deferred', {
        notBefore: new Date(openAt).toISOString(),
        ...(window.allowed ? {} : { windowDeferred: true }),
      });
      deferredUntil.set(openAt, [...(deferredUntil.get(openAt) ?? []), contactId]);
      return;
    }
    // The turn comes before the claim: a claim is only held for the moments of the send itself, so a crash leaves
    // at most the recipients being handed over ambiguous, not everyone waiting for a turn.
    // No turn this invocation cannot use: past the deadline the recipient goes back to the queue, untouched.
    const deadline =
      options.remainingMs === undefined ? undefined : now.getTime() + options.remainingMs() - HAND_BACK_BELOW_MS;
    if (
      (deadline !== undefined && deadline < now.getTime()) ||
      !(await deps.pacer.acquire(sender.number, sender.mps, deadline))
    ) {
      handBack.push(contactId);
      return;
    }
    // The claim: of every worker that holds this recipient (duplicate deliveries), one sends. It comes
    // before the frequency cap, so a duplicate never sees the winner's send in the log and skips it.
    const claimedAt = deps.clock.now().toISOString();
    if (!(await settle(entry, fromStatuses('claim'), 'sending', { claimedAt }))) return;
    claimedNotSent.set(contactId, entry);
    // Logged for reply attribution; a promotional message is also counted against the frequency cap
    // (once: a retry after throttling is not counted again).
    // The tenant's cap, and the recipient's state's (Florida, Oklahoma, Maryland: three a day) where one binds it.
    const capCounted = capCountStillHolds(entry.capCountedAt, contact, settings.frequencyCap, now);
    const countsAgainstCap = promotional && !capCounted;
    const allowed = await deps.campaigns.recordSend(
      tenantId,
      contactId,
      { at: now.toISOString(), source: { kind: 'campaign', campaignId } },
      sendCapsFor(contact, settings.frequencyCap, countsAgainstCap, now),
    );
    if (allowed !== true) {
      await settle(entry, fromStatuses('withdraw'), 'skipped', { reason: allowed });
      return;
    }
    const capCountedAt = promotional ? (capCounted ? entry.capCountedAt : now.toISOString()) : undefined;
    // Given back on a failure, the recipient must not meet its own send in the cap log.
    if (capCountedAt) claimedNotSent.set(contactId, { ...entry, capCountedAt });

    // Look again right before handing over, after waiting for a turn: a cancel, an opt-out (STOP,
    // a PATCH, the number's own suppression), a new phone or the window closing may have landed
    // meanwhile. Only sends already in the carrier's hands still go.
    const [current, latest] = await Promise.all([
      deps.campaigns.getCampaign(tenantId, campaignId),
      lastLookBeforeSend(tenantId, contactId, contact.phone, deps),
    ]);
    if (current) stored = current;
    if (current?.campaign.status === 'paused') {
      // Nothing went out: back to `queued` as after a throttle, its cap count kept so the resume does not count it twice.
      if (await settle(entry, fromStatuses('giveBack'), 'queued', { reason: 'campaign paused', capCountedAt })) {
        pausedBack.push(contactId);
      }
      claimedNotSent.delete(contactId);
      return;
    }
    if (current?.campaign.status !== 'sending') {
      await settle(entry, fromStatuses('withdraw'), 'cancelled', {
        reason: `campaign ${current?.campaign.status ?? 'deleted'}`,
      });
      return;
    }
    const stillEligible = latest.contact
      ? classifyEligibility(latest.contact, settings, { messageType: campaign.messageType })
      : 'contactDeleted';
    if (stillEligible !== 'eligible') {
      await settle(entry, fromStatuses('withdraw'), stillEligible === 'contactDeleted' ? 'cancelled' : 'skipped', {
        reason: stillEligible,
      });
      return;
    }
    // The fresh read decides the destination: a number fixed mid-blast gets the text, the old one does not.
    const recipient = latest.contact ?? contact;
    if (latest.numberOptedOut) {
      await settle(entry, fromStatuses('withdraw'), 'skipped', { reason: 'optedOut', phone: recipient.phone });
      return;
    }
    const stillOpen = checkSendTime(deps.clock.now(), recipient, settings.sendWindow, {
      messageType: campaign.messageType,
    });
    if (!stillOpen.allowed) {
      const openAt = stillOpen.nextOpening.getTime();
      const fields = { notBefore: new Date(openAt).toISOString(), capCountedAt, windowDeferred: true };
      if (await settle(entry, fromStatuses('deferAfterClaim'), 'deferred', fields)) {
        deferredUntil.set(openAt, [...(deferredUntil.get(openAt) ?? []), contactId]);
      }
      return;
    }
    // Tracked links are stored before the handover; a failure here gives the claim back like any other.
    const template = templates[entry.variant ?? 0] ?? (templates[0] as (typeof templates)[number]);
    const body = await bodyWithLinks(template.render(recipient), { tenantId, contactId, campaign }, settings, deps);
    const segments = countSegments(body);
    claimedNotSent.delete(contactId);
    const outcome = await deps.gateway.send({
      destinationPhoneNumber: recipient.phone,
      originationIdentity: sender.number,
      messageBody: body,
      messageType: campaign.messageType,
      ...(deps.configurationSetName ? { configurationSetName: deps.configurationSetName } : {}),
      context: { tenantId, campaignId, contactId },
    });
    const at = deps.clock.now().toISOString();
    // When a settle below finds the entry no longer `sending`, its receipt got there first and
    // moved (and counted) it: this worker's write is then rightly refused.
    switch (outcome.kind) {
      case 'sent':
        await settle(entry, fromStatuses('handOver'), 'sent', {
          messageId: outcome.messageId,
          sentAt: at,
          segments,
          body,
          phone: recipient.phone,
          cost: roundMoney(segments * pricePerSegment(recipient.phone, settings)),
        });
        break;
      case 'unknown':
        await settle(entry, fromStatuses('handOver'), 'unknown', {
          reason: outcome.reason,
          sentAt: at,
          segments,
          body,
          phone: recipient.phone,
        });
        break;
      case 'retryLater':
        // Per-second throttling clears in a moment; anything else (quota, access, configuration)
        // needs a person: retry slowly so the campaign waits without hammering the carrier.
        if (!outcome.reason.startsWith('ThrottlingException')) retryDelaySeconds = SLOW_RETRY_DELAY_SECONDS;
        // Nothing went out; the send already counted against the cap is not counted again on the retry.
        await settle(entry, fromStatuses('giveBack'), 'queued', { reason: outcome.reason, capCountedAt });
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
          await settle(entry, fromStatuses('handOver'), 'skipped', { reason: 'optedOut' });
        } else {
          await settle(entry, fromStatuses('handOver'), 'failed', {
            reason: failureReasonOfSendError(outcome.reason),
            detail: outcome.reason,
            sentAt: at,
          });
        }
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
      if (await settle(unsent, fromStatuses('giveBack'), 'queued', fields).catch(() => false)) {
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
      delaySeconds: followUpDelaySeconds(until - now),
    }));
    if (retry.length > 0) followUps.push({ body: { ...message, contactIds: retry }, delaySeconds: retryDelaySeconds });
    // A breath before they come round again: the number is booked by other workers, or this invocation is ending.
    if (handBack.length > 0) {
      followUps.push({ body: { ...message, contactIds: handBack }, delaySeconds: handBackDelaySeconds() });
    }
    // A resume lists the ledger once: one that came while these were claimed did not see them waiting.
    if (
      pausedBack.length > 0 &&
      (await deps.campaigns.getCampaign(tenantId, campaignId))?.campaign.status === 'sending'
    ) {
      followUps.push({ body: { ...message, contactIds: pausedBack }, delaySeconds: 1 });
    }
    await deps.queue.sendMessages('send', followUps);
    await counter.finish();
    if (await deps.campaigns.completeIfDone(tenantId, campaignId, deps.clock.now().toISOString())) {
      await requestRecount(tenantId, campaignId, deps);
    } else if (stored.campaign.maxSpend !== null || settings.monthlyBudget !== null) {
      // The budget's backstop: spend counted, a campaign at its cap (or the month's) pauses itself.
      await pauseIfOverBudget(tenantId, campaignId, deps);
    }
  }
}
