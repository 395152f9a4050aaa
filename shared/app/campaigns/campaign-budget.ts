import { classifyEligibility } from '../../domain/audience/eligibility';
import type { Campaign } from '../../domain/campaigns/campaign.schema';
import { billingMonthOf } from '../../domain/campaigns/ledger-counts';
import { pricePerSegment, roundMoney } from '../../domain/campaigns/sms-prices';
import type { Contact } from '../../domain/contacts/contact.schema';
import { RuleViolationError } from '../../domain/errors';
import type { Settings } from '../../domain/settings/settings.schema';
import { appendOptOutFooter } from '../../domain/sms/opt-out';
import { countSegments } from '../../domain/sms/segments';
import { compileTemplate } from '../../domain/sms/template';
import { resolveAudienceForPreview } from '../audiences/resolve-audience.use-case';
import type { TenantContactsSnapshots } from '../audiences/tenant-contacts-snapshots';
import type { CampaignDeps } from './campaign-deps';
import { pauseIfSending } from './campaign-pause.use-case';

type BudgetDeps = CampaignDeps & { snapshots?: TenantContactsSnapshots };

/**
 * What the tenant's campaigns have spent in the calendar month (UTC) `now` is in, by the month each message went out:
 * a campaign launched last month that still sends counts here for what it sends now, and not for what it sent then.
 */
export async function monthSpend(tenantId: string, now: Date, deps: Pick<CampaignDeps, 'campaigns'>) {
  const month = billingMonthOf(now.toISOString());
  let spent = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.listCampaigns(tenantId, { limit: 500, cursor });
    for (const campaign of page.items) spent += spentInMonth(campaign, month);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return roundMoney(spent);
}

function spentInMonth(campaign: Campaign, month: string): number {
  const { spend, spendByMonth } = campaign.counts;
  if (Object.keys(spendByMonth).length > 0 || spend === 0) return spendByMonth[month] ?? 0;
  // Counted before spend was kept by month (until its next recount): its launch month is the best guess there is.
  return campaign.launchedAt && billingMonthOf(campaign.launchedAt) === month ? spend : 0;
}

/** The worst case a campaign can cost: every eligible recipient now, at its own segments and its country's price. */
export async function worstCaseCost(tenantId: string, campaign: Campaign, settings: Settings, deps: BudgetDeps) {
  const template = compileTemplate(appendOptOutFooter(campaign.body, settings, campaign.messageType));
  let cost = 0;
  for await (const page of resolveAudienceForPreview(tenantId, campaign.audience, deps)) {
    for (const contact of page as Contact[]) {
      if (classifyEligibility(contact, settings, { messageType: campaign.messageType }) !== 'eligible') continue;
      cost += countSegments(template.render(contact)) * pricePerSegment(contact.phone, settings);
    }
  }
  return roundMoney(cost);
}

/** What a campaign may still spend: its own cap less its spend, the month's budget less the month's spend. */
export async function budgetLeft(tenantId: string, campaign: Campaign, settings: Settings, deps: BudgetDeps) {
  const limits: { left: number; path: 'maxSpend' | 'monthlyBudget'; cap: number; spent: number }[] = [];
  if (campaign.maxSpend !== null) {
    const spent = campaign.counts.spend;
    limits.push({ left: roundMoney(campaign.maxSpend - spent), path: 'maxSpend', cap: campaign.maxSpend, spent });
  }
  if (settings.monthlyBudget !== null) {
    const spent = await monthSpend(tenantId, deps.clock.now(), deps);
    const left = roundMoney(settings.monthlyBudget - spent);
    limits.push({ left, path: 'monthlyBudget', cap: settings.monthlyBudget, spent });
  }
  return limits.sort((a, b) => a.left - b.left)[0];
}

function overBudget(path: string, message: string): RuleViolationError {
  return new RuleViolationError('CAMPAIGN.OVER_BUDGET', message, [{ path, message }]);
}

/** 422 `CAMPAIGN.OVER_BUDGET` when the campaign's worst-case cost is more than its budget has left. */
export async function assertWithinBudget(tenantId: string, campaign: Campaign, deps: BudgetDeps): Promise<void> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const limit = await budgetLeft(tenantId, campaign, settings, deps);
  if (!limit) return;
  const worst = await worstCaseCost(tenantId, campaign, settings, deps);
  if (worst <= limit.left) return;
  throw overBudget(
    limit.path,
    `the campaign may cost up to ${worst} ${settings.currency} (every recipient at its own segments), more than the ${limit.left} ${settings.currency} left of ${limit.path} ${limit.cap}; raise it or narrow the audience`,
  );
}

/** 422 `CAMPAIGN.OVER_BUDGET` when nothing is left to spend: a campaign paused for its budget resumes once raised. */
export async function assertBudgetLeft(tenantId: string, campaign: Campaign, deps: BudgetDeps): Promise<void> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const limit = await budgetLeft(tenantId, campaign, settings, deps);
  if (!limit || limit.left > 0) return;
  throw overBudget(
    limit.path,
    `${limit.spent} ${settings.currency} of ${limit.path} ${limit.cap} is spent; raise it before resuming`,
  );
}

/**
 * Pauses a sending campaign whose spend has reached its cap or the month's budget (`pauseReason: budget`). Sends a
 * worker had already handed over count too, so a campaign may pass its cap by what was in flight at that moment.
 */
export async function pauseIfOverBudget(tenantId: string, campaignId: string, deps: BudgetDeps): Promise<boolean> {
  const campaign = (await deps.campaigns.getCampaign(tenantId, campaignId))?.campaign;
  if (campaign?.status !== 'sending') return false;
  const { settings } = await deps.settings.getSettings(tenantId);
  if (campaign.maxSpend === null && settings.monthlyBudget === null) return false;
  const limit = await budgetLeft(tenantId, campaign, settings, deps);
  if (!limit || limit.left > 0) return false;
  return pauseIfSending(tenantId, campaignId, deps, 'budget', {
    spent: limit.spent,
    cap: limit.cap,
    message: `${limit.spent} ${settings.currency} of ${limit.path} ${limit.cap} is spent: the campaign paused itself. Raise ${limit.path} (PATCH) and resume, or cancel.`,
  });
}
