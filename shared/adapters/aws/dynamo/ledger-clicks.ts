import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry } from '../../../domain/campaigns/ledger.schema';
import { clickStandsAfterReceipt } from '../../../domain/links/click-filter';
import { campaignEntityTypes, campaignsKeys } from './campaigns-keys';

/**
 * Adds the counted clicks of a page of ledger entries (one query over their click items, which lie in the same
 * order as the entries) to the entries: `clicks`, clicks per link and `clickedAt`, the first; a click within the
 * scanner window after the entry's delivery receipt does not count. Figures an entry already carries (clicks counted
 * on the entry itself before clicks had items of their own) are added to.
 */
export async function withClicks(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: { tenantId: string; campaignId: string },
  entries: LedgerEntry[],
): Promise<LedgerEntry[]> {
  if (entries.length === 0) return entries;
  const ids = entries.map((entry) => entry.contactId).sort();
  const range = campaignsKeys.clickRange(ids[0] as string, ids[ids.length - 1] as string);
  const byContact = new Map<string, { index: number; at: string }[]>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        FilterExpression: 'entity = :click',
        ProjectionExpression: 'sk, #index, #at',
        ExpressionAttributeNames: { '#index': 'index', '#at': 'at' },
        ExpressionAttributeValues: {
          ':pk': campaignsKeys.ledger(keys.tenantId, keys.campaignId, '').pk,
          ':from': range.from,
          ':to': range.to,
          ':click': campaignEntityTypes.click,
        },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const contactId = campaignsKeys.clickOwner(item.sk as string);
      const clicks = byContact.get(contactId) ?? [];
      byContact.set(contactId, clicks);
      clicks.push({ index: item.index as number, at: item.at as string });
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return entries.map((entry) => fold(entry, byContact.get(entry.contactId)));
}

function fold(entry: LedgerEntry, all: { index: number; at: string }[] | undefined): LedgerEntry {
  // The receipt rule, judged against the receipt as it is now (it may have come after a click was taken in).
  const clicks = all?.filter((click) => clickStandsAfterReceipt(click.at, entry.deliveredAt));
  if (!clicks?.length) return entry;
  const linkClicks = { ...(entry.linkClicks ?? {}) };
  let clickedAt = entry.clickedAt;
  for (const click of clicks) {
    linkClicks[click.index] = (linkClicks[click.index] ?? 0) + 1;
    if (clickedAt === undefined || click.at < clickedAt) clickedAt = click.at;
  }
  return { ...entry, clicks: (entry.clicks ?? 0) + clicks.length, clickedAt, linkClicks };
}
