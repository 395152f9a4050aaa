import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Campaign, type CampaignCounts, campaignSchema } from '../../../domain/campaigns/campaign.schema';
import { type LedgerEntry, type LedgerStatus, ledgerEntrySchema } from '../../../domain/campaigns/ledger.schema';
import type { MessageReceiptChange } from '../../../domain/conversations/conversation-message';
import { ConcurrentModificationError } from '../../../domain/errors';
import { emptyFailureCounts } from '../../../domain/receipts/failure-reasons';
import {
  ATTRIBUTION_WINDOW_MS,
  type MessageSource,
  type SentMessage,
  sentMessageSchema,
} from '../../../domain/sending/message-source';
import type { SendCap } from '../../../domain/sending/state-rules';
import { mapConcurrent } from '../../../lib/map-concurrent';
import type {
  CampaignStore,
  CountDeltas,
  CountingStart,
  LedgerCondition,
  LedgerField,
  LedgerQuery,
  LedgerRef,
  SentMessageNote,
  StoredCampaign,
} from '../../../ports/campaign-store.port';
import type { Page, PageRequest } from '../../../ports/page';
import { batchGetAll } from './batch';
import { campaignEntityTypes, campaignsKeys } from './campaigns-keys';
import { CoalescedReads } from './coalesced-reads';
import { conversationEntityTypes, conversationKeys } from './conversation-keys';
import { decodeCursor, encodeCursor } from './cursor';
import { withClicks } from './ledger-clicks';
import { linkClicksOf } from './link-click-attributes';

type Item = Record<string, unknown>;
/** How long a message sent outside a campaign stays findable by its carrier id. */
const MESSAGE_REF_TTL_MS = 90 * 86_400_000;

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;
/** Conditional ledger puts of one launcher page in flight at once. */
const LEDGER_PUTS_IN_FLIGHT = 16;
const isValidationError = (error: unknown) => (error as { name?: string } | undefined)?.name === 'ValidationException';

/** A contact's message log keeps a week (the attribution window) and at most this many messages. */
const MAX_LOGGED_MESSAGES = 50;
const sourceKey = (source: MessageSource) =>
  source.kind === 'campaign' ? `c:${source.campaignId}` : `w:${source.enrollmentId}:${source.stepId}`;

function toStoredCampaign(item: Item): StoredCampaign {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g2,
    entity: _e,
    tenantId: _t,
    version,
    reconciledAt,
    ...fields
  } = item;
  return {
    campaign: campaignSchema.parse(fields),
    version: version as number,
    ...(typeof reconciledAt === 'string' ? { reconciledAt } : {}),
  };
}

function toLedgerEntry(item: Item): LedgerEntry {
  const { pk: _pk, sk: _sk, entity: _e, ...fields } = item;
  const linkClicks = linkClicksOf(fields);
  return ledgerEntrySchema.parse(linkClicks ? { ...fields, linkClicks } : fields);
}

/** Flattens counter deltas into `ADD` clauses on the campaign's nested `counts` map. */
function addExpression(deltas: CountDeltas) {
  const names: Record<string, string> = { '#counts': 'counts' };
  const values: Record<string, number> = {};
  const clauses: string[] = [];
  let n = 0;
  for (const [key, value] of Object.entries(deltas)) {
    if (key === 'skipped' || key === 'failedByReason' || key === 'spendByMonth') {
      for (const [reason, count] of Object.entries(value as Record<string, number>)) {
        if (!count) continue;
        names[`#${key}`] = key;
        names[`#k${n}`] = reason;
        values[`:v${n}`] = count;
        clauses.push(`#counts.#${key}.#k${n} :v${n}`);
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
  /** The campaign's status and the send logs, read by every worker right before a send, go out together. */
  private readonly reads: CoalescedReads;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.reads = new CoalescedReads(client, tableName);
  }

  private campaignItem(tenantId: string, campaign: Campaign, version: number): Item {
    return {
      ...campaignsKeys.campaign(tenantId, campaign.id),
      ...campaignsKeys.campaignListing(tenantId, campaign.id, campaign.createdAt),
      entity: campaignEntityTypes.campaign,
      tenantId,
      version,
      // Writers announced to a recount (see beginCounting); kept beside the counters they change.
      inflight: {},
      ...campaign,
    };
  }

  async getCampaign(tenantId: string, id: string): Promise<StoredCampaign | undefined> {
    const item = await this.reads.get(campaignsKeys.campaign(tenantId, id));
    return item ? toStoredCampaign(item) : undefined;
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

  async beginCounting(
    tenantId: string,
    campaignId: string,
    txId: string,
    now: string,
    deadline: string,
  ): Promise<CountingStart> {
    const Key = campaignsKeys.campaign(tenantId, campaignId);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: 'SET #inflight.#tx = :deadline',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_exists(#inflight) AND (attribute_not_exists(reconciling) OR reconciling < :now)',
          ExpressionAttributeNames: { '#inflight': 'inflight', '#tx': txId },
          ExpressionAttributeValues: { ':deadline': deadline, ':now': now },
        }),
      );
      return 'ok';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    if (!out.Item) return 'missing';
    if (out.Item.inflight === undefined) {
      // A campaign written before announcements existed: give it its map, then announce.
      await this.client
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET #inflight = :empty',
            ConditionExpression: 'attribute_not_exists(#inflight)',
            ExpressionAttributeNames: { '#inflight': 'inflight' },
            ExpressionAttributeValues: { ':empty': {} },
          }),
        )
        .catch((error) => {
          if (!isConditionFailure(error)) throw error;
        });
      return this.beginCounting(tenantId, campaignId, txId, now, deadline);
    }
    return 'reconciling';
  }

  async addCounts(tenantId: string, campaignId: string, deltas: CountDeltas, txId?: string): Promise<void> {
    const { clauses, names, values } = addExpression(deltas);
    if (clauses.length === 0 && !txId) return;
    if (clauses.length === 0) delete names['#counts'];
    if (txId) {
      names['#inflight'] = 'inflight';
      names['#tx'] = txId;
    }
    const update = [clauses.length ? `ADD ${clauses.join(', ')}` : '', txId ? 'REMOVE #inflight.#tx' : '']
      .filter(Boolean)
      .join(' ');
    const command = () =>
      new UpdateCommand({
        TableName: this.tableName,
        Key: campaignsKeys.campaign(tenantId, campaignId),
        UpdateExpression: update,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      });
    try {
      await this.client.send(command());
    } catch (error) {
      if (isConditionFailure(error)) return; // the campaign was deleted: nothing to count
      if (!isValidationError(error) || !(deltas.failedByReason || deltas.spendByMonth)) throw error;
      // A campaign written before failure categories (or spend by month) existed has no map to add into.
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignsKeys.campaign(tenantId, campaignId),
          UpdateExpression:
            'SET #counts.#fbr = if_not_exists(#counts.#fbr, :empty), #counts.#sbm = if_not_exists(#counts.#sbm, :none)',
          ExpressionAttributeNames: { '#counts': 'counts', '#fbr': 'failedByReason', '#sbm': 'spendByMonth' },
          ExpressionAttributeValues: { ':empty': emptyFailureCounts(), ':none': {} },
        }),
      );
      await this.client.send(command());
    }
  }

  async startReconciling(tenantId: string, campaignId: string, owner: string, now: string, staleBefore: string) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignsKeys.campaign(tenantId, campaignId),
          UpdateExpression: 'SET reconciling = :until, reconcilingOwner = :owner',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(reconciling) OR reconciling < :now OR reconcilingOwner = :owner)',
          ExpressionAttributeValues: { ':until': staleBefore, ':owner': owner, ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async announcedWriters(tenantId: string, campaignId: string): Promise<string[]> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: campaignsKeys.campaign(tenantId, campaignId),
        ConsistentRead: true,
        ProjectionExpression: 'inflight',
      }),
    );
    return Object.values((out.Item?.inflight as Record<string, string> | undefined) ?? {});
  }

  async finishReconciling(tenantId: string, campaignId: string, owner: string, counts: CampaignCounts, at: string) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignsKeys.campaign(tenantId, campaignId),
          UpdateExpression:
            'SET #counts = :counts, inflight = :empty, reconciledAt = :at REMOVE reconciling, reconcilingOwner',
          ConditionExpression: 'reconcilingOwner = :owner',
          ExpressionAttributeNames: { '#counts': 'counts' },
          ExpressionAttributeValues: { ':counts': counts, ':empty': {}, ':at': at, ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
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

  async forgetDeadWork(tenantId: string, campaignId: string): Promise<void> {
    const ignoreMissing = (error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    };
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignsKeys.campaign(tenantId, campaignId),
          UpdateExpression: 'SET #inflight = :empty REMOVE reconciling, reconcilingOwner',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#inflight': 'inflight' },
          ExpressionAttributeValues: { ':empty': {} },
        }),
      )
      .catch(ignoreMissing);
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignsKeys.launch(tenantId, campaignId),
          UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      )
      .catch(ignoreMissing);
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
    // The campaign's flag first, the checkpoint second (no transactions on this path): a crash between the two
    // leaves the launch to be resumed from its last page (whose entries exist), never a checkpoint that says done
    // beside a campaign that can never complete.
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
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: campaignsKeys.launch(tenantId, campaignId),
        UpdateExpression: 'SET #cursor = :cursor, done = :done, entity = :entity',
        ExpressionAttributeNames: { '#cursor': 'cursor' },
        ExpressionAttributeValues: { ':cursor': cursor, ':done': done, ':entity': campaignEntityTypes.launch },
      }),
    );
  }

  async getLedgerEntries(tenantId: string, campaignId: string, contactIds: string[], consistent = true) {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(contactIds)].map((id) => campaignsKeys.ledger(tenantId, campaignId, id)),
      consistent,
    );
    return new Map(items.map((item) => [item.contactId as string, toLedgerEntry(item)]));
  }

  async putLedgerEntries(tenantId: string, entries: LedgerEntry[]): Promise<LedgerEntry[]> {
    // One conditional put each (same write units as a batch put): an entry is never overwritten.
    const created = await mapConcurrent(entries, LEDGER_PUTS_IN_FLIGHT, async (entry) => {
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...campaignsKeys.ledger(tenantId, entry.campaignId, entry.contactId),
              entity: campaignEntityTypes.ledger,
              ...entry,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return entry;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    });
    return created.filter((entry): entry is LedgerEntry => entry !== undefined);
  }

  async updateLedgerEntry(
    tenantId: string,
    campaignId: string,
    contactId: string,
    condition: LedgerCondition,
    to: LedgerStatus | undefined,
    fields: Partial<Omit<LedgerEntry, 'campaignId' | 'contactId' | 'status'>> = {},
    remove: LedgerField[] = [],
  ): Promise<LedgerEntry | undefined> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    if (to) {
      names['#status'] = 'status';
      values[':to'] = to;
      sets.push('#status = :to');
    }
    Object.entries(fields).forEach(([key, value], i) => {
      if (value === undefined) return;
      names[`#f${i}`] = key;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    });
    if (fields.sentAt) {
      // Once it went out (or may have), the text is part of the contact's conversation, at its send time.
      const keys = conversationKeys.sentTimelineEntry(
        tenantId,
        contactId,
        fields.sentAt,
        conversationKeys.campaignText(campaignId),
      );
      values[':tlpk'] = keys.tlpk;
      values[':tlsk'] = keys.tlsk;
      sets.push('tlpk = :tlpk', 'tlsk = :tlsk');
    }
    const conditions = ['attribute_exists(pk)'];
    if (condition.from) {
      names['#status'] = 'status';
      const fromClauses = condition.from.map((status, i) => {
        values[`:from${i}`] = status;
        return `#status = :from${i}`;
      });
      if (condition.orFinalRankBelow) {
        values[':rank'] = condition.orFinalRankBelow;
        fromClauses.push('finalRank < :rank');
      }
      conditions.push(`(${fromClauses.join(' OR ')})`);
    }
    if (condition.unlessSet) {
      names['#unless'] = condition.unlessSet;
      conditions.push('attribute_not_exists(#unless)');
    }
    if (sets.length === 0) throw new Error('updateLedgerEntry needs a status or a field to set');
    const removals = remove
      .filter((field) => !(field in fields) || fields[field] === undefined)
      .map((field, i) => {
        names[`#r${i}`] = field;
        return `#r${i}`;
      });
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignsKeys.ledger(tenantId, campaignId, contactId),
          UpdateExpression: `SET ${sets.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
        }),
      );
      return out.Attributes ? toLedgerEntry(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async findByMessageId(messageId: string): Promise<LedgerRef | undefined> {
    const item = await this.keysOfMessage(messageId);
    return item ? (campaignsKeys.parseLedgerKey(item.pk as string, item.sk as string) ?? undefined) : undefined;
  }

  /** The keys of the one item carrying a carrier message id (a ledger entry or a message note), via sparse gsi2. */
  private async keysOfMessage(messageId: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'messageId = :id',
        ExpressionAttributeValues: { ':id': messageId },
        Limit: 1,
      }),
    );
    return out.Items?.[0];
  }

  async indexSentMessage(tenantId: string, messageId: string, note: SentMessageNote): Promise<void> {
    const { contactId, purpose, at, body, segments, workflowId } = note;
    const fields: Record<string, unknown> = {
      entity: conversationEntityTypes.messageRecord,
      // gsi2 (keys only, on messageId) finds it, as it finds campaign ledger entries.
      messageId,
      purpose,
      at,
      ...(body !== undefined ? { body } : {}),
      ...(segments !== undefined ? { segments } : {}),
      ...(workflowId ? { workflowId } : {}),
      ...(contactId
        ? {
            contactId,
            ...conversationKeys.sentTimelineEntry(tenantId, contactId, at, conversationKeys.recordedText(messageId)),
          }
        : // Kept for routing answers only (no contact, no conversation): DynamoDB's TTL removes it on AWS.
          { expiresAt: Math.ceil((Date.parse(at) + MESSAGE_REF_TTL_MS) / 1000) }),
    };
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':sent': 'sent' };
    const sets = Object.entries(fields).map(([key, value], i) => {
      names[`#f${i}`] = key;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    // An update, not a put: a receipt that got here first has set the status, which this must not undo.
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: conversationKeys.messageRecord(tenantId, messageId),
        UpdateExpression: `SET ${sets.join(', ')}, #status = if_not_exists(#status, :sent)`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async recordMessageReceipt(tenantId: string, messageId: string, change: MessageReceiptChange): Promise<boolean> {
    const outcome = change.status === 'delivered' ? { deliveredAt: change.deliveredAt } : { reason: change.reason };
    const stale = change.status === 'delivered' ? 'reason' : 'deliveredAt';
    const values: Record<string, unknown> = { ':status': change.status, ':rank': change.finalRank, ':id': messageId };
    values[':outcome'] = Object.values(outcome)[0];
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: conversationKeys.messageRecord(tenantId, messageId),
          UpdateExpression: `SET #status = :status, finalRank = :rank, messageId = :id, #outcome = :outcome REMOVE #stale`,
          // Statuses move like the ledger's: a final receipt settles it, only a later-ranked one overrules it.
          ConditionExpression: 'attribute_not_exists(finalRank) OR finalRank < :rank',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#outcome': Object.keys(outcome)[0] as string,
            '#stale': stale,
          },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async tenantOfMessage(messageId: string): Promise<string | undefined> {
    const pk = (await this.keysOfMessage(messageId))?.pk;
    return typeof pk === 'string' ? /^T#([^#]+)#/.exec(pk)?.[1] : undefined;
  }

  async listLedger(tenantId: string, campaignId: string, query: LedgerQuery): Promise<Page<LedgerEntry>> {
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
    return {
      items: query.clicks ? await withClicks(this.client, this.tableName, { tenantId, campaignId }, items) : items,
      nextCursor: encodeCursor(startKey),
    };
  }

  async getSendLogs(tenantId: string, contactIds: string[]): Promise<Map<string, string[]>> {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(contactIds)].map((id) => campaignsKeys.sendLog(tenantId, id)),
    );
    return new Map(items.map((item) => [item.contactId as string, (item.sends as string[] | undefined) ?? []]));
  }

  async getRecentMessages(tenantId: string, contactId: string, now: Date): Promise<SentMessage[]> {
    const Key = campaignsKeys.sendLog(tenantId, contactId);
    const weekAgo = new Date(now.getTime() - ATTRIBUTION_WINDOW_MS).toISOString();
    // Capped (promotional) sends are in the log item's list; uncapped ones are items of their own.
    const [log, own] = await Promise.all([
      this.client.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true })),
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk >= :from',
          ExpressionAttributeValues: {
            ':pk': Key.pk,
            ':from': campaignsKeys.sentMessage(tenantId, contactId, weekAgo, '').sk,
          },
          ConsistentRead: true,
        }),
      ),
    ]);
    const latest = new Map<string, SentMessage>();
    for (const m of [...((log.Item?.messages as unknown[] | undefined) ?? []), ...(own.Items ?? [])]) {
      const parsed = sentMessageSchema.safeParse(m);
      if (!parsed.success) continue;
      const key = sourceKey(parsed.data.source);
      const seen = latest.get(key);
      if (!seen || seen.at < parsed.data.at) latest.set(key, parsed.data);
    }
    return [...latest.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  }

  async recordSend(
    tenantId: string,
    contactId: string,
    message: { at: string; source: MessageSource },
    caps: readonly SendCap[],
  ): Promise<true | SendCap['reason']> {
    const Key = campaignsKeys.sendLog(tenantId, contactId);
    const at = message.at;
    if (caps.length === 0) {
      // Nothing to check, so no read: one write of an item of its own (expiring after the attribution window).
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...campaignsKeys.sentMessage(tenantId, contactId, at, sourceKey(message.source)),
            entity: campaignEntityTypes.sentMessage,
            at,
            source: message.source,
            expiresAt: Math.ceil((Date.parse(at) + ATTRIBUTION_WINDOW_MS) / 1000) + 86_400,
          },
        }),
      );
      return true;
    }
    for (let attempt = 0; attempt < 10; attempt++) {
      const out = { Item: await this.reads.get(Key) };
      // Keep a week of history: the cap window, the over-blasting warning and reply attribution look back that far.
      const weekAgo = new Date(Date.parse(at) - ATTRIBUTION_WINDOW_MS).toISOString();
      const sends = ((out.Item?.sends as string[] | undefined) ?? []).filter((s) => s >= weekAgo);
      const reached = caps.find((cap) => sends.filter((s) => s >= cap.windowStart).length >= cap.maxInWindow);
      if (reached) return reached.reason;
      const key = sourceKey(message.source);
      const messages = ((out.Item?.messages as SentMessage[] | undefined) ?? [])
        .filter((m) => m.at >= weekAgo && sourceKey(m.source) !== key)
        .concat([message])
        .slice(-MAX_LOGGED_MESSAGES);
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
              messages,
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
