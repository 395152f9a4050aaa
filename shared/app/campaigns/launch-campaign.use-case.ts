import type { AbGroup } from '../../domain/campaigns/ab-test';
import { nextStatus } from '../../domain/campaigns/campaign-lifecycle';
import type { StoredCampaign } from '../../ports/campaign-store.port';
import { resolveAudiencePages } from '../audiences/resolve-audience.use-case';
import { inGroup, launchStepOf, startTestWait } from './ab-test-phases';
import type { CampaignDeps, LaunchMessage } from './campaign-deps';
import { armWatchdog, progressOf } from './campaign-watchdog';
import { LaunchLease, LEASE_MS } from './launch-lease';
import { enqueueRecipients, launchPage } from './launch-page';
import { requestRecount } from './request-recount';
import { requeueWaitingRecipients, settleAbandonedClaims } from './waiting-recipients';

export interface LaunchOptions {
  /** Stop and hand over to a fresh invocation when less than this is left (Lambda's 15-minute limit). */
  remainingMs?: () => number;
  leaseOwner: string;
}

const HAND_OVER_BELOW_MS = 60_000;

export type LaunchResult = 'launched' | 'handedOver' | 'notSending' | 'leaseHeld';

/**
 * Puts every recipient of a sending campaign on the ledger and queues them, page by page from the
 * streaming resolver. Safe to run twice and resumable: one launcher holds the lease, each page is
 * checkpointed, a recipient already on the ledger is never queued again, and a run short of time
 * queues its own continuation. A scheduled fire first moves the campaign to sending (a fire after
 * a cancel does nothing). A run that resumes a launch, or finds it done (a kick), queues again
 * whoever still waits; the campaign completes only once the launch is done and nobody waits.
 */
export async function launchCampaign(
  message: LaunchMessage,
  deps: CampaignDeps,
  options: LaunchOptions,
): Promise<LaunchResult> {
  const { tenantId, campaignId } = message;
  const stored = await campaignToLaunch(tenantId, campaignId, deps);
  if (!stored) return 'notSending';
  // The watchdog's look at a campaign that moved since the last one: nothing to repair, look again soon.
  const progress = progressOf(stored.campaign);
  if (message.watchdog && message.watchdog.progress !== progress) {
    await armWatchdog(tenantId, campaignId, deps, { progress, quietLooks: 0 });
    return 'launched';
  }
  const lease = new LaunchLease(deps, tenantId, campaignId, options.leaseOwner);
  if (!(await lease.take())) {
    // Another launcher holds the lease: running, or dead mid-page (its lease then runs out). Come back
    // once it would have run out rather than drop this message, or a crashed launch would never resume.
    await deps.queue.sendMessages('launch', [{ body: message, delaySeconds: LEASE_MS / 1000 }]);
    return 'leaseHeld';
  }
  const checkpoint = await deps.campaigns.getLaunchCheckpoint(tenantId, campaignId);
  let testWait = false;
  if (!checkpoint.done) {
    const step = await launchStepOf(tenantId, stored, deps);
    if (step.kind === 'notSending') return 'notSending';
    testWait = step.kind === 'wait';
    if (step.kind === 'launch') {
      const outcome = await launchPages(tenantId, step.stored, step.group, checkpoint.cursor, lease, deps, options);
      if (outcome === 'handedOver') {
        await deps.queue.sendMessages('launch', [{ body: message }]);
      }
      if (outcome !== 'done') return outcome;
      // Its recipients were just queued: the wait starts (a later kick during it queues again whoever still waits).
      if (step.group === 'test') await startTestWait(tenantId, campaignId, deps);
    }
  }
  // A resumed launch or a kick: entries a dead run wrote but never queued, or whose queue message was lost, are
  // queued again (a worker claims each once, so a duplicate is harmless) and abandoned claims end `unknown`.
  let waiting = true;
  if (checkpoint.done || checkpoint.cursor !== null || testWait) {
    // A watchdog's kick leaves alone the recipients held for a later opening: their queue message waits for it.
    waiting = (await requeueWaitingRecipients(tenantId, campaignId, deps, { heldToo: !message.watchdog })) > 0;
    await settleAbandonedClaims(tenantId, campaignId, deps, false);
  }
  if (await deps.campaigns.completeIfDone(tenantId, campaignId, deps.clock.now().toISOString())) {
    await requestRecount(tenantId, campaignId, deps);
  } else {
    // Still sending: looked at again later. Nobody waits on the ledger but the counters say otherwise (a writer died
    // before counting): a recount repairs them, and completes the campaign.
    if (!waiting) await requestRecount(tenantId, campaignId, deps);
    const quietLooks = message.watchdog ? message.watchdog.quietLooks + 1 : 0;
    const now = (await deps.campaigns.getCampaign(tenantId, campaignId))?.campaign ?? stored.campaign;
    await armWatchdog(tenantId, campaignId, deps, { progress: progressOf(now), quietLooks });
  }
  await lease.release();
  return 'launched';
}

/** The campaign if it is (now) sending: a due scheduled campaign is moved to sending first. */
async function campaignToLaunch(
  tenantId: string,
  campaignId: string,
  deps: CampaignDeps,
): Promise<StoredCampaign | undefined> {
  const stored = await deps.campaigns.getCampaign(tenantId, campaignId);
  if (stored?.campaign.status === 'scheduled') {
    const status = nextStatus('scheduled', 'fire');
    if (!status) return undefined;
    const now = deps.clock.now().toISOString();
    // Watched from the fire on: a launcher that dies before its first page is kicked again.
    await armWatchdog(tenantId, campaignId, deps);
    const fired = await deps.campaigns
      .saveCampaign(tenantId, stored, { ...stored.campaign, status, launchedAt: now, updatedAt: now })
      .catch(() => deps.campaigns.getCampaign(tenantId, campaignId));
    return fired?.campaign.status === 'sending' ? fired : undefined;
  }
  return stored?.campaign.status === 'sending' ? stored : undefined;
}

/**
 * Launches the pages from `cursor` on (only the contacts in `group`), checkpointing each; 'done' once the last page is
 * queued. A test share's last page leaves the launch open (cursor back at the start, not done) for the remainder.
 */
async function launchPages(
  tenantId: string,
  stored: StoredCampaign,
  group: AbGroup | 'all',
  cursor: string | null,
  lease: LaunchLease,
  deps: CampaignDeps,
  options: LaunchOptions,
): Promise<'done' | 'handedOver' | 'leaseHeld' | 'notSending'> {
  const campaignId = stored.campaign.id;
  const { settings } = await deps.settings.getSettings(tenantId);
  const lastGroup = group !== 'test';
  for await (const page of resolveAudiencePages(tenantId, stored.campaign.audience, deps, cursor)) {
    const contacts = page.contacts.filter((contact) => inGroup(stored.campaign, group, contact.id));
    const queued = await launchPage(tenantId, stored.campaign, contacts, settings, deps);
    if (queued === undefined) return 'notSending';
    await enqueueRecipients(tenantId, campaignId, queued, deps);
    await deps.campaigns.saveLaunchCheckpoint(tenantId, campaignId, page.cursor, page.cursor === null && lastGroup);
    if (page.cursor === null) return 'done';
    // A launcher that lost its lease (it stalled past it and another took over) stops writing.
    if (!(await lease.take())) return 'leaseHeld';
    if (options.remainingMs && options.remainingMs() < HAND_OVER_BELOW_MS) {
      await lease.release();
      return 'handedOver';
    }
  }
  // An audience with no page at all.
  await deps.campaigns.saveLaunchCheckpoint(tenantId, campaignId, null, lastGroup);
  return 'done';
}
