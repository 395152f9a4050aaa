import type { CampaignDeps } from './campaign-deps';
import { reconcileCampaignCounts } from './reconcile-counts.use-case';
import { settleAbandonedClaims } from './waiting-recipients';

/**
 * For a runtime that knows no process of its previous run survived (the local stack, started again after a crash):
 * the campaign's launch lease and counting writers belonged to the dead, its claims end `unknown` (they may have
 * reached the carrier; never re-sent), and its counters are recounted from the ledger, since a killed writer's
 * uncounted changes died with it. Run before anything else touches the campaign, so results are right when read.
 */
export async function recoverCampaignAfterRestart(
  tenantId: string,
  campaignId: string,
  deps: CampaignDeps,
): Promise<void> {
  await deps.campaigns.forgetDeadWork(tenantId, campaignId);
  await settleAbandonedClaims(tenantId, campaignId, deps, true);
  await reconcileCampaignCounts(tenantId, campaignId, deps);
}
