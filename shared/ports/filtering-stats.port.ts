import type { FilteringTally, FilteringTotals, TallyBuckets } from '../domain/campaigns/carrier-filtering';

export type { FilteringTotals };

/**
 * What the carrier-filtering breaker counts: minute tallies per sender of texts (a campaign, a workflow) and the
 * tenant's totals (its baseline). Counters only, added per receipt batch, so a redelivered batch at worst counts twice
 * (it errs towards pausing, which a person undoes).
 */
export interface FilteringStatsStore {
  /**
   * Adds a batch's tally to the scope's minute and to the tenant's totals; answers the scope's minutes since `since`,
   * the scope's own totals and the tenant's, after the add.
   */
  addTally(
    tenantId: string,
    scope: string,
    minute: string,
    tally: FilteringTally,
    since: number,
  ): Promise<{ buckets: TallyBuckets; scope: FilteringTotals; tenant: FilteringTotals }>;
}
