import { classifyEligibility } from '../../domain/audience/eligibility';
import { nextStatus } from '../../domain/campaigns/campaign-lifecycle';
import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import { localToInstant } from '../../domain/campaigns/schedule';
import { resolveAudiencePages } from '../audiences/resolve-audience.use-case';
import { type CampaignDeps, type LaunchMessage, RECIPIENTS_PER_MESSAGE, type SendBatchMessage } from './campaign-deps';
import { LedgerCounter } from './ledger-counter';
import { requestRecount } from './request-recount';

export interface LaunchOptions {
  /** Stop and hand over to a fresh invocation when less than this is left (Lambda's 15-minute limit). */
  remainingMs?: () => number;
  leaseOwner: string;
}

const LEASE_MS = 120_000;
const HAND_OVER_BELOW_MS = 60_000;

export type LaunchResult = 'launched' | 'handedOver' | 'notSending' | 'leaseHeld';

/**
 * Puts every recipient of a sending campaign on the ledger and queues them, page by page from the
 * streaming resolver. Safe to run twice and resumable: one launcher holds the lease, each page is
 * checkpointed, a recipient already on the ledger is never queued again, and a run short of time
 * queues its own continuation. A scheduled fire first moves the campaign to sending (a fire after
 * a cancel does nothing).
 */
export async function launchCampaign(
  message: LaunchMessage,
  deps: CampaignDeps,
  options: LaunchOptions,
): Promise<LaunchResult> {
  const { tenantId, campaignId } = message;
  let stored = await deps.campaigns.getCampaign(tenantId, campaignId);
  if (!stored) return 'notSending';
  if (stored.campaign.status === 'scheduled') {
    const now = deps.clock.now().toISOString();
    const status = nextStatus('scheduled', 'fire');
    if (!status) return 'notSending';
    try {
      stored = await deps.campaigns.saveCampaign(tenantId, stored, {
        ...stored.campaign,
        status,
        launchedAt: now,
        updatedAt: now,
      });
    } catch {
      stored = await deps.campaigns.getCampaign(tenantId, campaignId);
      if (!stored) return 'notSending';
    }
  }
  const campaign = stored.campaign;
  if (campaign.status !== 'sending') return 'notSending';

  const leaseUntil = () => new Date(deps.clock.now().getTime() + LEASE_MS).toISOString();
  // A run that ends (done, or handing over to its continuation) gives the lease back, so that the
  // continuation, a kick or a redelivery is not turned away for the rest of the lease.
  const releaseLease = async () => {
    const now = deps.clock.now().getTime();
    await deps.campaigns.acquireLaunchLease(
      tenantId,
      campaignId,
      options.leaseOwner,
      new Date(now - 1).toISOString(),
      new Date(now).toISOString(),
    );
  };
  if (
    !(await deps.campaigns.acquireLaunchLease(
      tenantId,
      campaignId,
      options.leaseOwner,
      leaseUntil(),
      deps.clock.now().toISOString(),
    ))
  ) {
    // Another launcher holds the lease: it may be running, or dead mid-page (its lease then runs
    // out). Come back once the lease would have run out rather than drop this message, or a crashed
    // launch would never resume; if the holder finished meanwhile, the return is a harmless kick.
    await deps.queue.sendMessages('launch', [{ body: message, delaySeconds: LEASE_MS / 1000 }]);
    return 'leaseHeld';
  }
  const checkpoint = await deps.campaigns.getLaunchCheckpoint(tenantId, campaignId);
  if (checkpoint.done) {
    // A launch message for a launched campaign is a kick: re-queue whoever still waits (a lost
    // queue message, a restart of the local stack), so a campaign never stays stuck in sending.
    await requeueWaitingRecipients(tenantId, campaignId, deps);
    await settleAbandonedClaims(tenantId, campaignId, deps, message.abandonInFlight === true);
    await completeAndRecount(tenantId, campaignId, deps);
    await releaseLease();
    return 'launched';
  }
  const { settings } = await deps.settings.getSettings(tenantId);
  const schedule = campaign.schedule;

  for await (const page of resolveAudiencePages(tenantId, campaign.audience, deps, checkpoint.cursor)) {
    const now = deps.clock.now();
    const existing = await deps.campaigns.getLedgerEntries(
      tenantId,
      campaignId,
      page.contacts.map((c) => c.id),
    );
    const fresh = page.contacts.filter((contact, index, all) => {
      // A contact met twice (several tag partitions, or a page re-read after a crash) is queued once.
      return !existing.has(contact.id) && all.findIndex((c) => c.id === contact.id) === index;
    });
    const promotional = campaign.messageType === 'PROMOTIONAL';
    const logs = promotional
      ? await deps.campaigns.getSendLogs(
          tenantId,
          fresh.map((c) => c.id),
        )
      : new Map();
    const capWindowStart = new Date(now.getTime() - settings.frequencyCap.perHours * 3_600_000).toISOString();

    const entries: LedgerEntry[] = [];
    const queued: string[] = [];
    for (const contact of fresh) {
      const recent = (logs.get(contact.id) ?? []).filter((at: string) => at >= capWindowStart).length;
      const eligibility = classifyEligibility(contact, settings, {
        messageType: campaign.messageType,
        recentMessageCount: promotional ? recent : undefined,
      });
      const base = {
        campaignId,
        contactId: contact.id,
        phone: contact.phone,
        queuedAt: now.toISOString(),
        ...(contact.tags.length ? { tags: contact.tags } : {}),
      };
      if (eligibility !== 'eligible') {
        entries.push({ ...base, status: 'skipped', reason: eligibility });
        continue;
      }
      const notBefore =
        schedule && 'recipientTimeZone' in schedule ? localToInstant(schedule.sendAt, contact.timeZone) : undefined;
      entries.push({
        ...base,
        status: 'queued',
        ...(notBefore && notBefore > now ? { notBefore: notBefore.toISOString() } : {}),
      });
      queued.push(contact.id);
    }
    // Count the page right after its entries are written: a rerun sees them as existing and never
    // counts them, so counting after the queue call would lose a page whose queue call failed (and
    // the campaign would complete, cancelling that page, while its recipients still wait).
    const counter = await LedgerCounter.begin(deps, tenantId, campaignId, LEASE_MS);
    if (!counter) return 'notSending';
    // Each entry is created only if absent: a second launcher on the same page (a lease lost in a
    // stall) can never reset an entry a worker already claimed or sent, and counts only its own.
    const created = await deps.campaigns.putLedgerEntries(tenantId, entries);
    counter.created(created);
    await counter.finish();
    const createdIds = new Set(created.map((entry) => entry.contactId));
    const ownQueued = queued.filter((contactId) => createdIds.has(contactId));
    queued.length = 0;
    queued.push(...ownQueued);
    // Entries a crashed run wrote may never have been queued: queue them again. A duplicate
    // message is harmless, since a worker claims each entry with a conditional write.
    for (const [contactId, entry] of existing) if (entry.status === 'queued') queued.push(contactId);
    const messages: { body: SendBatchMessage }[] = [];
    for (let i = 0; i < queued.length; i += RECIPIENTS_PER_MESSAGE) {
      messages.push({
        body: { kind: 'campaignSend', tenantId, campaignId, contactIds: queued.slice(i, i + RECIPIENTS_PER_MESSAGE) },
      });
    }
    await deps.queue.sendMessages('send', messages);
    await deps.campaigns.saveLaunchCheckpoint(tenantId, campaignId, page.cursor, page.cursor === null);
    if (page.cursor === null) break;

    // A launcher that lost its lease (it stalled past it and another took over) stops writing.
    if (
      !(await deps.campaigns.acquireLaunchLease(
        tenantId,
        campaignId,
        options.leaseOwner,
        leaseUntil(),
        now.toISOString(),
      ))
    ) {
      return 'leaseHeld';
    }
    if (options.remainingMs && options.remainingMs() < HAND_OVER_BELOW_MS) {
      await releaseLease();
      await deps.queue.sendMessages('launch', [{ body: message }]);
      return 'handedOver';
    }
  }
  const final = await deps.campaigns.getLaunchCheckpoint(tenantId, campaignId);
  if (!final.done) await deps.campaigns.saveLaunchCheckpoint(tenantId, campaignId, null, true);
  // A run resumed after a crash re-queues pages the crashed run queued and the queue lost.
  if (checkpoint.cursor !== null) {
    await requeueWaitingRecipients(tenantId, campaignId, deps);
    await settleAbandonedClaims(tenantId, campaignId, deps, message.abandonInFlight === true);
  }
  await completeAndRecount(tenantId, campaignId, deps);
  await releaseLease();
  return 'launched';
}

/** Completes the campaign when nobody waits any more, and then has its counters recounted. */
async function completeAndRecount(tenantId: string, campaignId: string, deps: CampaignDeps): Promise<void> {
  if (await deps.campaigns.completeIfDone(tenantId, campaignId, deps.clock.now().toISOString())) {
    await requestRecount(tenantId, campaignId, deps);
  }
}

/** Queues again every recipient still queued or deferred; workers claim each one once, so duplicates are harmless. */
async function requeueWaitingRecipients(tenantId: string, campaignId: string, deps: CampaignDeps): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.listLedger(tenantId, campaignId, {
      limit: 500,
      cursor,
      status: ['queued', 'deferred'],
    });
    const ids = page.items.map((entry) => entry.contactId);
    const messages: { body: SendBatchMessage }[] = [];
    for (let i = 0; i < ids.length; i += RECIPIENTS_PER_MESSAGE) {
      messages.push({
        body: { kind: 'campaignSend', tenantId, campaignId, contactIds: ids.slice(i, i + RECIPIENTS_PER_MESSAGE) },
      });
    }
    await deps.queue.sendMessages('send', messages);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** A worker runs at most a few minutes (the send function's timeout): a claim older than this was abandoned. */
export const ABANDONED_CLAIM_MS = 10 * 60_000;

/**
 * Entries a worker claimed and then vanished with (killed between the claim and its last write)
 * may or may not have reached the carrier: they become `unknown`, never re-sent, so the campaign
 * can finish; a later receipt still settles them.
 */
async function settleAbandonedClaims(tenantId: string, campaignId: string, deps: CampaignDeps, all: boolean) {
  const cutoff = new Date(deps.clock.now().getTime() - ABANDONED_CLAIM_MS).toISOString();
  const counter = await LedgerCounter.begin(deps, tenantId, campaignId, LEASE_MS);
  if (!counter) return;
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.listLedger(tenantId, campaignId, { limit: 500, cursor, status: ['sending'] });
    for (const entry of page.items) {
      if (!all && (entry.claimedAt ?? entry.queuedAt) > cutoff) continue;
      await counter.update(entry.contactId, { from: ['sending'] }, 'unknown', {
        reason: 'worker stopped after claiming',
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  await counter.finish();
}
