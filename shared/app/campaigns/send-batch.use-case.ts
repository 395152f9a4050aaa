import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import { screenCampaignRecipient } from '../../domain/campaigns/screen-recipient';
import type { Contact } from '../../domain/contacts/contact.schema';
import { judgeLastLook } from '../../domain/sending/last-look';
import { handBackDelaySeconds } from '../../domain/sending/send-slots';
import { capCountStillHolds, sendCapsFor } from '../../domain/sending/state-rules';
import { countSegments } from '../../domain/sms/segments';
import { mapConcurrent } from '../../lib/map-concurrent';
import { lastLookBeforeSend } from '../contacts/number-opt-out';
import { trackMessageLinks } from '../links/track-message-links';
import { CampaignBatch } from './campaign-batch';
import { pauseIfOverBudget } from './campaign-budget';
import type { SendBatchMessage, SendDeps } from './campaign-deps';
import { requestRecount } from './request-recount';
import { settleHandOver } from './settle-hand-over';

export { SEND_BATCH_MAX_MS } from './campaign-batch';

/** Re-read the campaign this often within a batch, so a cancel stops the rest within a few sends. */
const STATUS_CHECK_EVERY = 10;
/** Recipients of one message handled at once: at most this many are ambiguous when the worker dies mid-send. */
export const RECIPIENTS_IN_FLIGHT = 10;
const MAX_DELAY_SECONDS = 900;
const LAST_HOP_SECONDS = 60;
/** Below this much time left a worker claims nobody more: it hands the rest back to the queue, untouched. */
export const HAND_BACK_BELOW_MS = 20_000;

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

export interface SendBatchOptions {
  /** The invocation's time left (Lambda's `getRemainingTimeInMillis`); none locally. */
  remainingMs?: () => number;
}

/**
 * Sends one queue message's recipients, each at most once: screen (campaign still sending, consent, window), take a
 * turn of the sender's rate, claim the ledger entry (one conditional write: of duplicate deliveries one sends), count
 * it against the caps, look again (`judgeLastLook`), hand it over and settle what the carrier answered. A send that
 * may have reached the carrier is never repeated: it is `unknown` until a receipt says otherwise.
 */
export async function sendCampaignBatch(
  message: SendBatchMessage,
  deps: SendDeps,
  options: SendBatchOptions = {},
): Promise<void> {
  const batch = await CampaignBatch.load(message, deps);
  if (!batch) return;
  let failure: unknown;
  try {
    // Recipients are independent (each has its own claim): several in flight at once, the pacer keeps to the rate.
    await mapConcurrent(message.contactIds, RECIPIENTS_IN_FLIGHT, async (contactId) => {
      try {
        await sendToRecipient(batch, contactId, deps, options);
      } catch (error) {
        failure ??= error;
      }
    });
    if (failure) throw failure;
  } finally {
    await giveBackUnsent(batch);
    // Even when the batch fails part-way: what did settle is counted, deferrals and retries are queued.
    await finishBatch(batch, deps);
  }
}

async function sendToRecipient(batch: CampaignBatch, contactId: string, deps: SendDeps, options: SendBatchOptions) {
  const { tenantId, campaignId } = batch.message;
  const entry = batch.ledger.get(contactId);
  if (!entry || (entry.status !== 'queued' && entry.status !== 'deferred')) return;
  if (batch.screened++ % STATUS_CHECK_EVERY === 0 && batch.screened > 1) {
    batch.stored = (await deps.campaigns.getCampaign(tenantId, campaignId)) ?? batch.stored;
  }
  const now = deps.clock.now();
  const screening = screenCampaignRecipient({
    entry,
    campaignStatus: batch.campaign.status,
    messageType: batch.campaign.messageType,
    contact: batch.contacts.get(contactId)?.contact,
    settings: batch.settings,
    now,
  });
  if (screening.kind === 'leave') return;
  if (screening.kind === 'screenOut') {
    await batch.move(entry, 'screenOut', screening.status, { reason: screening.reason });
    return;
  }
  if (screening.kind === 'defer') {
    // Flagged on the entry when the window holds it, so it counts as `quietHoursDeferred` once however often.
    const fields = {
      notBefore: new Date(screening.openAt).toISOString(),
      ...(screening.windowDeferred ? { windowDeferred: true } : {}),
    };
    await batch.move(entry, 'defer', 'deferred', fields);
    batch.deferTo(screening.openAt, contactId);
    return;
  }
  // The turn comes before the claim: a claim is only held for the moments of the send itself, so a crash leaves at
  // most the recipients being handed over ambiguous. No turn this invocation cannot use: the recipient goes back.
  if (!(await takeTurn(batch, now, deps, options))) {
    batch.handBack.push(contactId);
    return;
  }
  const claimed = await claimAndCount(batch, entry, screening.contact, now, deps);
  if (!claimed) return;
  await lookAgainAndHandOver(batch, claimed.entry, screening.contact, claimed.capCountedAt, deps);
}

/** A turn of the sender's rate before the invocation's deadline (none locally). */
async function takeTurn(batch: CampaignBatch, now: Date, deps: SendDeps, options: SendBatchOptions): Promise<boolean> {
  const deadline =
    options.remainingMs === undefined ? undefined : now.getTime() + options.remainingMs() - HAND_BACK_BELOW_MS;
  if (deadline !== undefined && deadline < now.getTime()) return false;
  return deps.pacer.acquire(batch.sender.number, batch.sender.mps, deadline);
}

/**
 * The claim, then the send log and caps. Of every worker that holds this recipient (duplicate deliveries) one claims;
 * the claim comes before the cap, so a duplicate never sees the winner's send in the log and skips it. A promotional
 * text counts against the tenant's cap and its state's (once: a retry after a throttle is not counted again, which
 * the claimed entry's `capCountedAt` says, not the entry read at load). Returns the claimed entry and when the cap was
 * counted (undefined: not counted), or undefined when the recipient is not this worker's to send.
 */
async function claimAndCount(
  batch: CampaignBatch,
  loaded: LedgerEntry,
  contact: Contact,
  now: Date,
  deps: SendDeps,
): Promise<{ entry: LedgerEntry; capCountedAt: string | undefined } | undefined> {
  const { tenantId, campaignId } = batch.message;
  const entry = await batch.claim(loaded, deps.clock.now().toISOString());
  if (!entry) return undefined;
  batch.claimedNotSent.set(entry.contactId, entry);
  const promotional = batch.campaign.messageType === 'PROMOTIONAL';
  const capCounted = capCountStillHolds(entry.capCountedAt, contact, batch.settings.frequencyCap, now);
  const allowed = await deps.campaigns.recordSend(
    tenantId,
    entry.contactId,
    { at: now.toISOString(), source: { kind: 'campaign', campaignId } },
    sendCapsFor(contact, batch.settings.frequencyCap, promotional && !capCounted, now),
  );
  if (allowed !== true) {
    batch.claimedNotSent.delete(entry.contactId);
    await batch.move(entry, 'withdraw', 'skipped', { reason: allowed });
    return undefined;
  }
  const capCountedAt = promotional ? (capCounted ? entry.capCountedAt : now.toISOString()) : undefined;
  // Given back on a failure, the recipient must not meet its own send in the cap log.
  if (capCountedAt) batch.claimedNotSent.set(entry.contactId, { ...entry, capCountedAt });
  return { entry, capCountedAt };
}

/**
 * Looks again right before handing over, after waiting for a turn: a cancel or pause, an opt-out (STOP, a PATCH, the
 * number's own suppression), a new phone or the window closing may have landed meanwhile. Then the hand-over.
 */
async function lookAgainAndHandOver(
  batch: CampaignBatch,
  entry: LedgerEntry,
  planned: Contact,
  capCountedAt: string | undefined,
  deps: SendDeps,
): Promise<void> {
  const { tenantId, campaignId } = batch.message;
  const { contactId } = entry;
  const [current, look] = await Promise.all([
    deps.campaigns.getCampaign(tenantId, campaignId),
    lastLookBeforeSend(tenantId, contactId, planned.phone, deps),
  ]);
  if (current) batch.stored = current;
  const status = current?.campaign.status ?? 'deleted';
  // Until one of the writes below lands, the claim stays among those given back if the batch fails.
  const decided = () => batch.claimedNotSent.delete(contactId);
  if (status === 'paused') {
    // Nothing went out: back to `queued` as after a throttle, its cap count kept so the resume does not count it twice.
    if (await batch.move(entry, 'giveBack', 'queued', { reason: 'campaign paused', capCountedAt })) {
      batch.pausedBack.push(contactId);
    }
    decided();
    return;
  }
  if (status !== 'sending') {
    await batch.move(entry, 'withdraw', 'cancelled', { reason: `campaign ${status}` });
    decided();
    return;
  }
  const verdict = judgeLastLook(look, batch.settings, batch.campaign.messageType, deps.clock.now());
  if (verdict.kind === 'withdraw') {
    const fields = { reason: verdict.reason, ...(verdict.phone ? { phone: verdict.phone } : {}) };
    await batch.move(entry, 'withdraw', verdict.status, fields);
    decided();
    return;
  }
  if (verdict.kind === 'windowClosed') {
    const openAt = verdict.nextOpening.getTime();
    const fields = { notBefore: verdict.nextOpening.toISOString(), capCountedAt, windowDeferred: true };
    if (await batch.move(entry, 'deferAfterClaim', 'deferred', fields)) batch.deferTo(openAt, contactId);
    decided();
    return;
  }
  // Tracked links are stored before the hand-over; a failure there gives the claim back like any other.
  const body = await bodyFor(batch, entry, verdict.recipient, deps);
  decided();
  const outcome = await deps.gateway.send({
    destinationPhoneNumber: verdict.recipient.phone,
    originationIdentity: batch.sender.number,
    messageBody: body,
    messageType: batch.campaign.messageType,
    ...(deps.configurationSetName ? { configurationSetName: deps.configurationSetName } : {}),
    context: { tenantId, campaignId, contactId },
  });
  const sent = { entry, recipient: verdict.recipient, segments: countSegments(body), body, capCountedAt };
  await settleHandOver(batch, sent, outcome, deps);
}

/** The recipient's text: its variant's template, personalised, its links shortened when the campaign tracks them. */
function bodyFor(
  batch: CampaignBatch,
  entry: LedgerEntry,
  recipient: Contact,
  deps: SendDeps,
): Promise<string> | string {
  const rendered = batch.templateFor(entry).render(recipient);
  const { campaign } = batch;
  if (!campaign.trackLinks) return rendered;
  const { tenantId, campaignId } = batch.message;
  const to = { tenantId, contactId: entry.contactId, source: { kind: 'campaign' as const, campaignId } };
  return trackMessageLinks(rendered, to, batch.settings, deps);
}

/** Claims the batch took and did not hand over (it failed part-way): given back, to be retried. */
async function giveBackUnsent(batch: CampaignBatch): Promise<void> {
  for (const unsent of batch.claimedNotSent.values()) {
    const fields = { reason: 'worker failed before sending', capCountedAt: unsent.capCountedAt };
    if (await batch.move(unsent, 'giveBack', 'queued', fields).catch(() => false)) batch.retry.push(unsent.contactId);
  }
}

/** Queues what comes round again, adds the batch's counts, and completes (or pauses, over budget) the campaign. */
async function finishBatch(batch: CampaignBatch, deps: SendDeps): Promise<void> {
  const { message } = batch;
  const { tenantId, campaignId } = message;
  const now = deps.clock.now().getTime();
  const followUps = [...batch.deferredUntil].map(([until, contactIds]) => ({
    body: { ...message, contactIds },
    delaySeconds: followUpDelaySeconds(until - now),
  }));
  if (batch.retry.length > 0) {
    followUps.push({ body: { ...message, contactIds: batch.retry }, delaySeconds: batch.retryDelaySeconds });
  }
  // A breath before they come round again: the number is booked by other workers, or this invocation is ending.
  if (batch.handBack.length > 0) {
    followUps.push({ body: { ...message, contactIds: batch.handBack }, delaySeconds: handBackDelaySeconds() });
  }
  // A resume lists the ledger once: one that came while these were claimed did not see them waiting.
  if (
    batch.pausedBack.length > 0 &&
    (await deps.campaigns.getCampaign(tenantId, campaignId))?.campaign.status === 'sending'
  ) {
    followUps.push({ body: { ...message, contactIds: batch.pausedBack }, delaySeconds: 1 });
  }
  await deps.queue.sendMessages('send', followUps);
  await batch.counter.finish();
  if (await deps.campaigns.completeIfDone(tenantId, campaignId, deps.clock.now().toISOString())) {
    await requestRecount(tenantId, campaignId, deps);
  } else if (batch.campaign.maxSpend !== null || batch.settings.monthlyBudget !== null) {
    // The budget's backstop: spend counted, a campaign at its cap (or the month's) pauses itself.
    await pauseIfOverBudget(tenantId, campaignId, deps);
  }
}
