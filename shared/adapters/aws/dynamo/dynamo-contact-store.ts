import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ConsentEvent,
  type Contact,
  consentEventSchema,
  contactSchema,
  type TagSummary,
  tagSummarySchema,
} from '../../../domain/contacts/contact.schema';
import type { ContactChange, PhoneRecord } from '../../../domain/contacts/contact-rules';
import { ConcurrentModificationError } from '../../../domain/errors';
import { mapConcurrent } from '../../../lib/map-concurrent';
import { pooledUlid } from '../../../lib/pooled-ulid';
import type { ContactStore, StoredContact } from '../../../ports/contact-store.port';
import type { Page, PageRequest } from '../../../ports/page';
import { batchGetAll, batchWriteAll, type WriteRequest } from './batch';
import { CoalescedReads } from './coalesced-reads';
import { contactsKeys, entityTypes } from './contacts-keys';
import { conversationKeys } from './conversation-keys';
import { decodeCursor, encodeCursor } from './cursor';
import { type ClaimLockTimes, PhoneClaims } from './phone-claims';

type Item = Record<string, unknown>;

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

function toStoredContact(item: Item): StoredContact {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, entity: _e, tenantId: _t, version, ...fields } = item;
  return { contact: contactSchema.parse(fields), version: version as number };
}

/**
 * The contacts data layer on DynamoDB (dynalite locally). It needs no transactions: phone
 * uniqueness is a claim item (conditional, or batched under the tenant's claim lock: PhoneClaims), contact writes are version-checked, and tag-index
 * items carry the contact version that wrote them so a late write never undoes a newer one.
 */
export class DynamoContactStore implements ContactStore {
  /** Reads right before a send, from many workers at once, go out together. */
  private readonly reads: CoalescedReads;
  private readonly claims: PhoneClaims;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    claimLockTimes?: ClaimLockTimes,
  ) {
    this.reads = new CoalescedReads(client, tableName);
    this.claims = new PhoneClaims(client, tableName, claimLockTimes);
  }

  private contactItem(tenantId: string, contact: Contact, version: number): Item {
    return {
      ...contactsKeys.contact(tenantId, contact.id),
      ...contactsKeys.contactListing(tenantId, contact.id, contact.createdAt),
      entity: entityTypes.contact,
      tenantId,
      version,
      ...contact,
    };
  }

  private consentItem(tenantId: string, contactId: string, event: ConsentEvent): Item {
    return {
      ...contactsKeys.consentEvent(tenantId, contactId, event.at, pooledUlid()),
      entity: entityTypes.consentEvent,
      ...event,
    };
  }

  async getContact(tenantId: string, contactId: string): Promise<StoredContact | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: contactsKeys.contact(tenantId, contactId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? toStoredContact(out.Item) : undefined;
  }

  async getContactAndNumberOptOut(
    tenantId: string,
    contactId: string,
    phone: string,
  ): Promise<{ stored: StoredContact | undefined; numberOptedOut: boolean }> {
    const [contact, optOut] = await Promise.all([
      this.reads.get(contactsKeys.contact(tenantId, contactId)),
      this.reads.get(contactsKeys.phoneOptOut(tenantId, phone)),
    ]);
    return { stored: contact ? toStoredContact(contact) : undefined, numberOptedOut: optOut !== undefined };
  }

  async getContacts(tenantId: string, contactIds: string[]): Promise<Map<string, StoredContact>> {
    const keys = [...new Set(contactIds)].map((id) => contactsKeys.contact(tenantId, id));
    const items = await batchGetAll(this.client, this.tableName, keys);
    const found = new Map<string, StoredContact>();
    for (const item of items) {
      const stored = toStoredContact(item);
      found.set(stored.contact.id, stored);
    }
    return found;
  }

  async getPhoneRecords(tenantId: string, phones: string[]): Promise<Map<string, PhoneRecord>> {
    const unique = [...new Set(phones)];
    const keys = unique.flatMap((phone) => [
      contactsKeys.phone(tenantId, phone),
      contactsKeys.phoneOptOut(tenantId, phone),
    ]);
    const items = await batchGetAll(this.client, this.tableName, keys);
    const records = new Map<string, PhoneRecord>(unique.map((phone) => [phone, {}]));
    for (const item of items) {
      const record = records.get(item.phone as string);
      if (!record) continue;
      if (item.sk === contactsKeys.phoneOptOut(tenantId, '').sk) record.optedOutAt = item.optedOutAt as string;
      else {
        if (item.contactId) record.contactId = item.contactId as string;
        if (item.claimedAt) record.claimedAt = item.claimedAt as string;
      }
    }
    return records;
  }

  claimPhone(tenantId: string, phone: string, contactId: string, takeOverFrom?: string): Promise<boolean> {
    return this.claims.claimOne(tenantId, phone, contactId, takeOverFrom);
  }

  claimNewPhones(tenantId: string, claims: { phone: string; contactId: string }[]): Promise<Set<string>> {
    return this.claims.claimMany(tenantId, claims);
  }

  /** Releases a phone claim; the number's opt-out (a separate item) stays. */
  private async releasePhone(tenantId: string, phone: string, contactId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: contactsKeys.phone(tenantId, phone),
          UpdateExpression: 'REMOVE contactId, claimedAt',
          ConditionExpression: 'contactId = :id',
          ExpressionAttributeValues: { ':id': contactId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Marks or clears the phone-level opt-out that outlives the contact (the suppression list). */
  async setNumberOptOut(tenantId: string, phone: string, optedOutAt: string | null): Promise<void> {
    await this.setPhoneOptOut(tenantId, phone, optedOutAt);
  }

  private async setPhoneOptOut(tenantId: string, phone: string, optedOutAt: string | null): Promise<void> {
    const Key = contactsKeys.phoneOptOut(tenantId, phone);
    if (optedOutAt === null) {
      await this.client.send(new DeleteCommand({ TableName: this.tableName, Key }));
      return;
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key,
        UpdateExpression: 'SET optedOutAt = if_not_exists(optedOutAt, :at), phone = :phone, entity = :entity',
        ExpressionAttributeValues: { ':at': optedOutAt, ':phone': phone, ':entity': entityTypes.phoneOptOut },
      }),
    );
  }

  private tagAndConsentRequests(tenantId: string, { contact, consentEvent }: ContactChange): WriteRequest[] {
    const requests: WriteRequest[] = contact.tags.map((tag) => ({
      PutRequest: {
        Item: {
          ...contactsKeys.tagMember(tenantId, tag, contact.id),
          entity: entityTypes.tagMember,
          contactId: contact.id,
          contactVersion: 1,
          active: true,
        },
      },
    }));
    if (consentEvent) requests.push({ PutRequest: { Item: this.consentItem(tenantId, contact.id, consentEvent) } });
    return requests;
  }

  async createContact(tenantId: string, change: ContactChange): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.contactItem(tenantId, change.contact, 1),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    await Promise.all([
      batchWriteAll(this.client, this.tableName, this.tagAndConsentRequests(tenantId, change)),
      this.recordCustomFieldNames(tenantId, [change.contact]),
    ]);
    await this.addToTagCounts(tenantId, new Map(change.contact.tags.map((tag) => [tag, 1])));
    if (change.contact.smsConsent.status === 'opted_out') {
      await this.setPhoneOptOut(tenantId, change.contact.phone, change.contact.smsConsent.at);
    }
    await this.bumpContactsStamp(tenantId);
    return true;
  }

  async contactsStamp(tenantId: string): Promise<number> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: contactsKeys.contactsStamp(tenantId), ConsistentRead: true }),
    );
    return (out.Item?.stamp as number | undefined) ?? 0;
  }

  /** Called after a write has landed, so a reader that sees the new stamp also sees the write. */
  private async bumpContactsStamp(tenantId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: contactsKeys.contactsStamp(tenantId),
        UpdateExpression: 'ADD stamp :one SET entity = :entity',
        ExpressionAttributeValues: { ':one': 1, ':entity': entityTypes.contactsStamp },
      }),
    );
  }

  async putImportedContacts(tenantId: string, created: ContactChange[]): Promise<void> {
    const deltas = new Map<string, number>();
    for (const { contact } of created) for (const tag of contact.tags) deltas.set(tag, (deltas.get(tag) ?? 0) + 1);
    await Promise.all([
      this.recordCustomFieldNames(
        tenantId,
        created.map(({ contact }) => contact),
      ),
      this.addToTagCounts(tenantId, deltas),
      batchWriteAll(
        this.client,
        this.tableName,
        created.flatMap((change) => [
          { PutRequest: { Item: this.contactItem(tenantId, change.contact, 1) } },
          ...this.tagAndConsentRequests(tenantId, change),
        ]),
      ),
    ]);
    if (created.length > 0) await this.bumpContactsStamp(tenantId);
  }

  /**
   * Sets a tag-index item to what contact version `version` says, unless a newer version already
   * wrote it. Removed memberships stay as inactive markers so an older, late write cannot revive them.
   */
  private async syncTagMember(tenantId: string, tag: string, contactId: string, version: number, active: boolean) {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: contactsKeys.tagMember(tenantId, tag, contactId),
          UpdateExpression: 'SET active = :active, contactVersion = :v, contactId = :id, entity = :entity',
          ConditionExpression: 'attribute_not_exists(contactVersion) OR contactVersion < :v',
          ExpressionAttributeValues: {
            ':active': active,
            ':v': version,
            ':id': contactId,
            ':entity': entityTypes.tagMember,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const wasActive = out.Attributes?.active === true;
      if (wasActive !== active) await this.addToTagCounts(tenantId, new Map([[tag, active ? 1 : -1]]));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async addToTagCounts(tenantId: string, deltas: Map<string, number>): Promise<void> {
    await mapConcurrent(
      [...deltas].filter(([, delta]) => delta !== 0),
      8,
      ([tag, delta]) =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: contactsKeys.tagCount(tenantId, tag),
            // The listing keys put the counter in the tenant's tag list (GSI1), with the name to read back.
            UpdateExpression: 'ADD #count :delta SET entity = :entity, tag = :tag, gsi1pk = :listing, gsi1sk = :name',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: {
              ':delta': delta,
              ':entity': entityTypes.tagCount,
              ':tag': tag,
              ':listing': contactsKeys.tagListing(tenantId, tag).gsi1pk,
              ':name': contactsKeys.tagListing(tenantId, tag).gsi1sk,
            },
          }),
        ),
    );
  }

  async tagSizes(tenantId: string, tags: string[]): Promise<Map<string, number>> {
    const unique = [...new Set(tags)];
    const items = await batchGetAll(
      this.client,
      this.tableName,
      unique.map((tag) => contactsKeys.tagCount(tenantId, tag)),
    );
    const sizes = new Map<string, number>(unique.map((tag) => [tag, 0]));
    const prefix = `${contactsKeys.tagPartition(tenantId, '')}`;
    for (const item of items) sizes.set((item.pk as string).slice(prefix.length), Math.max(0, item.count as number));
    return sizes;
  }

  async listTags(tenantId: string, page: PageRequest): Promise<Page<TagSummary>> {
    const partition = contactsKeys.tagListingPartition(tenantId);
    let startKey = decodeCursor(page.cursor, contactsKeys.tenantPrefix(tenantId), {
      attributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      equals: { gsi1pk: partition, sk: contactsKeys.tagCount(tenantId, '').sk },
      startsWith: { gsi1sk: contactsKeys.tagListingPrefix },
    });
    const items: TagSummary[] = [];
    // The filter drops tags at 0 after the limit is applied: read on until the page is full or the list ends.
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          // A tag nobody carries any more keeps its counter at 0: it is not listed.
          FilterExpression: '#count > :zero',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':pk': partition, ':zero': 0 },
          Limit: page.limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of (out.Items as Item[] | undefined) ?? []) {
        items.push(tagSummarySchema.parse({ tag: item.tag, contacts: item.count }));
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey && items.length < page.limit);
    return { items, nextCursor: encodeCursor(startKey) };
  }

  private async syncTags(tenantId: string, contactId: string, before: string[], after: string[], version: number) {
    const added = after.filter((t) => !before.includes(t));
    const removed = before.filter((t) => !after.includes(t));
    await mapConcurrent(
      [...added.map((t) => [t, true] as const), ...removed.map((t) => [t, false] as const)],
      8,
      ([tag, active]) => this.syncTagMember(tenantId, tag, contactId, version, active),
    );
  }

  async saveContact(tenantId: string, previous: StoredContact, change: ContactChange): Promise<StoredContact> {
    const version = previous.version + 1;
    const { contact, consentEvent } = change;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.contactItem(tenantId, contact, version),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': previous.version },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConcurrentModificationError(`Contact ${contact.id} changed while this update was applied`);
      }
      throw error;
    }
    const followUps: Promise<unknown>[] = [
      this.syncTags(tenantId, contact.id, previous.contact.tags, contact.tags, version),
    ];
    if (Object.keys(contact.customFields).some((name) => !(name in previous.contact.customFields))) {
      followUps.push(this.recordCustomFieldNames(tenantId, [contact]));
    }
    if (consentEvent) {
      followUps.push(
        this.client.send(
          new PutCommand({ TableName: this.tableName, Item: this.consentItem(tenantId, contact.id, consentEvent) }),
        ),
      );
    }
    if (previous.contact.phone !== contact.phone) {
      followUps.push(this.releasePhone(tenantId, previous.contact.phone, contact.id));
    }
    const wasOptedOut = previous.contact.smsConsent.status === 'opted_out';
    const isOptedOut = contact.smsConsent.status === 'opted_out';
    // Always (idempotent): a retry after a crash between the two writes must still suppress the number.
    if (isOptedOut) {
      followUps.push(this.setPhoneOptOut(tenantId, contact.phone, contact.smsConsent.at));
    } else if (wasOptedOut && !isOptedOut) {
      followUps.push(this.setPhoneOptOut(tenantId, contact.phone, null));
    }
    await Promise.all(followUps);
    await this.bumpContactsStamp(tenantId);
    return { contact, version };
  }

  async deleteContact(tenantId: string, previous: StoredContact): Promise<void> {
    const { contact } = previous;
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: contactsKeys.contact(tenantId, contact.id),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': previous.version },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConcurrentModificationError(`Contact ${contact.id} changed while it was being deleted`);
      }
      throw error;
    }
    // An opted-out number stays suppressed after its contact is gone (written before the claim is released).
    if (contact.smsConsent.status === 'opted_out') {
      await this.setPhoneOptOut(tenantId, contact.phone, contact.smsConsent.at);
    }
    const history = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': contactsKeys.contact(tenantId, contact.id).pk,
        ':prefix': contactsKeys.consentPrefix,
      },
      ProjectionExpression: 'pk, sk',
    });
    await Promise.all([
      this.syncTags(tenantId, contact.id, contact.tags, [], previous.version + 1),
      this.releasePhone(tenantId, contact.phone, contact.id),
      batchWriteAll(
        this.client,
        this.tableName,
        // The conversation summary goes too: a deleted contact is no longer in the conversations list.
        [...history, conversationKeys.summary(tenantId, contact.id)].map((item) => ({
          DeleteRequest: { Key: { pk: item.pk, sk: item.sk } },
        })),
      ),
    ]);
    await this.bumpContactsStamp(tenantId);
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const out = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...((out.Items as Item[] | undefined) ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async listCustomFieldNames(tenantId: string): Promise<string[]> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: contactsKeys.customFieldNames(tenantId) }),
    );
    const names = out.Item?.names as Set<string> | undefined;
    return names ? [...names].sort() : [];
  }

  /** Adds names to the tenant's custom field registry (a string set, so concurrent adds merge). */
  private async recordCustomFieldNames(tenantId: string, contacts: Contact[]): Promise<void> {
    const names = new Set(contacts.flatMap((contact) => Object.keys(contact.customFields)));
    if (names.size === 0) return;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: contactsKeys.customFieldNames(tenantId),
        UpdateExpression: 'ADD #names :names SET entity = :entity',
        ExpressionAttributeNames: { '#names': 'names' },
        ExpressionAttributeValues: { ':names': names, ':entity': entityTypes.customFieldNames },
      }),
    );
  }

  async listAllContacts(tenantId: string, parallelism: number): Promise<Contact[]> {
    const partition = contactsKeys.contactListingPartition(tenantId);
    const edge = async (forward: boolean) => {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ProjectionExpression: 'createdAt',
          ScanIndexForward: forward,
          Limit: 1,
        }),
      );
      const createdAt = out.Items?.[0]?.createdAt as string | undefined;
      return createdAt ? Date.parse(createdAt) : undefined;
    };
    const [first, last] = await Promise.all([edge(true), edge(false)]);
    if (first === undefined || last === undefined) return [];
    // Split the creation-time range into slices read concurrently: the store and this process then
    // work at the same time instead of taking turns page by page.
    const slices = Math.max(1, Math.min(parallelism, Math.ceil((last - first + 1) / 1000)));
    const bounds = Array.from({ length: slices + 1 }, (_, i) =>
      i === 0
        ? 'C#'
        : i === slices
          ? 'C#~'
          : `C#${new Date(first + Math.floor(((last - first + 1) * i) / slices)).toISOString()}`,
    );
    const parts = await Promise.all(
      bounds.slice(0, -1).map((lower, i) =>
        this.queryAll({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :lower AND :upper',
          ExpressionAttributeValues: { ':pk': partition, ':lower': lower, ':upper': bounds[i + 1] },
        }),
      ),
    );
    return parts.flatMap((items) => items.map((item) => toStoredContact(item).contact));
  }

  async listContacts(tenantId: string, page: PageRequest): Promise<Page<Contact>> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': contactsKeys.contactListingPartition(tenantId) },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, contactsKeys.tenantPrefix(tenantId), {
          attributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
          equals: { gsi1pk: contactsKeys.contactListingPartition(tenantId), sk: '#CONTACT' },
          startsWith: { gsi1sk: 'C#' },
        }),
      }),
    );
    return {
      items: ((out.Items as Item[] | undefined) ?? []).map((item) => toStoredContact(item).contact),
      nextCursor: encodeCursor(out.LastEvaluatedKey),
    };
  }

  async listContactsByTag(tenantId: string, tag: string, page: PageRequest): Promise<Page<Contact>> {
    const tenantPrefix = contactsKeys.tenantPrefix(tenantId);
    let startKey = decodeCursor(page.cursor, tenantPrefix, {
      attributes: ['pk', 'sk'],
      equals: { pk: contactsKeys.tagPartition(tenantId, tag) },
      startsWith: { sk: 'C#' },
    });
    const ids: string[] = [];
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
          FilterExpression: 'active = :true',
          ExpressionAttributeValues: {
            ':pk': contactsKeys.tagPartition(tenantId, tag),
            ':member': contactsKeys.tagMemberPrefix,
            ':true': true,
          },
          ProjectionExpression: 'contactId',
          Limit: page.limit - ids.length,
          ExclusiveStartKey: startKey,
        }),
      );
      ids.push(...((out.Items as Item[] | undefined) ?? []).map((item) => item.contactId as string));
      startKey = out.LastEvaluatedKey;
    } while (startKey && ids.length < page.limit);
    const contacts = await this.getContacts(tenantId, ids);
    return {
      items: ids.flatMap((id) => {
        const stored = contacts.get(id);
        return stored ? [stored.contact] : [];
      }),
      nextCursor: encodeCursor(startKey),
    };
  }

  async listConsentHistory(tenantId: string, contactId: string, page: PageRequest): Promise<Page<ConsentEvent>> {
    const pk = contactsKeys.contact(tenantId, contactId).pk;
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': contactsKeys.consentPrefix },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, contactsKeys.tenantPrefix(tenantId), {
          attributes: ['pk', 'sk'],
          equals: { pk },
          startsWith: { sk: contactsKeys.consentPrefix },
        }),
      }),
    );
    return {
      items: ((out.Items as Item[] | undefined) ?? []).map((item) => {
        const { status, source, at, note, flaggedForReview } = item;
        return consentEventSchema.parse({
          status,
          source,
          at,
          ...(note ? { note } : {}),
          ...(flaggedForReview ? { flaggedForReview } : {}),
        });
      }),
      nextCursor: encodeCursor(out.LastEvaluatedKey),
    };
  }
}
