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
  deps: ContactsDeps & SmartListDeps & { campaigns: CampaignStore },
): Promise<{ smartList: SmartList; responders: number; created: boolean }> {
  const stored = await deps.campaigns.getCampaign(tenantId, campaignId);
  if (!stored) throw new NotFoundError('Campaign', campaignId);
  const tag = responderTag(campaignId);
  let responders = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.listLedger(tenantId, campaignId, { limit: 500, cursor });
    for (const entry of page.items) {
      if (!entry.repliedAt) continue;
      responders++;
      // A responder deleted since is simply not in the list.
      await addContactTags(tenantId, entry.contactId, [tag], deps).catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const filter = { all: [{ field: 'tags', op: 'contains', value: tag }] } as SmartList['filter'];
  const name = input.name ?? `Responders: ${stored.campaign.name}`.slice(0, 120);
  const existing = await findListFilteringOn(tenantId, tag, deps);
  if (existing) {
    const smartList = input.name ? await updateSmartList(tenantId, existing.id, { name }, deps) : existing;
    return { smartList, responders, created: false };
  }
  return { smartList: await createSmartList(tenantId, { name, filter }, deps), responders, created: true };
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
