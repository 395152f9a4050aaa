import { ATTRIBUTION_WINDOW_MS, type MessageSource } from '../../domain/sending/message-source';
import type { CampaignStore } from '../../ports/campaign-store.port';

/**
 * The message an inbound text answers: the one the carrier names (`previousPublishedMessageId`)
 * when it is among the contact's recent messages, else the latest message to the contact within
 * the attribution window (7 days). Undefined when nothing was sent in that window.
 */
export async function attributeReply(
  tenantId: string,
  contactId: string,
  at: string,
  previousPublishedMessageId: string | null | undefined,
  deps: { campaigns: CampaignStore },
): Promise<MessageSource | undefined> {
  const since = new Date(Date.parse(at) - ATTRIBUTION_WINDOW_MS).toISOString();
  const recent = (await deps.campaigns.getRecentMessages(tenantId, contactId, new Date(at))).filter(
    (message) => message.at >= since && message.at <= at,
  );
  if (recent.length === 0) return undefined;
  if (previousPublishedMessageId) {
    const campaignIds = recent.flatMap((m) => (m.source.kind === 'campaign' ? [m.source.campaignId] : []));
    const entries = await Promise.all(
      campaignIds.map(async (campaignId) => ({
        campaignId,
        entry: (await deps.campaigns.getLedgerEntries(tenantId, campaignId, [contactId])).get(contactId),
      })),
    );
    const named = entries.find(({ entry }) => entry?.messageId === previousPublishedMessageId);
    if (named) return { kind: 'campaign', campaignId: named.campaignId };
  }
  return recent[0]?.source;
}
