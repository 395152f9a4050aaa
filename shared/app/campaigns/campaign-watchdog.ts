import type { Campaign } from '../../domain/campaigns/campaign.schema';
import type { CampaignDeps, LaunchMessage } from './campaign-deps';

/** The first look a sending campaign gets from its watchdog, and the longest a quiet one waits between looks. */
export const WATCHDOG_FIRST_MINUTES = 5;
export const WATCHDOG_MAX_MINUTES = 60;

export const watchdogName = (tenantId: string, campaignId: string) => `campaign-watch-${tenantId}-${campaignId}`;

/** What changes while a campaign makes progress: its counters (recipients launched, sent, settled). */
export const progressOf = (campaign: Pick<Campaign, 'counts'>) => JSON.stringify(campaign.counts);

/** When the watchdog looks next: soon while the campaign moves, less and less often while it waits (a night's window). */
export function nextLookMinutes(quietLooks: number): number {
  return Math.min(WATCHDOG_MAX_MINUTES, WATCHDOG_FIRST_MINUTES * 2 ** Math.max(0, quietLooks));
}

/**
 * Arms the campaign's watchdog: a one-time schedule that kicks its launcher later. Armed before a campaign starts
 * sending and again by every launcher run that leaves it sending, so it runs only while the campaign sends. A look
 * that finds the campaign moving only re-arms (one read); one that finds it stuck kicks it: a launch that never ran
 * (its queue message lost after the campaign was saved as sending) resumes, claims older than any worker can run
 * become `unknown`, whoever waits is queued again, and what is done completes.
 */
export async function armWatchdog(
  tenantId: string,
  campaignId: string,
  deps: Pick<CampaignDeps, 'scheduler' | 'clock'>,
  look: { progress: string; quietLooks: number } = { progress: '', quietLooks: 0 },
): Promise<void> {
  const minutes = nextLookMinutes(look.quietLooks);
  const at = new Date(deps.clock.now().getTime() + minutes * 60_000).toISOString().slice(0, 19);
  const payload: LaunchMessage = { kind: 'campaignLaunch', tenantId, campaignId, watchdog: look };
  await deps.scheduler.createSchedule({
    name: watchdogName(tenantId, campaignId),
    at,
    timeZone: 'UTC',
    target: 'launcher',
    payload: { ...payload },
  });
}
