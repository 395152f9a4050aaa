import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Campaign, campaignSchema } from '../../../domain/campaigns/campaign.schema';
import { type LedgerEntry, type LedgerStatus, ledgerEntrySchema } from '../../../domain/campaigns/ledger.schema';
import { ConcurrentModificationError } from '../../../domain/errors';
import type { CampaignStore, CountDeltas, StoredCampaign } from '../../../ports/campaign-store.port';
import type { Page, PageRequest } from '../../../ports/page';
import { batchGetAll, batchWriteAll } from './batch';
import { campaignEntityTypes, campaignsKeys } from './campaigns-keys';
import { decodeCursor, encodeCursor } from './cursor';

type Item = Record<string, unknown>;
const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

function toStoredCampaign(item: Item): StoredCampaign {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, entity: _e, tenantId: _t, version, ...fields } = item;
  return { campaign: campaignSchema.parse(fields), version: version as number };
}

function toLedgerEntry(item: Item): LedgerEntry {
  const { pk: _pk, sk: _sk, entity: _e, ...fields } = item;
  return ledgerEntrySchema.parse(fields);
}

/** Flattens counter deltas into `ADD` clauses on the campaign's nested `counts` map. */
function addExpression(deltas: CountDeltas) {
  const names: Record<string, string> = { '#counts': 'counts' };
  const values: Record<string, number> = {};
  const clauses: string[] = [];
  let n = 0;
  for (const [key, value] of Object.entries(deltas)) {
    if (key === 'skipped') {
      for (const [reason, count] of Object.entries(value as Record<string, number>)) {
        if (!count) continue;
        names['#skipped'] = 'skipped';
        names[`#k${n}`] = reason;
        values[`:v${n}`] = count;
        clauses.push(`#counts.#skipped.#k${n} :v${n}`);
        n++;
      }
      continue;
    }
    if (!value) continue;
    names[`#k${n}`] = key;
    values[`:v${n}`] = value as number;
    clauses.push(`#counts.#k${n} :v${n}`);
    n++;
  }
  return { clauses, names, values };
}

/**
 * Campaigns, their per-recipient ledger and per-contact send logs on DynamoDB (dynalite locally).
 * Every state change is a conditional write: a ledger entry moves only from the states it is
 * expected to be in, which is what makes sending at most once per recipient.
 */
export class DynamoCampaignStore implements CampaignStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private campaignItem(tenantId: string, campaign: Campaign, version: number): Item {
    return {
      ...campaignsKeys.campaign(tenantId, campaign.id),
      ...campaignsKeys.campaignListing(tenantId, campaign.id, campaign.createdAt),
      entity: campaignEntityTypes.campaign,
      tenantId,
      version,
      ...campaign,
    };
  }

  async getCampaign(tenantId: string, id: string): Promise<StoredCampaign | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: campaignsKeys.campaign(tenantId, id), ConsistentRead: true }),
    );
    return out.Item ? toStoredCampaign(out.Item) : undefined;
  }

  async listCampaigns(tenantId: string, page: PageRequest): Promise<Page<Campaign>> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': campaignsKeys.campaignListingPartition(tenantId) },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, campaignsKeys.tenantPrefix(tenantId), {
          attributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
          equals: { gsi1pk: campaignsKeys.campaignListingPartition(tenantId) },
        }),
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => toStoredCampaign(item).campaign),
      nextCursor: encodeCursor(out.LastEvaluatedKey),
    };
  }

  async createCampaign(tenantId: string, campaign: Campaign): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: this.campaignItem(tenantId, campaign, 1),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async saveCampaign(tenantId: string, previous: StoredCampaign, campaign: Campaign): Promise<StoredCampaign> {
    // Counters are only ever changed with ADD: keep the stored ones, whatever the caller holds.
    const { counts: _counts, launchComplete: _done, ...fields } = campaign;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':expected': previous.version, ':next': previous.version + 1 };
    const sets = Object.entries(fields).map(([key, value], i) => {
      names[`#f${i}`] = key;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignsKeys.campaign(tenantId, campaign.id),
          UpdateExpression: `SET ${sets.join(', ')}, version = :next`,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toStoredCampaign(out.Attributes as Item);
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConcurrentModificationError(`Campaign ${campaign.id} changed while this update was applied`);
      }
      throw error;
    }
  }

  async deleteCampaign(tenantId: string, previous: StoredCampaign): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: campaignsKeys.campaign(tenantId, previous.campaign.id),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': previous.version },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConcurrentModificationError('The campaign changed while it was deleted');
      throw error;
    }
  }

  async addCounts(tenantId: string, campaignId: string, deltas: CountDeltas): Promise<void> {
    const { clauses, names, values } = addExpression(deltas);
    if (clauses.length === 0) return;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: campaignsKeys.campaign(tenantId, campaignId),
        UpdateExpression: `ADD ${clauses.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async completeIfDone(tenantId: string, campaignId: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignsKeys.campaign(tenantId, campaignId),
          UpdateExpression: 'SET #status = :sent, completedAt = :at, updatedAt = :at ADD version :one',
          ConditionExpression: '#status = :sending AND launchComplete = :true AND #counts.#queued <= :zero',
          ExpressionAttributeNames: { '#status': 'status', '#counts': 'counts', '#queued': 'queued' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':sending': 'sending',
            ':true': true,
            ':zero': 0,
            ':at': at,
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async acquireLaunchLease(tenantId: string, campaignId: string, owner: string, until: string, now: string) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignsKeys.launch(tenantId, campaignId),
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until, entity = :entity',
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner',
          ExpressionAttributeValues: {
            ':owner': owner,
            ':until': until,
            ':now': now,
            ':entity': campaignEntityTypes.launch,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getLaunchCheckpoint(tenantId: string, campaignId: string) {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: campaignsKeys.launch(tenantId, campaignId),
        ConsistentRead: true,
      }),
    );
    return { cursor: (out.Item?.cursor as string | undefined) ?? null, done: out.Item?.done === true };
  }

  async saveLaunchCheckpoint(tenantId: string, campaignId: string, cursor: string | null, done: boolean) {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: campaignsKeys.launch(tenantId, campaignId),
        UpdateExpression: 'SET #cursor = :cursor, done = :done, entity = :entity',
        ExpressionAttributeNames: { '#cursor': 'cursor' },
        ExpressionAttributeValues: { ':cursor': cursor, ':done': done, ':entity': campaignEntityTypes.launch },
      }),
    );
    if (done) {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignsKeys.campaign(tenantId, campaignId),
          UpdateExpression: 'SET launchComplete = :true',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    }
  }

  async getLedgerEntries(tenantId: string, campaignId: string, contactIds: string[]) {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(contactIds)].map((id) => campaignsKeys.ledger(tenantId, campaignId, id)),
    );
    return new Map(items.map((item) => [item.contactId as string, toLedgerEntry(item)]));
  }

  async putLedgerEntries(tenantId: string, entries: LedgerEntry[]): Promise<void> {
    await batchWriteAll(
      this.client,
      this.tableName,
      entries.map((entry) => ({
        PutRequest: {
          Item: {
            ...campaignsKeys.ledger(tenantId, entry.campaignId, entry.contactId),
            entity: campaignEntityTypes.ledger,
            ...entry,
          },
        },
      })),
    );
  }

  async transitionLedgerEntry(
    tenantId: string,
    campaignId: string,
    contactId: string,
    from: LedgerStatus[],
    to: LedgerStatus,
    fields: Partial<Omit<LedgerEntry, 'campaignId' | 'contactId' | 'status'>> = {},
  ): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':to': to };
    const sets = ['#status = :to'];
    Object.entries(fields).forEach(([key, value], i) => {
      if (value === undefined) return;
      names[`#f${i}`] = key;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    });
    const fromClauses = from.map((status, i) => {
      values[`:from${i}`] = status;
      return `#status = :from${i}`;
    });
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignsKeys.ledger(tenantId, campaignId, contactId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `(${fromClauses.join(' OR ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listLedger(
    tenantId: string,
    campaignId: string,
    query: PageRequest & { status?: LedgerStatus[] | undefined },
  ): Promise<Page<LedgerEntry>> {
    const values: Record<string, unknown> = {
      ':pk': campaignsKeys.ledger(tenantId, campaignId, '').pk,
      ':prefix': campaignsKeys.ledgerPrefix,
    };
    const statusClauses = (query.status ?? []).map((status, i) => {
      values[`:s${i}`] = status;
      return `#status = :s${i}`;
    });
    const items: LedgerEntry[] = [];
    let startKey = decodeCursor(query.cursor, campaignsKeys.tenantPrefix(tenantId), {
      attributes: ['pk', 'sk'],
      equals: { pk: values[':pk'] as string },
      startsWith: { sk: campaignsKeys.ledgerPrefix },
    });
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ...(statusClauses.length
            ? { FilterExpression: statusClauses.join(' OR '), ExpressionAttributeNames: { '#status': 'status' } }
            : {}),
          ExpressionAttributeValues: values,
          Limit: query.limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []).map((item) => toLedgerEntry(item)));
      startKey = out.LastEvaluatedKey;
    } while (startKey && items.length < query.limit);
    return { items, nextCursor: encodeCursor(startKey) };
  }

  async getSendLogs(tenantId: string, contactIds: string[]): Promise<Map<string, string[]>> {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(contactIds)].map((id) => campaignsKeys.sendLog(tenantId, id)),
    );
    return new Map(items.map((item) => [item.contactId as string, (item.sends as string[] | undefined) ?? []]));
  }

  async recordSend(tenantId: string, contactId: string, at: string, windowStart: string, maxInWindow: number) {
    const Key = campaignsKeys.sendLog(tenantId, contactId);
    for (let attempt = 0; attempt < 10; attempt++) {
      const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
      // Keep a week of history: the cap window and the over-blasting warning look back that far at most.
      const weekAgo = new Date(Date.parse(at) - 7 * 86_400_000).toISOString();
      const sends = ((out.Item?.sends as string[] | undefined) ?? []).filter((s) => s >= weekAgo);
      if (sends.filter((s) => s >= windowStart).length >= maxInWindow) return false;
      const version = (out.Item?.version as number | undefined) ?? 0;
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...Key,
              entity: campaignEntityTypes.sendLog,
              contactId,
              sends: [...sends, at],
              version: version + 1,
            },
            ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
            ExpressionAttributeValues: version === 0 ? undefined : { ':v': version },
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new ConcurrentModificationError(`The send log of contact ${contactId} kept changing`);
  }
}
