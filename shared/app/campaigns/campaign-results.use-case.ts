import { abTestPhaseShown, WINNER_RULE } from '../../domain/campaigns/ab-test';
import type { Campaign } from '../../domain/campaigns/campaign.schema';
import { type LedgerEntry, type LedgerStatus, publicLedgerStatus } from '../../domain/campaigns/ledger.schema';
import { isWaiting } from '../../domain/campaigns/ledger-transitions';
import { campaignFlags, FLAG_RULE } from '../../domain/campaigns/result-flags';
import { VariantTally } from '../../domain/campaigns/variant-tally';
import { NotFoundError } from '../../domain/errors';
import { ClickTally } from '../../domain/links/click-tally';
import { absoluteUrl, findTrackableLinks } from '../../domain/links/tracked-urls';
import type { CampaignStore } from '../../ports/campaign-store.port';
import type { PageRequest } from '../../ports/page';
import type { CampaignDeps } from './campaign-deps';
import { estimateFromLedger } from './campaign-estimate.use-case';

/** Published US price per segment used for the estimate (AWS End User Messaging SMS, 10DLC, 2026). */
export const ESTIMATED_PRICE_PER_SEGMENT_USD = 0.00883;

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Delivered, replies and opt-outs among the recipients who carried each tag when the campaign launched. */
export interface TagResult {
  recipients: number;
  delivered: number;
  replies: number;
  optOuts: number;
}

/**
 * Reads the ledger once for the per-tag figures (tags were copied onto each entry at launch) and the earliest time a
 * held recipient will go.
 */
async function resultsByTag(
  tenantId: string,
  id: string,
  deps: { campaigns: CampaignStore },
  variants?: VariantTally | undefined,
  testShare?: VariantTally | undefined,
) {
  const byTag: Record<string, TagResult> = {};
  // Who still waits (for a sending or paused campaign's live estimate), read in the same pass.
  const waiting: Pick<LedgerEntry, 'phone' | 'notBefore'>[] = [];
  let nextSendAt: string | null = null;
  const clicks = new ClickTally();
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.listLedger(tenantId, id, { limit: 1000, cursor, clicks: true });
    for (const entry of page.items) {
      if (isWaiting(entry.status)) waiting.push({ phone: entry.phone, notBefore: entry.notBefore });
      clicks.add(entry);
      variants?.add(entry);
      if (entry.abGroup === 'test') testShare?.add(entry);
      if (entry.status === 'deferred' && entry.notBefore && (nextSendAt === null || entry.notBefore < nextSendAt)) {
        nextSendAt = entry.notBefore;
      }
      for (const tag of entry.tags ?? []) {
        const figures = byTag[tag] ?? { recipients: 0, delivered: 0, replies: 0, optOuts: 0 };
        byTag[tag] = figures;
        figures.recipients++;
        if (entry.status === 'delivered') figures.delivered++;
        if (entry.repliedAt) figures.replies++;
        if (entry.optedOutAt) figures.optOuts++;
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { byTag, nextSendAt, waiting, clicks };
}

/**
 * How far a campaign has got: recipients with an outcome (sent, failed, skipped, cancelled...) of the audience on the
 * ledger, and, while it sends or is paused, the live estimate of when the rest will go.
 */
function progressOf(counts: Campaign['counts'], waiting: number) {
  const total = counts.audience;
  const done = Math.max(0, total - waiting);
  return { done, total, fraction: total > 0 ? Math.round((done / total) * 1000) / 1000 : null };
}

/**
 * A campaign's results from its counters (exact: each counter is the sum of the ledger's entries,
 * see ledger-counts), with rates, the flags users are taught to read (and the rule that raises them), and figures
 * per tag.
 */
export async function campaignResults(tenantId: string, id: string, deps: CampaignDeps) {
  const stored = await deps.campaigns.getCampaign(tenantId, id);
  if (!stored) throw new NotFoundError('Campaign', id);
  const c: Campaign = stored.campaign;
  const counts = c.counts;
  const variants = c.variants ? new VariantTally(c.variants.map((variant) => variant.percent)) : undefined;
  const testShare = c.abTest && c.variants ? new VariantTally(c.variants.map((v) => v.percent)) : undefined;
  const { byTag, nextSendAt, waiting, clicks } = await resultsByTag(tenantId, id, deps, variants, testShare);
  const live = c.status === 'sending' || c.status === 'paused';
  const failedByReason = Object.fromEntries(Object.entries(counts.failedByReason).filter(([, n]) => n !== 0));
  // A worker adds its sends to the counters once per group of sends, and the receipt of one of them can be counted a
  // moment earlier: a delivered message was sent, so results never read fewer sent than delivered.
  const sent = Math.max(counts.sent, counts.delivered);
  const deliveryRate = rate(counts.delivered, sent);
  const responseRate = rate(counts.replies, counts.delivered);
  const optOutRate = rate(counts.optOuts, counts.delivered);
  const estimatedCost = Math.round(counts.segments * ESTIMATED_PRICE_PER_SEGMENT_USD * 100) / 100;
  return {
    status: c.status,
    pauseReason: c.pauseReason,
    pausedAt: c.pausedAt,
    pauseEvidence: c.pauseEvidence,
    audience: counts.audience,
    skipped: counts.skipped,
    sent,
    delivered: counts.delivered,
    failed: counts.failed,
    failedByReason,
    unknown: counts.unknown,
    cancelled: counts.cancelled,
    // Waiting to be sent, or sent (or maybe sent) without a final receipt yet.
    pending: Math.max(0, counts.queued) + Math.max(0, sent - counts.delivered - counts.failed) + counts.unknown,
    replies: counts.replies,
    responseRate,
    optOuts: counts.optOuts,
    optOutRate,
    deliveryRate,
    segments: counts.segments,
    estimatedCost,
    // What the carrier reported charging (price + carrier fee), once final receipts carry it.
    carrierCost: Math.round(counts.priceUsd * 10_000) / 10_000,
    // What the sends cost by the tenant's prices, against the campaign's own cap (tenant currency).
    spend: Math.round(counts.spend * 10_000) / 10_000,
    maxSpend: c.maxSpend,
    flags: campaignFlags({
      delivered: counts.delivered,
      failed: counts.failed,
      replies: counts.replies,
      optOuts: counts.optOuts,
      launchedAt: c.launchedAt,
      now: deps.clock.now(),
    }),
    flagRule: FLAG_RULE,
    byTag,
    nextSendAt,
    progress: progressOf(counts, waiting.length),
    estimate: live ? await estimateFromLedger(tenantId, c, waiting, deps) : null,
    ...clicks.summary(findTrackableLinks(c.body).map(absoluteUrl)),
    ...(variants ? variants.summary() : {}),
    ...(testShare ? { abTest: abTestResults(c, testShare) } : {}),
    reconciledAt: stored.reconciledAt ?? null,
  };
}

/** A test-then-winner campaign's test phase (its share's figures per variant), its winner and why. */
function abTestResults(c: Campaign, testShare: VariantTally) {
  const abTest = c.abTest as NonNullable<Campaign['abTest']>;
  const summary = testShare.summary();
  return {
    ...abTest,
    phase: abTestPhaseShown(c.status, c.abTestState),
    testLaunchedAt: c.abTestState?.testLaunchedAt ?? null,
    testEndsAt: c.abTestState?.testEndsAt ?? null,
    testVariants: summary.variants,
    testSignificance: summary.variantSignificance[abTest.winnerMetric],
    winner: c.abTestState?.winner ?? null,
    winnerRule: WINNER_RULE,
  };
}

/** The per-recipient ledger, as the API shows it. */
export async function campaignMessages(
  tenantId: string,
  id: string,
  query: PageRequest & { status?: string | undefined },
  deps: { campaigns: CampaignStore },
) {
  if (!(await deps.campaigns.getCampaign(tenantId, id))) throw new NotFoundError('Campaign', id);
  const status: LedgerStatus[] | undefined =
    query.status === undefined
      ? undefined
      : query.status === 'queued'
        ? ['queued', 'deferred', 'sending']
        : [query.status as LedgerStatus];
  const page = await deps.campaigns.listLedger(tenantId, id, {
    limit: query.limit,
    cursor: query.cursor,
    status,
    clicks: true,
  });
  return {
    items: page.items.map((entry) => ({
      contactId: entry.contactId,
      phone: entry.phone,
      status: publicLedgerStatus(entry.status),
      ...(entry.reason ? { reason: entry.reason } : {}),
      segments: entry.segments ?? 0,
      ...(entry.sentAt ? { sentAt: entry.sentAt } : {}),
      ...(entry.deliveredAt ? { deliveredAt: entry.deliveredAt } : {}),
      ...(entry.repliedAt ? { repliedAt: entry.repliedAt } : {}),
      ...(entry.clickedAt ? { clickedAt: entry.clickedAt, clicks: entry.clicks ?? 0 } : {}),
      // Held for the recipient's window (or their own time): when it will go.
      ...(entry.status === 'deferred' && entry.notBefore ? { notBefore: entry.notBefore } : {}),
    })),
    nextCursor: page.nextCursor,
  };
}
