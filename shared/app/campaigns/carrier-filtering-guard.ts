import {
  BREAKER,
  bucketOf,
  type FilteringTally,
  filteringEvidence,
  judgeScope,
} from '../../domain/campaigns/carrier-filtering';
import type { CampaignStore } from '../../ports/campaign-store.port';
import type { Clock } from '../../ports/clock.port';
import type { FilteringStatsStore } from '../../ports/filtering-stats.port';
import { pauseIfSending } from './campaign-pause.use-case';

export interface FilteringGuardDeps {
  campaigns: CampaignStore;
  clock: Clock;
  filtering: FilteringStatsStore;
}

/**
 * The carrier-filtering circuit breaker of a campaign: counts a receipt batch's settled and filtered messages in the
 * campaign's minute tallies (and the tenant's baseline), judges the last 30 minutes since the last resume, and pauses
 * the campaign (`pauseReason: carrierFiltering`, with the evidence) when carriers filter too many of its texts.
 */
export async function guardCarrierFiltering(
  tenantId: string,
  campaignId: string,
  tally: FilteringTally,
  deps: FilteringGuardDeps,
): Promise<boolean> {
  if (tally.settled === 0) return false;
  const campaign = (await deps.campaigns.getCampaign(tenantId, campaignId))?.campaign;
  const now = deps.clock.now().getTime();
  const resumedAt = campaign?.resumedAt ? Date.parse(campaign.resumedAt) : 0;
  const since = Math.max(now - BREAKER.windowMs, resumedAt);
  const stats = await deps.filtering.addTally(tenantId, `CMP#${campaignId}`, bucketOf(now), tally, since);
  if (campaign?.status !== 'sending') return false;
  const { window, judgement } = judgeScope(stats, since);
  if (!judgement.trip) return false;
  return pauseIfSending(tenantId, campaignId, deps, 'carrierFiltering', filteringEvidence(window, judgement));
}
