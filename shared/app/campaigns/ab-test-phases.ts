import {
  type AbGroup,
  abGroupOf,
  initialAbTestState,
  nextAbTestPhase,
  pickWinner,
  testEndsAt,
} from '../../domain/campaigns/ab-test';
import type { Campaign } from '../../domain/campaigns/campaign.schema';
import { VariantTally } from '../../domain/campaigns/variant-tally';
import type { StoredCampaign } from '../../ports/campaign-store.port';
import { retryOnConflict } from '../retry-on-conflict';
import type { CampaignDeps, LaunchMessage } from './campaign-deps';

/** The one-time schedule that ends a test-then-winner campaign's wait (one per campaign; a cancel deletes it). */
export const winnerScheduleName = (tenantId: string, campaignId: string) => `campaign-winner-${tenantId}-${campaignId}`;

/** What the launcher does now: put a group of the audience on the ledger, or wait for the test's end. */
export type LaunchStep =
  | { kind: 'launch'; stored: StoredCampaign; group: AbGroup | 'all' }
  | { kind: 'wait'; until: string }
  | { kind: 'notSending' };

/** Whether a contact of the audience goes on the ledger in this group (the test share, the remainder, or all). */
export function inGroup(campaign: Campaign, group: AbGroup | 'all', contactId: string): boolean {
  if (group === 'all' || !campaign.abTest) return true;
  return abGroupOf(campaign.id, contactId, campaign.abTest.testPercent) === group;
}

/**
 * A plain campaign launches everyone. A test-then-winner campaign launches its test share first, then waits; once
 * the wait is over (its schedule fired, or a later kick) the winner is picked (once: the pick is a version-checked
 * phase move) and the remainder launched. A restart anywhere resumes from the saved phase and launch checkpoint.
 */
export async function launchStepOf(tenantId: string, stored: StoredCampaign, deps: CampaignDeps): Promise<LaunchStep> {
  const campaign = stored.campaign;
  if (!campaign.abTest) return { kind: 'launch', stored, group: 'all' };
  const state = campaign.abTestState ?? initialAbTestState();
  if (state.phase === 'testing') return { kind: 'launch', stored, group: 'test' };
  if (state.phase === 'sendingWinner') return { kind: 'launch', stored, group: 'remainder' };
  const until = state.testEndsAt ?? deps.clock.now().toISOString();
  if (deps.clock.now().toISOString() < until) {
    // Made again on every look while waiting: a crash between the phase move and the schedule loses nothing.
    await scheduleWinnerPick(tenantId, campaign.id, until, deps);
    return { kind: 'wait', until };
  }
  const picked = await chooseWinner(tenantId, campaign.id, deps);
  return picked ? { kind: 'launch', stored: picked, group: 'remainder' } : { kind: 'notSending' };
}

/** The test share is on the ledger: the wait starts (testing -> waiting) and its end is scheduled. */
export async function startTestWait(tenantId: string, campaignId: string, deps: CampaignDeps): Promise<void> {
  const saved = await retryOnConflict(async () => {
    const stored = await deps.campaigns.getCampaign(tenantId, campaignId);
    const campaign = stored?.campaign;
    if (!stored || !campaign?.abTest) return undefined;
    const state = campaign.abTestState ?? initialAbTestState();
    const phase = nextAbTestPhase(state.phase, 'testLaunched');
    if (!phase) return campaign;
    const now = deps.clock.now();
    const abTestState = {
      ...state,
      phase,
      testLaunchedAt: now.toISOString(),
      testEndsAt: testEndsAt(now, campaign.abTest.waitMinutes).toISOString(),
    };
    return (await deps.campaigns.saveCampaign(tenantId, stored, { ...campaign, abTestState })).campaign;
  });
  const until = saved?.abTestState?.testEndsAt;
  if (until) await scheduleWinnerPick(tenantId, campaignId, until, deps);
}

async function scheduleWinnerPick(tenantId: string, campaignId: string, until: string, deps: CampaignDeps) {
  const payload: LaunchMessage = { kind: 'campaignLaunch', tenantId, campaignId };
  await deps.scheduler.createSchedule({
    name: winnerScheduleName(tenantId, campaignId),
    at: until.slice(0, 19),
    timeZone: 'UTC',
    target: 'launcher',
    payload: { ...payload },
  });
}

/**
 * The wait is over: the test share's figures per variant, read from the ledger, pick the winner by the campaign's
 * metric (the rule: ab-test pickWinner). Undefined when the campaign stopped sending meanwhile (a cancel during the
 * wait: the remainder is never launched).
 */
async function chooseWinner(
  tenantId: string,
  campaignId: string,
  deps: CampaignDeps,
): Promise<StoredCampaign | undefined> {
  const first = await deps.campaigns.getCampaign(tenantId, campaignId);
  if (!first?.campaign.variants || !first.campaign.abTest) return undefined;
  const tally = await testShareTally(tenantId, first.campaign, deps);
  return retryOnConflict(async () => {
    const stored = await deps.campaigns.getCampaign(tenantId, campaignId);
    const campaign = stored?.campaign;
    if (!stored || campaign?.status !== 'sending' || !campaign.abTest) return undefined;
    const state = campaign.abTestState ?? initialAbTestState();
    const phase = nextAbTestPhase(state.phase, 'pickWinner');
    if (!phase) return stored;
    const metric = campaign.abTest.winnerMetric;
    const winner = { ...pickWinner(metric, tally.rates(metric)), metric, pickedAt: deps.clock.now().toISOString() };
    return deps.campaigns.saveCampaign(tenantId, stored, { ...campaign, abTestState: { ...state, phase, winner } });
  });
}

/** The test share's figures per variant (entries of the remainder are not counted). */
export async function testShareTally(
  tenantId: string,
  campaign: Campaign,
  deps: Pick<CampaignDeps, 'campaigns'>,
): Promise<VariantTally> {
  const tally = new VariantTally((campaign.variants ?? []).map((variant) => variant.percent));
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.listLedger(tenantId, campaign.id, { limit: 1000, cursor, clicks: true });
    for (const entry of page.items) if (entry.abGroup === 'test') tally.add(entry);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return tally;
}
