import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type TrackedLink, trackedLinkSchema } from '../../../domain/links/tracked-link.schema';
import type { ClickRecord, CountedClick, LinkStore } from '../../../ports/link-store.port';
import { batchWriteAll } from './batch';
import { campaignEntityTypes, campaignsKeys } from './campaigns-keys';
import { CoalescedReads } from './coalesced-reads';
import { linkClickAttribute } from './link-click-attributes';

/**
 * Tracked links in the campaigns table, keyed by code, with `expiresAt` (epoch seconds, the table's TTL attribute). Clicks on
 * campaign links are counted on the recipient's ledger entry, so results read them with the ledger they already scan.
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

  async recordCampaignClick(
    { link, clickId, at }: ClickRecord,
    deliveredBy: string,
  ): Promise<CountedClick | undefined> {
    if (link.source.kind !== 'campaign') throw new Error('recordCampaignClick needs a campaign link');
    const key = campaignsKeys.ledger(link.tenantId, link.source.campaignId, link.contactId);
    // A receipt newer than the scanner window means the click came with the text's arrival: not a person.
    const condition = 'attribute_exists(pk) AND (attribute_not_exists(deliveredAt) OR deliveredAt <= :by)';
    return this.countClick(key, link.index, clickId, at, condition, { ':by': deliveredBy });
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
