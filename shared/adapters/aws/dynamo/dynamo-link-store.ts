import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type TrackedLink, trackedLinkSchema } from '../../../domain/links/tracked-link.schema';
import type { CampaignClick, ClickRecord, COUNTED, CountedClick, LinkStore } from '../../../ports/link-store.port';
import { batchWriteAll } from './batch';
import { recordCampaignClicks } from './campaign-click-writes';
import { campaignEntityTypes, campaignsKeys } from './campaigns-keys';
import { CoalescedReads } from './coalesced-reads';
import { CoalescedWrites } from './coalesced-writes';
import { linkClickAttribute } from './link-click-attributes';

/** BatchGetItems of links out at once from one process. */
const LINK_READS_IN_FLIGHT = 4;

/**
 * Tracked links in the campaigns table, keyed by code, with `expiresAt` (epoch seconds, the table's TTL attribute).
 * Clicks on campaign links are items of their own in the campaign's partition, in its recipients' order (see
 * campaign-click-writes), so results read them beside the ledger they already scan.
 */
export class DynamoLinkStore implements LinkStore {
  private readonly reads: CoalescedReads;
  // Click items from concurrent batches of the events queue share batch writes (at most two out at once).
  private readonly clickWrites: CoalescedWrites;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    // Lookups arriving together (a burst of clicks) go out as one BatchGetItem, and at most a few at once: under
    // load the ones arriving while those run go out together.
    this.reads = new CoalescedReads(client, tableName, LINK_READS_IN_FLIGHT);
    this.clickWrites = new CoalescedWrites(client, tableName);
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
    return recordCampaignClicks(this.client, this.tableName, clicks, (requests) => this.clickWrites.write(requests));
  }

  /**
   * Counts a click on a workflow text's link on the link itself (in all and for the link, and the first click's
   * time), once per click id: the click is first put as an item of its own beside the link (expiring with it), unless
   * it is there already (a redelivered event, counted: undefined). UPDATED_OLD tells the first click apart.
   */
  async recordLinkClick({ link, clickId, at }: ClickRecord): Promise<CountedClick | undefined> {
    const key = campaignsKeys.link(link.code);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...campaignsKeys.linkClick(link.code, clickId),
            entity: campaignEntityTypes.click,
            clickId,
            at,
            expiresAt: Math.ceil(Date.parse(link.validUntil) / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'attribute_exists(pk)',
          UpdateExpression: 'SET clickedAt = if_not_exists(clickedAt, :at) ADD clicks :one, #link :one',
          ExpressionAttributeNames: { '#link': linkClickAttribute(link.index) },
          ExpressionAttributeValues: { ':at': at, ':one': 1 },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const before = out.Attributes ?? {};
      return { firstOnLink: before[linkClickAttribute(link.index)] === undefined, firstOnAnyLink: !before.clickedAt };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
