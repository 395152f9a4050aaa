import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { type SmartList, smartListSchema } from '../../../domain/smart-lists/smart-list.schema';
import type { Page, PageRequest } from '../../../ports/page';
import type { SmartListStore } from '../../../ports/smart-list-store.port';
import { contactsKeys, entityTypes } from './contacts-keys';
import { decodeCursor, encodeCursor } from './cursor';

function toSmartList(item: Record<string, unknown>): SmartList {
  const { pk: _pk, sk: _sk, entity: _e, ...fields } = item;
  return smartListSchema.parse(fields);
}

/** Smart lists live in the tenant's own partition of the contacts table (a tenant has few of them). */
export class DynamoSmartListStore implements SmartListStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getSmartList(tenantId: string, id: string): Promise<SmartList | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: contactsKeys.smartList(tenantId, id), ConsistentRead: true }),
    );
    return out.Item ? toSmartList(out.Item) : undefined;
  }

  async listSmartLists(tenantId: string, page: PageRequest): Promise<Page<SmartList>> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': contactsKeys.tenantPrefix(tenantId),
          ':prefix': contactsKeys.smartListPrefix,
        },
        Limit: page.limit,
        // The shape check makes a forged or foreign cursor a 400: DynamoDB refuses any other start key (a 500).
        ExclusiveStartKey: decodeCursor(page.cursor, contactsKeys.tenantPrefix(tenantId), {
          attributes: ['pk', 'sk'],
          equals: { pk: contactsKeys.tenantPrefix(tenantId) },
          startsWith: { sk: contactsKeys.smartListPrefix },
        }),
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => toSmartList(item)),
      nextCursor: encodeCursor(out.LastEvaluatedKey),
    };
  }

  async putSmartList(tenantId: string, list: SmartList): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...contactsKeys.smartList(tenantId, list.id), entity: entityTypes.smartList, ...list },
      }),
    );
  }

  async deleteSmartList(tenantId: string, id: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: contactsKeys.smartList(tenantId, id),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
