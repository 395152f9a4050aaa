import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DemoContact } from '../local/demo-contacts';
import { contactsKeys, entityTypes } from '../shared/adapters/aws/dynamo/contacts-keys';
import { createDocumentClient } from '../shared/adapters/aws/dynamo/document-client';
import { mapConcurrent } from '../shared/lib/map-concurrent';

/**
 * The least DynamoDB work an imported contact needs, on the same dynalite as the run it is printed with and with no
 * application code: its items written in batches of 25 (the contact with its listing keys, one tag-index item per tag,
 * the creation consent event, the phone claim), 8 batches at a time. A tenant of its own keeps them apart.
 */
export async function measureImportFloor(endpoint: string, tableName: string, contacts: DemoContact[]) {
  const client = createDocumentClient({ endpoint });
  const tenant = `bench-floor-${Date.now()}`;
  const at = new Date().toISOString();
  const items = contacts.flatMap((input, i) => {
    const id = `FLOOR${String(i).padStart(21, '0')}`;
    const consent = { status: input.smsConsent, source: 'import', at };
    return [
      {
        ...contactsKeys.contact(tenant, id),
        ...contactsKeys.contactListing(tenant, id, at),
        entity: entityTypes.contact,
        tenantId: tenant,
        version: 1,
        id,
        ...input,
        email: input.email ?? null,
        tags: [...input.tags].sort(),
        timeZone: 'America/New_York',
        smsConsent: consent,
        createdAt: at,
        updatedAt: at,
      },
      ...input.tags.map((tag) => ({
        ...contactsKeys.tagMember(tenant, tag, id),
        entity: entityTypes.tagMember,
        contactId: id,
        contactVersion: 1,
        active: true,
      })),
      { ...contactsKeys.consentEvent(tenant, id, at, id), entity: entityTypes.consentEvent, ...consent },
      { ...contactsKeys.phone(tenant, input.phone), contactId: id, phone: input.phone, entity: entityTypes.phone },
    ];
  });
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  try {
    const started = performance.now();
    await mapConcurrent(batches, 8, async (batch) => {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    });
    return { contactsPerSecond: Math.round(contacts.length / ((performance.now() - started) / 1000)) };
  } finally {
    client.destroy();
  }
}
