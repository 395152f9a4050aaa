import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError } from '../../../domain/errors';
import { pooledUlid } from '../../../lib/pooled-ulid';
import { batchGetAll, batchWriteAll } from './batch';
import { contactsKeys, entityTypes } from './contacts-keys';

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ClaimLockTimes {
  /** How long a batch claimer holds the tenant's claim lock at most (a crashed holder's lock frees itself then). */
  leaseMs: number;
  /** A batch claimer starts a write only with at least this much of its lease left, else it gives up. */
  marginMs: number;
  /** How long a batch claimer waits for the lock before giving up (the caller retries). */
  waitMs: number;
}

const DEFAULT_TIMES: ClaimLockTimes = { leaseMs: 20_000, marginMs: 10_000, waitMs: 30_000 };

/** Phones are spread over this many claim locks per tenant, by their last digits. */
export const CLAIM_LOCK_SHARDS = 8;

/** The claim lock a phone falls under (its last two digits: even over real numbers, cheap to compute). */
export function claimLockShard(phone: string): number {
  return Number(phone.slice(-2)) % CLAIM_LOCK_SHARDS;
}

/**
 * Phone claims (one contact per phone and tenant) without a conditional write per phone for bulk creators.
 *
 * A single claim (a create, a phone change) is a conditional write on the phone item, as ever. A batch claim (an
 * import) takes the tenant's claim lock of each shard of its phones (one conditional write each), reads its phones
 * consistently, writes claims for the free ones in batches (no condition) and lets go. Two batch claimers never
 * overlap on a shard. A single claimer, after its
 * conditional write, waits until whoever held the lock then has let go, and reads its claim back: a batch claimer that
 * had read the phone as free before it may have overwritten it (the single claim then lost), any later one saw it.
 * Wall-clock times: the lease is about how long real processes take, not the business clock.
 */
export class PhoneClaims {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly times: ClaimLockTimes = DEFAULT_TIMES,
  ) {}

  /** Claims one phone with a conditional write; false when another contact holds it (or took it from this claim). */
  async claimOne(tenantId: string, phone: string, contactId: string, takeOverFrom?: string): Promise<boolean> {
    if (!(await this.conditionalClaim(tenantId, phone, contactId, takeOverFrom))) return false;
    await this.waitOutLockHolder(tenantId, claimLockShard(phone));
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: contactsKeys.phone(tenantId, phone), ConsistentRead: true }),
    );
    return out.Item?.contactId === contactId;
  }

  /**
   * Claims the phones no contact holds for the contact ids given, in batches, each shard of them under its own lock
   * (the shards at once, so overlapping imports of a tenant work side by side); returns those won.
   */
  async claimMany(tenantId: string, claims: { phone: string; contactId: string }[]): Promise<Set<string>> {
    const byShard = new Map<number, { phone: string; contactId: string }[]>();
    for (const claim of claims) {
      const shard = claimLockShard(claim.phone);
      byShard.set(shard, [...(byShard.get(shard) ?? []), claim]);
    }
    const won = await Promise.all([...byShard].map(([shard, group]) => this.claimShard(tenantId, shard, group)));
    return new Set(won.flat());
  }

  private async claimShard(tenantId: string, shard: number, claims: { phone: string; contactId: string }[]) {
    const token = pooledUlid();
    const expiresAt = await this.acquireLock(tenantId, shard, token);
    try {
      const keys = claims.map(({ phone }) => contactsKeys.phone(tenantId, phone));
      const held = new Set(
        (await batchGetAll(this.client, this.tableName, keys)).flatMap((item) =>
          item.contactId ? [item.phone as string] : [],
        ),
      );
      const free = claims.filter(({ phone }) => !held.has(phone));
      const claimedAt = new Date().toISOString();
      const requests = free.map(({ phone, contactId }) => ({
        PutRequest: {
          Item: { ...contactsKeys.phone(tenantId, phone), contactId, phone, entity: entityTypes.phone, claimedAt },
        },
      }));
      await batchWriteAll(this.client, this.tableName, requests, () => {
        // Past this a single claimer may take the lock's expiry for a release: better to stop (the claims written
        // so far have no contact yet, and go stale like a crashed create's).
        if (expiresAt - Date.now() < this.times.marginMs)
          throw new Error('phone claim lock lease ran short; the import stopped before writing more claims');
      });
      return free.map(({ phone }) => phone);
    } finally {
      await this.releaseLock(tenantId, shard, token);
    }
  }

  private async conditionalClaim(tenantId: string, phone: string, contactId: string, takeOverFrom?: string) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: contactsKeys.phone(tenantId, phone),
          UpdateExpression: 'SET contactId = :id, phone = :phone, entity = :entity, claimedAt = :now',
          ConditionExpression: takeOverFrom
            ? 'contactId = :previous'
            : 'attribute_not_exists(contactId) OR contactId = :id',
          ExpressionAttributeValues: {
            ':id': contactId,
            ':phone': phone,
            ':entity': entityTypes.phone,
            ':now': new Date().toISOString(),
            ...(takeOverFrom ? { ':previous': takeOverFrom } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Takes the tenant's claim lock, waiting while another batch claimer holds it; returns when the lease ends. */
  private async acquireLock(tenantId: string, shard: number, token: string): Promise<number> {
    const giveUpAt = Date.now() + this.times.waitMs;
    for (let attempt = 0; ; attempt++) {
      const now = Date.now();
      const expiresAt = now + this.times.leaseMs;
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: contactsKeys.phoneClaimLock(tenantId, shard),
            UpdateExpression: 'SET holder = :token, expiresAt = :until, entity = :entity',
            ConditionExpression: 'attribute_not_exists(holder) OR expiresAt < :now',
            ExpressionAttributeValues: {
              ':token': token,
              ':until': expiresAt,
              ':now': now,
              ':entity': entityTypes.phoneClaimLock,
            },
          }),
        );
        return expiresAt;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      if (Date.now() > giveUpAt)
        throw new ConcurrentModificationError('Another import of this tenant is claiming phones; try again');
      await sleep(Math.min(100, 5 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()));
    }
  }

  private async releaseLock(tenantId: string, shard: number, token: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: contactsKeys.phoneClaimLock(tenantId, shard),
          UpdateExpression: 'REMOVE holder, expiresAt',
          ConditionExpression: 'holder = :token',
          ExpressionAttributeValues: { ':token': token },
        }),
      );
    } catch (error) {
      // Its lease ran out and another claimer holds the lock now: nothing of ours to release.
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Returns once the batch claimer holding the lock now (if any) has let go of it or its lease has run out. */
  private async waitOutLockHolder(tenantId: string, shard: number): Promise<void> {
    let first: string | undefined;
    for (;;) {
      const out = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: contactsKeys.phoneClaimLock(tenantId, shard),
          ConsistentRead: true,
        }),
      );
      const holder = out.Item?.holder as string | undefined;
      const expiresAt = (out.Item?.expiresAt as number | undefined) ?? 0;
      if (!holder || expiresAt < Date.now()) return;
      // A holder that took the lock after this claim read the phone after it: it saw the claim.
      if (first !== undefined && holder !== first) return;
      first = holder;
      await sleep(10);
    }
  }
}
