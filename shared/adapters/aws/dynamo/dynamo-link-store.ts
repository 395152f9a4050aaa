import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type TrackedLink, trackedLinkSchema } from '../../../domain/links/tracked-link.schema';
import type { CampaignClick, ClickRecord, COUNTED, CountedClick, LinkStore } from '../../../ports/link-store.port';
import { batchWriteAll } from './batch';
import { recordCampaignClicks } from './campaign-click-writes';
import { campaignEntityTypes, campaignsKeys } from './campaigns-keys';
import { CoalescedReads } from './coalesced-reads';
import { linkClickAttribute } from './link-click-attributes';

/**
 * Tracked links in the campaigns table, keyed by code, with `expiresAt` (epoch seconds, the table's TTL attribute).
 * Clicks on campaign links are items of their own in the campaign's partition, in its recipients' order (see
 * campaign-click-writes), so results read them beside the ledger they already scan.
 */
export class DynamoLinkStore implements LinkStore {
  private readonly reads: CoalescedReads;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    // Lookups arriving together (a burst of clicks) go out as one BatchGetItem.
    this.reads = new CoalescedReads(client, tableName);
  }

  async saveLinks(links: TrackedLink[]): Promise<void> {
    if (links.length === 0) return;
    await batchWriteAll(
      this.client,
      this.tableName,
      links.map((link) => ({
        PutRequest: {
          Item: {
            ...campaignsKeys.link(link.code),
            entity: campaignEntityTypes.link,
            ...link,
            // The table's TTL removes it on AWS within days of expiry; getLink refuses it from the instant it expires.
            expiresAt: Math.ceil(Date.parse(link.validUntil) / 1000),
          },
        },
      })),
    );
  }

  async getLink(code: string, now: Date): Promise<TrackedLink | undefined> {
    const item = await this.reads.get(campaignsKeys.link(code));
    if (!item || item.entity !== campaignEntityTypes.link) return undefined;
    const link = trackedLinkSchema.parse(item);
    return Date.parse(link.validUntil) > now.getTime() ? link : undefined;
  }

  recordCampaignClicks(clicks: CampaignClick[]): Promise<(CountedClick | typeof COUNTED | undefined)[]> {
    return recordCampaignClicks(this.client, this.tableName, clicks);
  }

  async recordLinkClick({ link, clickId, at }: ClickRecord): Promise<CountedClick | undefined> {
    return this.countClick(campaignsKeys.link(link.code), link.index, clickId, at, 'attribute_exists(pk)', {});
  }

  /**
   * Adds one click (in all and for the link) and keeps the first click's time, once per click id: the ids counted are
   * kept in a set, so a redelivered event is refused by the condition. UPDATED_OLD tells first clicks apart.
   */
  private async countClick(
    key: { pk: string; sk: string },
    index: number,
    clickId: string,
    at: string,
    condition: string,
    values: Record<string, string>,
  ): Promise<CountedClick | undefined> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: `${condition} AND NOT contains(clickIds, :id)`,
          UpdateExpression: 'SET clickedAt = if_not_exists(clickedAt, :at) ADD clicks :one, #link :one, clickIds :ids',
          ExpressionAttributeNames: { '#link': linkClickAttribute(index) },
          ExpressionAttributeValues: { ...values, ':at': at, ':one': 1, ':id': clickId, ':ids': new Set([clickId]) },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const before = out.Attributes ?? {};
      return { firstOnLink: before[linkClickAttribute(index)] === undefined, firstOnAnyLink: !before.clickedAt };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
