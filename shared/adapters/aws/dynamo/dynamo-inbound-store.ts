import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type InboundMessageRecord, inboundMessageRecordSchema } from '../../../domain/inbound/inbound-message';
import type { InboundStart, InboundStore } from '../../../ports/inbound-store.port';
import { contactsKeys, entityTypes } from './contacts-keys';
import { conversationEntityTypes, conversationKeys } from './conversation-keys';

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

function toRecord(item: Record<string, unknown>): InboundMessageRecord {
  return inboundMessageRecordSchema.parse(item);
}

/** Inbound texts, under the sender's phone, in the contacts table. */
export class DynamoInboundStore implements InboundStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async beginInbound(tenantId: string, record: InboundMessageRecord): Promise<InboundStart> {
    const Key = contactsKeys.inboundMessage(tenantId, record.phone, record.inboundMessageId);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...Key, entity: entityTypes.inboundMessage, ...record, state: 'received' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { state: 'new', record: { ...record, state: 'received' } };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    const stored = toRecord(out.Item as Record<string, unknown>);
    return { state: stored.state === 'done' ? 'done' : 'unfinished', record: stored };
  }

  async finishInbound(tenantId: string, record: InboundMessageRecord): Promise<void> {
    // A text from a contact joins the contact's conversation, at the time it was received.
    const timeline = record.contactId
      ? conversationKeys.timelineEntry(
          tenantId,
          record.contactId,
          record.receivedAt,
          conversationKeys.inboundText(record.inboundMessageId),
        )
      : undefined;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: contactsKeys.inboundMessage(tenantId, record.phone, record.inboundMessageId),
        UpdateExpression: `SET #state = :done, answers = :answers, contactId = :contact${timeline ? ', gsi1pk = :gpk, gsi1sk = :gsk' : ''}`,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':done': 'done',
          ':answers': record.answers,
          ':contact': record.contactId,
          ...(timeline ? { ':gpk': timeline.gsi1pk, ':gsk': timeline.gsi1sk } : {}),
        },
      }),
    );
  }

  async noteConversation(tenantId: string, contactId: string, receivedAt: string, inboundMessageId: string) {
    const Key = conversationKeys.summary(tenantId, contactId);
    const ignoreStale = (error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    };
    // Unread: a set of message ids, so a retried message is counted once; one from before the last read is not unread.
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: 'SET entity = :entity, contactId = :contact ADD unreadIds :ids',
          ConditionExpression: 'attribute_not_exists(lastReadAt) OR lastReadAt < :at',
          ExpressionAttributeValues: {
            ':entity': conversationEntityTypes.summary,
            ':contact': contactId,
            ':ids': new Set([inboundMessageId]),
            ':at': receivedAt,
          },
        }),
      )
      .catch(ignoreStale);
    // The latest inbound only moves forward (texts may be handled out of order): it orders the conversations list.
    const listing = conversationKeys.summaryListing(tenantId, contactId, receivedAt);
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression:
            'SET entity = :entity, contactId = :contact, lastInboundAt = :at, gsi1pk = :gpk, gsi1sk = :gsk',
          ConditionExpression: 'attribute_not_exists(lastInboundAt) OR lastInboundAt < :at',
          ExpressionAttributeValues: {
            ':entity': conversationEntityTypes.summary,
            ':contact': contactId,
            ':at': receivedAt,
            ':gpk': listing.gsi1pk,
            ':gsk': listing.gsi1sk,
          },
        }),
      )
      .catch(ignoreStale);
  }

  async claimAutoReply(tenantId: string, phone: string, inboundMessageId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: contactsKeys.inboundMessage(tenantId, phone, inboundMessageId),
          UpdateExpression: 'SET autoReplyClaimed = :true',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(autoReplyClaimed)',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listInbound(tenantId: string, phone: string, limit: number): Promise<InboundMessageRecord[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': contactsKeys.inboundMessage(tenantId, phone, '').pk,
          ':prefix': contactsKeys.inboundPrefix,
        },
      }),
    );
    return (out.Items ?? [])
      .map(toRecord)
      .sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : -1))
      .slice(0, limit);
  }
}
