import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import { NotFoundError } from '../../domain/errors';
import type { SmartList } from '../../domain/smart-lists/smart-list.schema';
import type { CampaignStore } from '../../ports/campaign-store.port';
import { addContactTags } from '../contacts/contact-tags.use-case';
import type { ContactsDeps } from '../contacts/contacts-deps';
import { createSmartList, type SmartListDeps, updateSmartList } from '../smart-lists/smart-lists.use-case';

/** The tag a campaign's responders get: what the saved Smart List filters on. */
export const responderTag = (campaignId: string) => `replied:${campaignId}`;

/**
 * Saves a campaign's responders as a Smart List, so "only Buyer Lead contacts responded" becomes
 * the next, better-targeted campaign. Responders are tagged `replied:<campaignId>` and the list
 * filters on that tag: it stays a plain Smart List anyone can edit, and asking again (after late
 * replies) tags the newcomers and keeps the same list.
 */
export async function saveRespondersList(
  tenantId: string,
  campaignId: string,
  input: { name?: string | undefined },
  deps: ListDeps,
): Promise<{ smartList: SmartList; responders: number; created: boolean }> {
  const { smartList, members, created } = await saveRecipientsAsList(
    tenantId,
    campaignId,
    { tag: responderTag(campaignId), title: 'Responders', picks: (entry) => entry.repliedAt !== undefined },
    input,
    deps,
  );
  return { smartList, responders: members, created };
}

/** The tag a campaign's clickers get: what their saved Smart List filters on. */
export const clickerTag = (campaignId: string) => `clicked:${campaignId}`;

/**
 * Saves the recipients who clicked a tracked link of the campaign (a person's click, not a previewer's) as a Smart
 * List, the same way as the responders: tagged `clicked:<campaignId>`, the list filtering on the tag.
 */
export async function saveClickersList(
  tenantId: string,
  campaignId: string,
  input: { name?: string | undefined },
  deps: ListDeps,
): Promise<{ smartList: SmartList; clickers: number; created: boolean }> {
  const { smartList, members, created } = await saveRecipientsAsList(
    tenantId,
    campaignId,
    { tag: clickerTag(campaignId), title: 'Clickers', picks: (entry) => entry.clickedAt !== undefined },
    input,
    deps,
  );
  return { smartList, clickers: members, created };
}

export type ListDeps = ContactsDeps & SmartListDeps & { campaigns: CampaignStore };

/**
 * Tags the ledger's recipients that `picks` chooses (with `tag`, and any `moreTags` of their entry) and keeps one
 * Smart List filtering on `tag`.
 */
export async function saveRecipientsAsList(
  tenantId: string,
  campaignId: string,
  list: {
    tag: string;
    title: string;
    picks: (entry: LedgerEntry) => boolean;
    moreTags?: (entry: LedgerEntry) => string[];
  },
  input: { name?: string | undefined },
  deps: ListDeps,
): Promise<{ smartList: SmartList; members: number; created: boolean }> {
  const stored = await deps.campaigns.getCampaign(tenantId, campaignId);
  if (!stored) throw new NotFoundError('Campaign', campaignId);
  const { tag } = list;
  let members = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.listLedger(tenantId, campaignId, { limit: 500, cursor, clicks: true });
    for (const entry of page.items) {
      if (!list.picks(entry)) continue;
      members++;
      // A member deleted since is simply not in the list.
      await addContactTags(tenantId, entry.contactId, [tag, ...(list.moreTags?.(entry) ?? [])], deps).catch(
        (error: unknown) => {
          if (!(error instanceof NotFoundError)) throw error;
        },
      );
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const filter = { all: [{ field: 'tags', op: 'contains', value: tag }] } as SmartList['filter'];
  const name = input.name ?? `${list.title}: ${stored.campaign.name}`.slice(0, 120);
  const existing = await findListFilteringOn(tenantId, tag, deps);
  if (existing) {
    const smartList = input.name ? await updateSmartList(tenantId, existing.id, { name }, deps) : existing;
    return { smartList, members, created: false };
  }
  return { smartList: await createSmartList(tenantId, { name, filter }, deps), members, created: true };
}

async function findListFilteringOn(tenantId: string, tag: string, deps: SmartListDeps): Promise<SmartList | undefined> {
  let cursor: string | undefined;
  do {
    const page = await deps.smartLists.listSmartLists(tenantId, { limit: 500, cursor });
    const found = page.items.find((list) => JSON.stringify(list.filter).includes(JSON.stringify(tag)));
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return undefined;
}
