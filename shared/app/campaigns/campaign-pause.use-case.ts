import type { Campaign, PauseEvidence, PauseReason } from '../../domain/campaigns/campaign.schema';
import { nextStatus, requireTransition } from '../../domain/campaigns/campaign-lifecycle';
import { NotFoundError } from '../../domain/errors';
import { logger } from '../../middleware/logger';
import { retryOnConflict } from '../retry-on-conflict';
import type { CampaignDeps, LaunchMessage } from './campaign-deps';
import { armWatchdog } from './campaign-watchdog';

async function load(tenantId: string, id: string, deps: Pick<CampaignDeps, 'campaigns'>) {
  const stored = await deps.campaigns.getCampaign(tenantId, id);
  if (!stored) throw new NotFoundError('Campaign', id);
  return stored;
}

/**
 * Pauses a sending campaign: workers hand nobody more to the carrier (whoever waits stays queued or held, a recipient
 * claimed at that moment is given back untouched), and neither the watchdog nor a restart resumes it. A campaign that
 * is not sending is a 409 naming its state.
 */
export async function pauseCampaign(
  tenantId: string,
  id: string,
  deps: Pick<CampaignDeps, 'campaigns' | 'clock'>,
  reason: PauseReason = 'manual',
  evidence: PauseEvidence | null = null,
): Promise<Campaign> {
  return retryOnConflict(async () => {
    const stored = await load(tenantId, id, deps);
    const status = requireTransition(id, stored.campaign.status, 'pause');
    const now = deps.clock.now().toISOString();
    const paused: Campaign = {
      ...stored.campaign,
      status,
      pauseReason: reason,
      pausedAt: now,
      pauseEvidence: evidence,
      updatedAt: now,
    };
    return (await deps.campaigns.saveCampaign(tenantId, stored, paused)).campaign;
  });
}

/**
 * A guard's pause (carrier filtering, budget): like {@link pauseCampaign}, but a campaign no longer sending (paused
 * already, finished, cancelled) is left as it is. True when this call paused it.
 */
export async function pauseIfSending(
  tenantId: string,
  id: string,
  deps: Pick<CampaignDeps, 'campaigns' | 'clock'>,
  reason: Exclude<PauseReason, 'manual'>,
  evidence: PauseEvidence,
): Promise<boolean> {
  const stored = await deps.campaigns.getCampaign(tenantId, id);
  if (!stored || !nextStatus(stored.campaign.status, 'pause')) return false;
  try {
    await pauseCampaign(tenantId, id, deps, reason, evidence);
  } catch (error) {
    if ((error as { code?: string }).code === 'CAMPAIGN.INVALID_STATE') return false;
    throw error;
  }
  logger.warn('campaign paused by a guard', { tenantId, campaignId: id, pauseReason: reason, evidence });
  // The alarm's figure, as a CloudWatch embedded metric (no API call): infra/constructs/carrier-filtering-alarm.ts.
  logger.info('campaign paused metric', {
    _aws: {
      Timestamp: deps.clock.now().getTime(),
      CloudWatchMetrics: [
        {
          Namespace: 'SmsEngine',
          Dimensions: [['PauseReason']],
          Metrics: [{ Name: 'CampaignsPausedByGuard', Unit: 'Count' }],
        },
      ],
    },
    PauseReason: reason,
    CampaignsPausedByGuard: 1,
  });
  return true;
}

/**
 * Resumes a paused campaign where it stopped: the launcher is kicked as after a restart, so a launch cut short goes on
 * from its checkpoint and everyone still waiting is queued again (each recipient is claimed once, so nobody gets it
 * twice), and the watchdog looks after it again. `beforeResume` may refuse (the budget still spent).
 */
export async function resumeCampaign(
  tenantId: string,
  id: string,
  deps: CampaignDeps,
  beforeResume: (campaign: Campaign) => Promise<void> = async () => undefined,
): Promise<Campaign> {
  const current = await load(tenantId, id, deps);
  requireTransition(id, current.campaign.status, 'resume');
  await beforeResume(current.campaign);
  await armWatchdog(tenantId, id, deps);
  const campaign = await retryOnConflict(async () => {
    const stored = await load(tenantId, id, deps);
    const status = requireTransition(id, stored.campaign.status, 'resume');
    const now = deps.clock.now().toISOString();
    const resumed: Campaign = {
      ...stored.campaign,
      status,
      pauseReason: null,
      pausedAt: null,
      pauseEvidence: null,
      resumedAt: now,
      updatedAt: now,
    };
    return (await deps.campaigns.saveCampaign(tenantId, stored, resumed)).campaign;
  });
  const kick: LaunchMessage = { kind: 'campaignLaunch', tenantId, campaignId: id };
  await deps.queue.sendMessages('launch', [{ body: kick }]);
  return campaign;
}
