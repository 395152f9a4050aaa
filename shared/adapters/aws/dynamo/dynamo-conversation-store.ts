import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ledgerEntrySchema } from '../../../domain/campaigns/ledger.schema';
import {
  type ConversationMessage,
  messageOfInbound,
  messageOfLedgerEntry,
  messageOfRecord,
  messageRecordSchema,
} from '../../../domain/conversations/conversation-message';
import { inboundMessageRecordSchema } from '../../../domain/inbound/inbound-message';
import type { ConversationStore, ConversationSummary } from '../../../ports/conversation-store.port';
import type { Page, PageRequest } from '../../../ports/page';
import { batchGetAll } from './batch';
import { conversationEntityTypes, conversationKeys } from './conversation-keys';
import { decodeCursor, encodeCursor } from './cursor';

type Item = Record<string, unknown>;

/** Where each table keeps a contact's texts: sent ones on the campaigns table's keys-only gsi3, received on gsi1. */
const TIMELINE_INDEXES = {
  sent: { name: 'gsi3', pk: 'tlpk', sk: 'tlsk' },
  received: { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' },
} as const;
type Order = 'asc' | 'desc';

/** A campaigns-table item of a contact's conversation: a ledger entry (`R#` sort key) or a message record. */
function outboundMessage(item: Item): ConversationMessage {
  return String(item.sk).startsWith('R#')
    ? messageOfLedgerEntry(ledgerEntrySchema.parse(item))
    : messageOfRecord(messageRecordSchema.parse(item));
}

const inboundMessage = (item: Item) => messageOfInbound(inboundMessageRecordSchema.parse(item));

/**
 * A contact's conversation read from both tables' gsi1 (texts sent in the campaigns table, texts received in the
 * contacts table), one Query each, merged by time; the conversations list from the contacts table's gsi1. Every key
 * starts with the tenant, and a cursor is checked to be this list's (tenant and contact) before it is used.
 */
export class DynamoConversationStore implements ConversationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { contacts: string; campaigns: string },
  ) {}

  async listMessages(
    tenantId: string,
    contactId: string,
    page: PageRequest & { order: Order },
  ): Promise<Page<ConversationMessage>> {
    const partition = conversationKeys.timelinePartition(tenantId, contactId);
    const after = decodeCursor(page.cursor, conversationKeys.tenantPrefix(tenantId), {
      attributes: ['gsi1pk', 'gsi1sk'],
      equals: { gsi1pk: partition },
    })?.gsi1sk as string | undefined;
    const [sent, received] = await Promise.all([
      this.sentTimeline(partition, after, page),
      this.timeline(this.tables.contacts, TIMELINE_INDEXES.received, partition, after, page),
    ]);
    const merged = [
      ...sent.items.map((item) => ({ sortKey: String(item.tlsk), message: () => outboundMessage(item) })),
      ...received.items.map((item) => ({ sortKey: String(item.gsi1sk), message: () => inboundMessage(item) })),
    ].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    if (page.order === 'desc') merged.reverse();
    const taken = merged.slice(0, page.limit);
    const more = merged.length > taken.length || sent.more || received.more;
    const last = taken.at(-1);
    return {
      items: taken.map((entry) => entry.message()),
      nextCursor: more && last ? encodeCursor({ gsi1pk: partition, gsi1sk: last.sortKey }) : null,
    };
  }

  /**
   * The contact's sent texts: their keys from the campaigns table's keys-only timeline index, then the items
   * themselves in one batched read (an item deleted in between is left out).
   */
  private async sentTimeline(partition: string, after: string | undefined, page: { limit: number; order: Order }) {
    const keys = await this.timeline(this.tables.campaigns, TIMELINE_INDEXES.sent, partition, after, page);
    const items = await batchGetAll(
      this.client,
      this.tables.campaigns,
      keys.items.map((item) => ({ pk: item.pk, sk: item.sk })),
    );
    return { items: items.filter((item) => item.tlpk === partition) as Item[], more: keys.more };
  }

  /** Up to `limit` of one table's texts of the contact past `after`, in the order asked. */
  private async timeline(
    table: string,
    index: { name: string; pk: string; sk: string },
    partition: string,
    after: string | undefined,
    page: { limit: number; order: Order },
  ) {
    const past = page.order === 'asc' ? '>' : '<';
    const out = await this.client.send(
      new QueryCommand({
        TableName: table,
        IndexName: index.name,
        KeyConditionExpression: `${index.pk} = :pk${after ? ` AND ${index.sk} ${past} :after` : ''}`,
        ExpressionAttributeValues: { ':pk': partition, ...(after ? { ':after': after } : {}) },
        ScanIndexForward: page.order === 'asc',
        Limit: page.limit,
      }),
    );
    return { items: (out.Items ?? []) as Item[], more: out.LastEvaluatedKey !== undefined };
  }

  async listConversations(tenantId: string, page: PageRequest): Promise<Page<ConversationSummary>> {
    const partition = conversationKeys.summaryPartition(tenantId);
    const startKey = decodeCursor(page.cursor, conversationKeys.tenantPrefix(tenantId), {
      attributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      equals: { gsi1pk: partition, sk: conversationKeys.summary(tenantId, '').sk },
    });
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tables.contacts,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return {
      items: ((out.Items ?? []) as Item[]).map((item) => ({
        contactId: item.contactId as string,
        lastInboundAt: item.lastInboundAt as string,
        unread: (item.unreadIds as Set<string> | undefined)?.size ?? 0,
        lastReadAt: (item.lastReadAt as string | undefined) ?? null,
      })),
      nextCursor: encodeCursor(out.LastEvaluatedKey),
    };
  }

  async markRead(tenantId: string, contactId: string, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tables.contacts,
        Key: conversationKeys.summary(tenantId, contactId),
        UpdateExpression: 'SET entity = :entity, contactId = :contact, lastReadAt = :at REMOVE unreadIds',
        ExpressionAttributeValues: { ':entity': conversationEntityTypes.summary, ':contact': contactId, ':at': at },
      }),
    );
  }
}
