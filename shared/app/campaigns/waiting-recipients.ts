import { fromStatuses } from '../../domain/campaigns/ledger-transitions';
import type { CampaignDeps } from './campaign-deps';
import { LEASE_MS } from './launch-lease';
import { enqueueRecipients } from './launch-page';
import { LedgerCounter } from './ledger-counter';

/** A worker runs at most a few minutes (the send function's timeout): a claim older than this was abandoned. */
export const ABANDONED_CLAIM_MS = 10 * 60_000;

/**
 * Queues again every recipient still queued or deferred; workers claim each one once, so duplicates are harmless.
 * Returns how many wait (queued, held or claimed): 0 when nobody waits on the ledger. Without `heldToo`, recipients
 * held for an opening still to come are left to the queue message that waits for it.
 */
export async function requeueWaitingRecipients(
  tenantId: string,
  campaignId: string,
  deps: Pick<CampaignDeps, 'campaigns' | 'queue' | 'clock'>,
  options: { heldToo: boolean } = { heldToo: true },
): Promise<number> {
  const now = deps.clock.now().toISOString();
  const toQueue = (entry: { status: string; notBefore?: string | undefined }) =>
    entry.status !== 'sending' && (options.heldToo || entry.status !== 'deferred' || (entry.notBefore ?? '') <= now);
  let found = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.listLedger(tenantId, campaignId, {
      limit: 500,
      cursor,
      status: ['queued', 'deferred', 'sending'],
    });
    found += page.items.length;
    await enqueueRecipients(
      tenantId,
      campaignId,
      page.items.filter(toQueue).map((entry) => entry.contactId),
      deps,
    );
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/**
 * Entries a worker claimed and then vanished with (killed between the claim and its last write) may or may not have
 * reached the carrier: they become `unknown`, never re-sent, so the campaign can finish; a later receipt still
 * settles them. `all`: every claim is abandoned (after a restart no worker survived), not only the old ones.
 */
export async function settleAbandonedClaims(tenantId: string, campaignId: string, deps: CampaignDeps, all: boolean) {
  const cutoff = new Date(deps.clock.now().getTime() - ABANDONED_CLAIM_MS).toISOString();
  const counter = await LedgerCounter.begin(deps, tenantId, campaignId, LEASE_MS);
  if (!counter) return;
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.listLedger(tenantId, campaignId, { limit: 500, cursor, status: ['sending'] });
    for (const entry of page.items) {
      if (!all && (entry.claimedAt ?? entry.queuedAt) > cutoff) continue;
      await counter.update(entry.contactId, { from: fromStatuses('sweep') }, 'unknown', {
        reason: 'worker stopped after claiming',
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  await counter.finish();
}
