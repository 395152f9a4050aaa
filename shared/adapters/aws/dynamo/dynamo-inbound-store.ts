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
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: contactsKeys.inboundMessage(tenantId, record.phone, record.inboundMessageId),
        UpdateExpression: 'SET #state = :done, answers = :answers, contactId = :contact',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done', ':answers': record.answers, ':contact': record.contactId },
      }),
    );
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
