import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type CampaignClick, COUNTED, type CountedClick } from '../../../ports/link-store.port';
import { batchGetAll, batchWriteAll, type WriteRequest } from './batch';
import { campaignEntityTypes, campaignsKeys } from './campaigns-keys';

type Outcome = CountedClick | typeof COUNTED | undefined;
type Key = { pk: string; sk: string };

const id = (key: Key) => `${key.pk}\u0000${key.sk}`;

function keysOf(click: CampaignClick) {
  const { link } = click;
  const campaignId = link.source.kind === 'campaign' ? link.source.campaignId : '';
  return {
    ledger: campaignsKeys.ledger(link.tenantId, campaignId, link.contactId),
    click: campaignsKeys.click(link.tenantId, campaignId, link.contactId, click.clickId),
    onLink: campaignsKeys.clickMark(link.tenantId, campaignId, link.contactId, link.index),
    onAny: campaignsKeys.clickMark(link.tenantId, campaignId, link.contactId),
  };
}

/**
 * Counts a batch of campaign clicks with as few requests as exactness allows: one consistent BatchGetItem (the
 * ledger entries for the receipt rule, the clicks already counted, the first-click marks), one BatchWriteItem per 25
 * new items (each click its own item, plus a recipient's first-click marks), and a conditional put per first click
 * only where firsts must be decided (someone listens for them): two clicks racing for "first" then get one answer.
 */
export async function recordCampaignClicks(
  client: DynamoDBDocumentClient,
  tableName: string,
  clicks: CampaignClick[],
): Promise<Outcome[]> {
  if (clicks.some((click) => click.link.source.kind !== 'campaign')) {
    throw new Error('recordCampaignClicks needs campaign links');
  }
  const keyed = clicks.map((click) => ({ click, keys: keysOf(click) }));
  const wanted = new Map<string, Key>();
  for (const { keys } of keyed) for (const key of Object.values(keys)) wanted.set(id(key), key);
  const found = new Map<string, Record<string, unknown>>();
  for (const item of await batchGetAll(client, tableName, [...wanted.values()])) {
    found.set(id(item as Key), item);
  }
  const outcomes: Outcome[] = clicks.map(() => undefined);
  const writes = new Map<string, WriteRequest>();
  const toDecide: number[] = [];
  for (const [i, { click, keys }] of keyed.entries()) {
    const entry = found.get(id(keys.ledger));
    if (!entry || (typeof entry.deliveredAt === 'string' && entry.deliveredAt > click.deliveredBy)) continue;
    // Counted already (a redelivered event), or earlier in this very batch.
    if (found.has(id(keys.click)) || writes.has(id(keys.click))) continue;
    writes.set(id(keys.click), put(keys.click, campaignEntityTypes.click, click));
    if (click.decideFirst) {
      toDecide.push(i);
      continue;
    }
    for (const mark of [keys.onLink, keys.onAny]) {
      if (!found.has(id(mark))) writes.set(id(mark), put(mark, campaignEntityTypes.clickMark, click));
    }
    outcomes[i] = COUNTED;
  }
  await batchWriteAll(client, tableName, [...writes.values()]);
  // Rare (only where a workflow waits for first clicks), and in click order so the earlier click is the first.
  for (const i of toDecide) {
    const { keys, click } = keyed[i] as (typeof keyed)[number];
    const firstOnLink = await putMarkIfAbsent(client, tableName, keys.onLink, click);
    const firstOnAnyLink = firstOnLink && (await putMarkIfAbsent(client, tableName, keys.onAny, click));
    outcomes[i] = { firstOnLink, firstOnAnyLink };
  }
  return outcomes;
}

function put(key: Key, entity: string, { link, clickId, at }: CampaignClick): WriteRequest {
  return {
    PutRequest: { Item: { ...key, entity, contactId: link.contactId, index: link.index, clickId, at } },
  };
}

/** Puts a first-click mark unless there is one: true when this click made it (the recipient's first). */
async function putMarkIfAbsent(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Key,
  click: CampaignClick,
): Promise<boolean> {
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        ...(put(key, campaignEntityTypes.clickMark, click).PutRequest as { Item: Record<string, unknown> }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
