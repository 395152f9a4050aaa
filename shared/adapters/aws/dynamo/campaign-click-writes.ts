import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { clickStandsAfterReceipt } from '../../../domain/links/click-filter';
import { type CampaignClick, COUNTED, type CountedClick } from '../../../ports/link-store.port';
import { batchGetAll, batchWriteAll, type WriteRequest } from './batch';
import { campaignEntityTypes, campaignsKeys } from './campaigns-keys';

type Outcome = CountedClick | typeof COUNTED | undefined;
type Key = { pk: string; sk: string };

const id = (key: Key) => `${key.pk}\u0000${key.sk}`;

function keysOf({ link, clickId }: CampaignClick) {
  const campaignId = link.source.kind === 'campaign' ? link.source.campaignId : '';
  return {
    ledger: campaignsKeys.ledger(link.tenantId, campaignId, link.contactId),
    click: campaignsKeys.click(link.tenantId, campaignId, link.contactId, clickId),
    clicks: campaignsKeys.click(link.tenantId, campaignId, link.contactId, ''),
    onLink: campaignsKeys.clickMark(link.tenantId, campaignId, link.contactId, link.index),
    onAny: campaignsKeys.clickMark(link.tenantId, campaignId, link.contactId),
  };
}

/**
 * Counts a batch of campaign clicks with as few requests as exactness allows: one BatchWriteItem per 25 clicks, each
 * click an item of its own beside its recipient's ledger entry (putting it again changes nothing, so a redelivered
 * click cannot count twice; the receipt rule is judged when clicks are read, see ledger-clicks). Only where firsts
 * must be decided (something acts on a first click) does a click cost more: its ledger entry (receipt rule now) and
 * whether it was counted already are read in one consistent BatchGetItem for the batch, and a conditional
 * first-click mark makes two clicks racing for "first" get one answer.
 */
export async function recordCampaignClicks(
  client: DynamoDBDocumentClient,
  tableName: string,
  clicks: CampaignClick[],
  /** Where the click items go: batch writes, shared with the process's other callers (see CoalescedWrites). */
  write: (requests: WriteRequest[]) => Promise<void> = (requests) => batchWriteAll(client, tableName, requests),
): Promise<Outcome[]> {
  if (clicks.some((click) => click.link.source.kind !== 'campaign')) {
    throw new Error('recordCampaignClicks needs campaign links');
  }
  const keyed = clicks.map((click) => ({ click, keys: keysOf(click) }));
  const wanted = new Map<string, Key>();
  for (const { click, keys } of keyed) {
    if (!click.decideFirst) continue;
    wanted.set(id(keys.ledger), keys.ledger);
    wanted.set(id(keys.click), keys.click);
  }
  const found = new Map<string, Record<string, unknown>>();
  for (const item of await batchGetAll(client, tableName, [...wanted.values()])) found.set(id(item as Key), item);
  const outcomes: Outcome[] = clicks.map(() => undefined);
  const writes = new Map<string, WriteRequest>();
  const toDecide: number[] = [];
  for (const [i, { click, keys }] of keyed.entries()) {
    if (writes.has(id(keys.click))) continue; // the same click twice in this batch
    if (!click.decideFirst) {
      writes.set(id(keys.click), put(keys.click, campaignEntityTypes.click, click));
      outcomes[i] = COUNTED;
      continue;
    }
    const entry = found.get(id(keys.ledger));
    if (!entry || (typeof entry.deliveredAt === 'string' && entry.deliveredAt > click.deliveredBy)) continue;
    if (found.has(id(keys.click))) continue; // counted already: a redelivered event
    writes.set(id(keys.click), put(keys.click, campaignEntityTypes.click, click));
    toDecide.push(i);
  }
  await write([...writes.values()]);
  // In click order, so that of two clicks counted together the earlier one is the first.
  for (const i of toDecide) {
    const { keys, click } = keyed[i] as (typeof keyed)[number];
    const deliveredAt = found.get(id(keys.ledger))?.deliveredAt as string | undefined;
    outcomes[i] = await decideFirst(client, tableName, { ...keys, deliveredAt }, click);
  }
  return outcomes;
}

/** A click item holds no more than it must (the recipient and the click id are in its key): it is the hottest write. */
function put(key: Key, entity: string, { link, at }: CampaignClick): WriteRequest {
  return { PutRequest: { Item: { ...key, entity, index: link.index, at } } };
}

/**
 * Whether a counted click was the recipient's first on its link and on any link: no click of the recipient counted
 * before it there, and the first to put the link's (the campaign's) first-click mark. Of clicks racing in separate
 * batches, exactly one is first: each looks for earlier clicks before it tries the mark.
 */
async function decideFirst(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: ReturnType<typeof keysOf> & { deliveredAt: string | undefined },
  click: CampaignClick,
): Promise<CountedClick> {
  const earlier = (await recipientClicks(client, tableName, keys.clicks)).filter(
    (c) =>
      (c.at < click.at || (c.at === click.at && c.clickId < click.clickId)) &&
      clickStandsAfterReceipt(c.at, keys.deliveredAt),
  );
  const firstOnLink =
    !earlier.some((c) => c.index === click.link.index) &&
    (await putMarkIfAbsent(client, tableName, keys.onLink, click));
  const firstOnAnyLink =
    firstOnLink && earlier.length === 0 && (await putMarkIfAbsent(client, tableName, keys.onAny, click));
  return { firstOnLink, firstOnAnyLink };
}

/** Puts a first-click mark unless there is one: true when this click made it. */
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

/** A recipient's counted clicks on a campaign's links. */
async function recipientClicks(client: DynamoDBDocumentClient, tableName: string, clicks: Key) {
  const found: { clickId: string; index: number; at: string }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': clicks.pk, ':prefix': clicks.sk },
        ProjectionExpression: 'sk, #index, #at',
        ExpressionAttributeNames: { '#index': 'index', '#at': 'at' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const clickId = (item.sk as string).slice(clicks.sk.length);
      found.push({ clickId, index: item.index as number, at: item.at as string });
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return found;
}
