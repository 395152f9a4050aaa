import type { LedgerEntry, LedgerStatus } from '../../domain/campaigns/ledger.schema';
import { type CountDeltas, ledgerDelta, mergeDeltas } from '../../domain/campaigns/ledger-counts';
import type { CampaignStore, LedgerCondition, LedgerField } from '../../ports/campaign-store.port';
import type { Clock } from '../../ports/clock.port';
import type { IdGenerator } from '../../ports/id-generator.port';

/** A recount of this campaign is running: the writer must come back later (its message is retried). */
export class RecountInProgressError extends Error {
  override readonly name = 'RecountInProgressError';
  constructor(campaignId: string) {
    super(`campaign ${campaignId} is being recounted; retry shortly`);
  }
}

/** How long a writer waits, attempt after attempt, for a running recount (about 6 s in all). */
const RECOUNT_WAITS_MS = [50, 100, 200, 400, 800, 1600, 3000];

type Fields = Partial<Omit<LedgerEntry, 'campaignId' | 'contactId' | 'status'>>;

/**
 * One writer's changes to a campaign's ledger, counted as it goes: every accepted change adds
 * `contribution(after) - contribution(before)` and the sum goes to the campaign in one ADD at the
 * end (one hot-item write per batch, not per recipient). The writer announces itself first, so a
 * recount waits for it instead of racing it; a writer that dies between its ledger writes and its
 * ADD leaves the counters short until the next recount, never long.
 */
export class LedgerCounter {
  private readonly deltas: CountDeltas = {};

  private constructor(
    private readonly campaigns: CampaignStore,
    readonly tenantId: string,
    readonly campaignId: string,
    private readonly txId: string,
  ) {}

  /** Announces the writer; undefined when the campaign is gone. Throws RecountInProgressError during a recount. */
  static async begin(
    deps: { campaigns: CampaignStore; clock: Clock; ids: IdGenerator },
    tenantId: string,
    campaignId: string,
    maxDurationMs: number,
  ): Promise<LedgerCounter | undefined> {
    const txId = deps.ids.next();
    // A recount takes moments for most campaigns: wait a little before giving the message back.
    for (let attempt = 0; ; attempt++) {
      const now = deps.clock.now();
      const deadline = new Date(now.getTime() + maxDurationMs).toISOString();
      const start = await deps.campaigns.beginCounting(tenantId, campaignId, txId, now.toISOString(), deadline);
      if (start === 'missing') return undefined;
      if (start === 'ok') return new LedgerCounter(deps.campaigns, tenantId, campaignId, txId);
      if (attempt >= RECOUNT_WAITS_MS.length) throw new RecountInProgressError(campaignId);
      await deps.clock.sleep(RECOUNT_WAITS_MS[attempt] as number);
    }
  }

  /** A conditional change of one entry; returns the entry before and after it, or undefined when the condition failed. */
  async update(
    contactId: string,
    condition: LedgerCondition,
    to: LedgerStatus | undefined,
    fields: Fields = {},
    remove: LedgerField[] = [],
  ): Promise<{ before: LedgerEntry; after: LedgerEntry } | undefined> {
    const before = await this.campaigns.updateLedgerEntry(
      this.tenantId,
      this.campaignId,
      contactId,
      condition,
      to,
      fields,
      remove,
    );
    if (!before) return undefined;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const after: LedgerEntry = { ...before, ...defined, ...(to ? { status: to } : {}) };
    for (const field of remove) if (!(field in defined)) delete after[field];
    mergeDeltas(this.deltas, ledgerDelta(before, after));
    return { before, after };
  }

  /** Counts entries this writer created. */
  created(entries: LedgerEntry[]): void {
    for (const entry of entries) mergeDeltas(this.deltas, ledgerDelta(undefined, entry));
  }

  /** What this writer has counted so far. */
  pending(): Readonly<CountDeltas> {
    return this.deltas;
  }

  /**
   * Adds what was counted so far to the campaign and goes on counting (the announcement stays): a writer flushes
   * after each group of sends, before their receipts can be counted, so results never show more delivered than sent.
   */
  async flush(): Promise<void> {
    if (Object.keys(this.deltas).length === 0) return;
    const flushed = structuredClone(this.deltas);
    await this.campaigns.addCounts(this.tenantId, this.campaignId, flushed);
    mergeDeltas(this.deltas, flushed, -1);
  }

  /** Adds the counted changes to the campaign and ends the announcement. */
  async finish(): Promise<CountDeltas> {
    await this.campaigns.addCounts(this.tenantId, this.campaignId, this.deltas, this.txId);
    return this.deltas;
  }
}
