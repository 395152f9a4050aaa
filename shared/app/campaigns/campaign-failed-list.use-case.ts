import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import type { SmartList } from '../../domain/smart-lists/smart-list.schema';
import { type ListDeps, saveRecipientsAsList } from './campaign-responders.use-case';

/** The tag every failed recipient of a campaign gets: what the saved Smart List filters on. */
export const failedTag = (campaignId: string) => `failed:${campaignId}`;

/** The tag naming a failed recipient's failure category: filter the list on it (`tags contains ...`). */
export const failureCategoryTag = (campaignId: string, category: string) => `failed:${campaignId}:${category}`;

const categoryOf = (entry: LedgerEntry) => entry.reason ?? 'unknown';

/** The seed's advice, shown with the list: most failures of a good message are numbers that no longer work. */
export const FAILED_LIST_ADVICE = 'Check these contacts — many may have outdated phone numbers';

export interface FailedList {
  smartList: SmartList;
  failed: number;
  /** Per failure category: how many, and the tag that picks them out of the list. */
  byCategory: Record<string, { recipients: number; tag: string }>;
  created: boolean;
  advice: string;
}

/**
 * Saves a campaign's failed recipients as a Smart List to review, fix or delete, the way the responders and clickers
 * are saved: each is tagged `failed:<campaignId>` (the list's filter) and `failed:<campaignId>:<category>`, so the
 * category is one more condition on the tags field away. Asking again adds recipients whose failure came since.
 */
export async function saveFailedList(
  tenantId: string,
  campaignId: string,
  input: { name?: string | undefined },
  deps: ListDeps,
): Promise<FailedList> {
  const byCategory: FailedList['byCategory'] = {};
  const { smartList, members, created } = await saveRecipientsAsList(
    tenantId,
    campaignId,
    {
      tag: failedTag(campaignId),
      title: 'Failed',
      picks: (entry) => entry.status === 'failed',
      moreTags: (entry) => {
        const category = categoryOf(entry);
        const tag = failureCategoryTag(campaignId, category);
        byCategory[category] = { recipients: (byCategory[category]?.recipients ?? 0) + 1, tag };
        return [tag];
      },
    },
    input,
    deps,
  );
  return { smartList, failed: members, byCategory, created, advice: FAILED_LIST_ADVICE };
}
