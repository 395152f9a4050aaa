import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AssignNumber, AssignOutcome, NumberOwner, SenderNumber } from '../../../domain/numbers/sender-number';
import type { NumberRegistry, UnroutedInbound } from '../../../ports/number-registry.port';
import type { Page, PageRequest } from '../../../ports/page';
import { encodeCursor, invalidCursorError } from './cursor';

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/** Keys of the numbers table: numbers by E.164, their AWS ids, pool memberships and unrouted texts. */
const keys = {
  number: (e164: string) => ({ pk: `N#${e164}`, sk: '#NUMBER' }),
  alias: (alias: string) => ({ pk: `A#${alias}`, sk: '#ALIAS' }),
  member: (pool: string, tenantId: string) => ({ pk: `POOL#${pool}`, sk: `T#${tenantId}` }),
  unrouted: (id: string) => ({ pk: `UNROUTED#${id}`, sk: '#UNROUTED' }),
  holder: (owner: NumberOwner) => (owner.kind === 'tenant' ? `T#${owner.tenantId}` : `POOL#${owner.pool}`),
};

type Item = Record<string, unknown>;

function toNumber(item: Item): SenderNumber {
  return {
    number: item.number as string,
    phoneNumberId: (item.phoneNumberId as string | undefined) ?? null,
    arn: (item.arn as string | undefined) ?? null,
    owner:
      item.ownerKind === 'pool'
        ? { kind: 'pool', pool: item.pool as string }
        : { kind: 'tenant', tenantId: item.tenantId as string },
    mps: item.mps as number,
    assignedAt: item.assignedAt as string,
  };
}

function sameOwner(a: NumberOwner, b: NumberOwner): boolean {
  return a.kind === 'tenant' && b.kind === 'tenant'
    ? a.tenantId === b.tenantId
    : a.kind === 'pool' && b.kind === 'pool' && a.pool === b.pool;
}

function decode(cursor: string | undefined, prefix: string): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof key.pk === 'string' && key.pk.startsWith(prefix) && typeof key.sk === 'string') return key;
  } catch {
    // falls through to the 400
  }
  throw invalidCursorError();
}

/**
 * The number registry on its own table. A number is one item under its E.164 number (the canonical id); its AWS
 * phone number id and ARN are alias items pointing to it. A conditional write keeps each number with one owner, so
 * two operators assigning the same number to two tenants cannot both win.
 */
export class DynamoNumberRegistry implements NumberRegistry {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async resolve(identity: string): Promise<SenderNumber | undefined> {
    const direct = await this.get(keys.number(identity));
    if (direct) return toNumber(direct);
    const alias = await this.get(keys.alias(identity));
    if (!alias) return undefined;
    const target = await this.get(keys.number(alias.number as string));
    return target ? toNumber(target) : undefined;
  }

  async numbersOf(tenantId: string): Promise<SenderNumber[]> {
    const held = await this.queryHolder(`T#${tenantId}`);
    const own = held.filter((item) => item.sk === '#NUMBER').map(toNumber);
    const pools = held.filter((item) => String(item.pk).startsWith('POOL#')).map((item) => item.pool as string);
    const pooled = (await Promise.all(pools.map((pool) => this.queryHolder(`POOL#${pool}`)))).flat().map(toNumber);
    return [...own, ...pooled].sort((a, b) => a.number.localeCompare(b.number));
  }

  async poolsOf(tenantId: string): Promise<string[]> {
    const held = await this.queryHolder(`T#${tenantId}`);
    return held.filter((item) => String(item.pk).startsWith('POOL#')).map((item) => item.pool as string);
  }

  async tenantsOf(number: SenderNumber): Promise<string[]> {
    if (number.owner.kind === 'tenant') return [number.owner.tenantId];
    const members: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)',
          ExpressionAttributeValues: { ':pk': `POOL#${number.owner.pool}`, ':t': 'T#' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) members.push(item.tenantId as string);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return members.sort();
  }

  async assign(input: AssignNumber, at: string): Promise<AssignOutcome> {
    const owner: NumberOwner = input.pool
      ? { kind: 'pool', pool: input.pool }
      : { kind: 'tenant', tenantId: input.tenantId };
    const existing = await this.get(keys.number(input.number));
    if (existing && !sameOwner(toNumber(existing).owner, owner))
      return { kind: 'taken', owner: toNumber(existing).owner };
    for (const alias of [input.phoneNumberId, input.arn]) {
      const other = alias ? await this.get(keys.alias(alias)) : undefined;
      if (other && other.number !== input.number) {
        const holder = await this.get(keys.number(other.number as string));
        return { kind: 'taken', owner: holder ? toNumber(holder).owner : owner };
      }
    }
    // The AWS ids first, each with a conditional write: of two numbers racing for one id, one gets it and the other
    // is refused before it is written (no transactions here: a number item never points at an id it does not own).
    for (const alias of [input.phoneNumberId, input.arn]) {
      if (!alias) continue;
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keys.alias(alias), entity: 'NumberAlias', number: input.number },
            ConditionExpression: 'attribute_not_exists(pk) OR #number = :number',
            ExpressionAttributeNames: { '#number': 'number' },
            ExpressionAttributeValues: { ':number': input.number },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const other = await this.get(keys.alias(alias));
        const holder = other ? await this.get(keys.number(other.number as string)) : undefined;
        return { kind: 'taken', owner: holder ? toNumber(holder).owner : owner };
      }
    }
    const number: SenderNumber = {
      number: input.number,
      phoneNumberId: input.phoneNumberId ?? (existing?.phoneNumberId as string | undefined) ?? null,
      arn: input.arn ?? (existing?.arn as string | undefined) ?? null,
      owner,
      mps: input.mps ?? (existing?.mps as number | undefined) ?? 1,
      assignedAt: (existing?.assignedAt as string | undefined) ?? at,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.number(input.number),
            entity: 'Number',
            number: number.number,
            ...(number.phoneNumberId ? { phoneNumberId: number.phoneNumberId } : {}),
            ...(number.arn ? { arn: number.arn } : {}),
            ownerKind: owner.kind,
            ...(owner.kind === 'tenant' ? { tenantId: owner.tenantId } : { pool: owner.pool }),
            mps: number.mps,
            assignedAt: number.assignedAt,
            gsi1pk: keys.holder(owner),
            gsi1sk: `N#${number.number}`,
          },
          // One owner per number, whoever writes first.
          ConditionExpression: 'attribute_not_exists(pk) OR (ownerKind = :kind AND #owner = :owner)',
          // `pool` is a reserved word in DynamoDB expressions.
          ExpressionAttributeNames: { '#owner': owner.kind === 'tenant' ? 'tenantId' : 'pool' },
          ExpressionAttributeValues: {
            ':kind': owner.kind,
            ':owner': owner.kind === 'tenant' ? owner.tenantId : owner.pool,
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const holder = await this.get(keys.number(input.number));
      return { kind: 'taken', owner: holder ? toNumber(holder).owner : owner };
    }
    if (owner.kind === 'pool') {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.member(owner.pool, input.tenantId),
            entity: 'PoolMember',
            pool: owner.pool,
            tenantId: input.tenantId,
            gsi1pk: `T#${input.tenantId}`,
            gsi1sk: `POOL#${owner.pool}`,
          },
        }),
      );
    }
    const unchanged =
      existing !== undefined &&
      toNumber(existing).mps === number.mps &&
      toNumber(existing).phoneNumberId === number.phoneNumberId &&
      toNumber(existing).arn === number.arn &&
      owner.kind === 'tenant';
    return { kind: unchanged ? 'unchanged' : 'assigned', number };
  }

  async listNumbers(page: PageRequest): Promise<Page<SenderNumber>> {
    const out = await this.client.send(
      new ScanCommand({
        TableName: this.tableName,
        FilterExpression: 'entity = :entity',
        ExpressionAttributeValues: { ':entity': 'Number' },
        Limit: page.limit,
        // A scan may stop on any item of the table (aliases, pools, unrouted texts): any of its keys resumes it.
        ExclusiveStartKey: decode(page.cursor, ''),
      }),
    );
    return { items: (out.Items ?? []).map(toNumber), nextCursor: encodeCursor(out.LastEvaluatedKey) };
  }

  async recordUnrouted(record: UnroutedInbound): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.unrouted(record.inboundMessageId),
            entity: 'UnroutedInbound',
            ...record,
            gsi1pk: 'UNROUTED',
            gsi1sk: `${record.receivedAt}#${record.inboundMessageId}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async listUnrouted(page: PageRequest): Promise<Page<UnroutedInbound>> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'UNROUTED' },
        Limit: page.limit,
        ExclusiveStartKey: decode(page.cursor, 'UNROUTED#'),
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => ({
        inboundMessageId: item.inboundMessageId as string,
        message: item.message as UnroutedInbound['message'],
        receivedAt: item.receivedAt as string,
        reason: item.reason as string,
        ...(item.routeTo ? { routeTo: item.routeTo as string } : {}),
      })),
      nextCursor: encodeCursor(out.LastEvaluatedKey),
    };
  }

  async getUnrouted(inboundMessageId: string): Promise<UnroutedInbound | undefined> {
    const item = await this.get(keys.unrouted(inboundMessageId));
    if (!item) return undefined;
    return {
      inboundMessageId: item.inboundMessageId as string,
      message: item.message as UnroutedInbound['message'],
      receivedAt: item.receivedAt as string,
      reason: item.reason as string,
      ...(item.routeTo ? { routeTo: item.routeTo as string } : {}),
    };
  }

  async routeUnrouted(inboundMessageId: string, tenantId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.unrouted(inboundMessageId),
          UpdateExpression: 'SET routeTo = :tenant',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':tenant': tenantId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async deleteUnrouted(inboundMessageId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.unrouted(inboundMessageId) }));
  }

  private async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  private async queryHolder(holder: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :holder',
          ExpressionAttributeValues: { ':holder': holder },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}
