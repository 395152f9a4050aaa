import { type CampaignCounts, emptyCounts } from '../../domain/campaigns/campaign.schema';
import { addInto, contribution, sameCounts } from '../../domain/campaigns/ledger-counts';
import type { CampaignStore } from '../../ports/campaign-store.port';
import type { Clock } from '../../ports/clock.port';
import type { IdGenerator } from '../../ports/id-generator.port';

export interface ReconcileDeps {
  campaigns: CampaignStore;
  clock: Clock;
  ids: IdGenerator;
}

export type ReconcileOutcome =
  | { kind: 'reconciled'; before: CampaignCounts; after: CampaignCounts; corrected: boolean }
  | { kind: 'busy' }
  | { kind: 'missing' };

/** How long a recount may hold the campaign before another may take over (writers retry meanwhile). */
const RECOUNT_HOLD_MS = 15 * 60_000;
const POLL_MS = 200;

/**
 * Recounts a campaign's counters from its ledger and replaces them: repairs whatever a writer that
 * died between its ledger writes and its counter update left uncounted. It first stops new writers
 * (they retry), waits for the announced ones to finish (or pass their deadline: dead), then counts
 * with consistent reads, so no change is counted twice or missed.
 */
export async function reconcileCampaignCounts(
  tenantId: string,
  campaignId: string,
  deps: ReconcileDeps,
): Promise<ReconcileOutcome> {
  const stored = await deps.campaigns.getCampaign(tenantId, campaignId);
  if (!stored) return { kind: 'missing' };
  const owner = deps.ids.next();
  const start = deps.clock.now();
  const holdUntil = new Date(start.getTime() + RECOUNT_HOLD_MS).toISOString();
  if (!(await deps.campaigns.startReconciling(tenantId, campaignId, owner, start.toISOString(), holdUntil))) {
    return { kind: 'busy' };
  }
  for (;;) {
    const now = deps.clock.now().toISOString();
    const live = (await deps.campaigns.announcedWriters(tenantId, campaignId)).filter((deadline) => deadline > now);
    if (live.length === 0) break;
    await deps.clock.sleep(POLL_MS);
  }
  const after = emptyCounts();
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.listLedger(tenantId, campaignId, { limit: 1000, cursor });
    for (const entry of page.items) addInto(after, contribution(entry));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const before = (await deps.campaigns.getCampaign(tenantId, campaignId))?.campaign.counts ?? stored.campaign.counts;
  const at = deps.clock.now().toISOString();
  if (!(await deps.campaigns.finishReconciling(tenantId, campaignId, owner, after, at))) return { kind: 'busy' };
  // A recount that found recipients no longer waiting may be what lets the campaign finish.
  await deps.campaigns.completeIfDone(tenantId, campaignId, at);
  return { kind: 'reconciled', before, after, corrected: !sameCounts(before, after) };
}
