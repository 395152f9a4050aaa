import { createDocumentClient } from '../adapters/aws/dynamo/document-client';
import { DynamoContactStore } from '../adapters/aws/dynamo/dynamo-contact-store';
import { DynamoInboundStore } from '../adapters/aws/dynamo/dynamo-inbound-store';
import { DynamoNumberRegistry } from '../adapters/aws/dynamo/dynamo-number-registry';
import { DynamoSettingsStore } from '../adapters/aws/dynamo/dynamo-settings-store';
import { DynamoSmartListStore } from '../adapters/aws/dynamo/dynamo-smart-list-store';
import type { AudienceDeps } from '../app/audiences/audience-deps';
import type { ContactsDeps } from '../app/contacts/contacts-deps';
import type { SmartListDeps } from '../app/smart-lists/smart-lists.use-case';
import { pooledUlid } from '../lib/pooled-ulid';
import { systemClock } from '../ports/clock.port';
import type { InboundStore } from '../ports/inbound-store.port';
import type { NumberRegistry } from '../ports/number-registry.port';
import { createEventsQueue } from './aws-messaging.factory';
import { localAdapters } from './local-adapters';
import { loadRuntimeConfig } from './runtime-config';

export type AppDeps = ContactsDeps & AudienceDeps & SmartListDeps & { inbound: InboundStore; numbers: NumberRegistry };

/** Wires the use cases to DynamoDB from the environment (Lambda and the local stack alike). */
export function createContactsDeps(env: NodeJS.ProcessEnv = process.env): AppDeps {
  const config = loadRuntimeConfig(env);
  const client = createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION });
  return {
    contacts: new DynamoContactStore(client, config.CONTACTS_TABLE_NAME),
    settings: new DynamoSettingsStore(client, config.CONTACTS_TABLE_NAME),
    smartLists: new DynamoSmartListStore(client, config.CONTACTS_TABLE_NAME),
    inbound: new DynamoInboundStore(client, config.CONTACTS_TABLE_NAME),
    // Functions without the registry's grant get a name that makes any use fail naming the variable.
    numbers: new DynamoNumberRegistry(client, config.NUMBERS_TABLE_NAME ?? 'unset:NUMBERS_TABLE_NAME'),
    clock: localAdapters()?.clock ?? systemClock,
    ids: { next: pooledUlid },
    queue: createEventsQueue(env, localAdapters()?.queue),
  };
}
