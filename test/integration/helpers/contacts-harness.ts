import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { DynamoContactStore } from '../../../shared/adapters/aws/dynamo/dynamo-contact-store';
import { DynamoInboundStore } from '../../../shared/adapters/aws/dynamo/dynamo-inbound-store';
import { DynamoNumberRegistry } from '../../../shared/adapters/aws/dynamo/dynamo-number-registry';
import { DynamoSettingsStore } from '../../../shared/adapters/aws/dynamo/dynamo-settings-store';
import { listContacts } from '../../../shared/app/contacts/contact-queries.use-case';
import type { ContactsDeps } from '../../../shared/app/contacts/contacts-deps';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import type { InboundStore } from '../../../shared/ports/inbound-store.port';
import type { NumberRegistry } from '../../../shared/ports/number-registry.port';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { ManualClock } from '../../support/manual-clock';

export { ManualClock };

export interface ContactsHarness {
  dynamo: TestDynamo;
  client: DynamoDBDocumentClient;
  store: DynamoContactStore;
  clock: ManualClock;
  deps: ContactsDeps & { inbound: InboundStore; numbers: NumberRegistry };
  /** A tenant id no other test of the file uses, so tests share one dynalite without seeing each other. */
  newTenant(label: string): string;
  stop(): Promise<void>;
}

/** Starts dynalite and wires the contact use cases to the DynamoDB stores, with a manual clock. */
export async function startContactsHarness(): Promise<ContactsHarness> {
  const dynamo = await startTestDynamo();
  const client = createDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1' });
  const store = new DynamoContactStore(client, dynamo.tableNames.contacts);
  const clock = new ManualClock();
  const nextId = monotonicFactory();
  let tenants = 0;
  return {
    dynamo,
    client,
    store,
    clock,
    deps: {
      contacts: store,
      settings: new DynamoSettingsStore(client, dynamo.tableNames.contacts),
      inbound: new DynamoInboundStore(client, dynamo.tableNames.contacts),
      numbers: new DynamoNumberRegistry(client, dynamo.tableNames.numbers),
      clock,
      ids: { next: () => nextId() },
    },
    newTenant: (label) => `${label}-${++tenants}`,
    async stop() {
      client.destroy();
      await dynamo.stop();
    },
  };
}

/** Every contact of a tenant (or of a tag), read page by page through the list use case. */
export async function listAllContacts(
  tenantId: string,
  deps: ContactsDeps,
  options: { tag?: string; limit?: number } = {},
): Promise<{ contacts: Contact[]; pages: number }> {
  const contacts: Contact[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listContacts(tenantId, { limit: options.limit ?? 500, cursor, tag: options.tag }, deps);
    contacts.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor);
  return { contacts, pages };
}

/** A valid, distinct Chicago (312) number for each index below 8,000,000. */
export function chicagoPhone(index: number): string {
  return `+1312${2_000_000 + index}`;
}
