import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError } from '../../../domain/errors';
import { defaultSettings, settingsSchema } from '../../../domain/settings/settings.schema';
import type { SettingsStore, StoredSettings } from '../../../ports/settings-store.port';
import { contactsKeys, entityTypes } from './contacts-keys';

/** Tenant settings in the contacts table, one item per tenant, versioned for safe concurrent PATCHes. */
export class DynamoSettingsStore implements SettingsStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getSettings(tenantId: string): Promise<StoredSettings> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: contactsKeys.settings(tenantId),
      }),
    );
    if (!out.Item) return { settings: defaultSettings, version: 0 };
    const { settings, version } = out.Item as { settings: unknown; version: number };
    // Defaults first, so settings saved before a field existed still parse.
    return { settings: settingsSchema.parse({ ...defaultSettings, ...(settings as object) }), version };
  }

  async saveSettings(tenantId: string, settings: ReturnType<typeof settingsSchema.parse>, expectedVersion: number) {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...contactsKeys.settings(tenantId),
            entity: entityTypes.settings,
            tenantId,
            settings,
            version: expectedVersion + 1,
          },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
          ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConcurrentModificationError('The settings changed while this update was applied');
      }
      throw error;
    }
  }
}
