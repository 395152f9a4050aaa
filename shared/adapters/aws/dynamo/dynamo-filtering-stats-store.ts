import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { emptyTally, type FilteringTally, type TallyBuckets } from '../../../domain/campaigns/carrier-filtering';
import type { FilteringStatsStore, FilteringTotals } from '../../../ports/filtering-stats.port';
import { campaignEntityTypes, campaignsKeys } from './campaigns-keys';

/** Minute attributes older than this are dropped from the tally item, so it never grows with a long campaign. */
const KEEP_MS = 2 * 60 * 60_000;
const MINUTE_ATTRIBUTE = /^(s|f|e|c)_(\d+)(?:_(\w+))?$/;

/**
 * The breaker's counters in the campaigns table. Each minute is a few top-level attributes (`s_<minute>` settled,
 * `f_<minute>` filtered, `c_<minute>_<category>`, `e_<minute>` the minute's first sample errors) so one `ADD` creates or grows them,
 * which nested maps cannot do; the answer is the item after the update (`ALL_NEW`), so a batch costs no extra read.
 */
export class DynamoFilteringStatsStore implements FilteringStatsStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async addTally(tenantId: string, scope: string, minute: string, tally: FilteringTally, since: number) {
    const names: Record<string, string> = { '#s': `s_${minute}`, '#f': `f_${minute}` };
    const values: Record<string, unknown> = {
      ':s': tally.settled,
      ':f': tally.filtered,
      ':entity': campaignEntityTypes.filteringTally,
    };
    // The minute keeps the first samples it is given (a batch without any leaves the way open to the next).
    const sets = ['entity = :entity'];
    if (tally.sampleErrors.length > 0) {
      names['#e'] = `e_${minute}`;
      values[':samples'] = tally.sampleErrors.slice(0, 3);
      sets.push('#e = if_not_exists(#e, :samples)');
    }
    const adds = ['#s :s', '#f :f', 'totalSettled :s', 'totalFiltered :f'];
    Object.entries(tally.byCategory).forEach(([category, count], index) => {
      names[`#c${index}`] = `c_${minute}_${category}`;
      values[`:c${index}`] = count;
      adds.push(`#c${index} :c${index}`);
    });
    const out = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: campaignsKeys.filteringTally(tenantId, scope),
        UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    const tenant = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: campaignsKeys.filteringBaseline(tenantId),
        UpdateExpression: 'SET entity = :entity ADD settled :s, filtered :f',
        ExpressionAttributeValues: {
          ':s': tally.settled,
          ':f': tally.filtered,
          ':entity': campaignEntityTypes.filteringBaseline,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = out.Attributes ?? {};
    await this.dropOldMinutes(tenantId, scope, item, Number(minute) - KEEP_MS);
    return {
      buckets: bucketsOf(item, since),
      scope: { settled: Number(item.totalSettled ?? 0), filtered: Number(item.totalFiltered ?? 0) },
      tenant: { settled: Number(tenant.Attributes?.settled ?? 0), filtered: Number(tenant.Attributes?.filtered ?? 0) },
    } satisfies { buckets: TallyBuckets; scope: FilteringTotals; tenant: FilteringTotals };
  }

  /** Best effort: a minute left behind is dropped by a later batch. */
  private async dropOldMinutes(tenantId: string, scope: string, item: Record<string, unknown>, before: number) {
    const old = Object.keys(item).filter((name) => {
      const match = MINUTE_ATTRIBUTE.exec(name);
      return match !== null && Number(match[2]) < before;
    });
    if (old.length === 0) return;
    const names = Object.fromEntries(old.slice(0, 100).map((name, index) => [`#o${index}`, name]));
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: campaignsKeys.filteringTally(tenantId, scope),
        UpdateExpression: `REMOVE ${Object.keys(names).join(', ')}`,
        ExpressionAttributeNames: names,
      }),
    );
  }
}

/** The minute tallies at or after `since`, read back from the item's attributes. */
function bucketsOf(item: Record<string, unknown>, since: number): TallyBuckets {
  const buckets: TallyBuckets = {};
  for (const [name, value] of Object.entries(item)) {
    const match = MINUTE_ATTRIBUTE.exec(name);
    if (!match || Number(match[2]) < since) continue;
    const minute = match[2] as string;
    const tally = buckets[minute] ?? emptyTally();
    buckets[minute] = tally;
    if (match[1] === 's') tally.settled = Number(value);
    if (match[1] === 'f') tally.filtered = Number(value);
    if (match[1] === 'e') tally.sampleErrors = (value as string[]).slice(0, 5);
    if (match[1] === 'c' && match[3]) tally.byCategory[match[3]] = Number(value);
  }
  return buckets;
}
