import { assertAbTestFits, initialAbTestState } from '../../domain/campaigns/ab-test';
import { winnerTimingWarnings } from '../../domain/campaigns/ab-test-warnings';
import {
  type Campaign,
  type CampaignInput,
  type CampaignPatch,
  type CampaignSchedule,
  type CampaignWarning,
  emptyCounts,
} from '../../domain/campaigns/campaign.schema';
import { requireTransition } from '../../domain/campaigns/campaign-lifecycle';
import { localToInstant, resolveSchedule, sendTimeWarnings } from '../../domain/campaigns/schedule';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { appendOptOutFooter } from '../../domain/sms/opt-out';
import { assertBodyWithinSegmentLimit } from '../../domain/sms/segment-limit';
import { compileTemplate } from '../../domain/sms/template';
import { TemplateVariableError } from '../../domain/sms/template-errors';
import { mapConcurrent } from '../../lib/map-concurrent';
import { logger } from '../../middleware/logger';
import type { StoredCampaign } from '../../ports/campaign-store.port';
import type { Page, PageRequest } from '../../ports/page';
import { bestTimeWarnings } from '../insights/send-time-insights.use-case';
import { requireSender } from '../numbers/sender-numbers.use-case';
import { retryOnConflict } from '../retry-on-conflict';
import { winnerScheduleName } from './ab-test-phases';
import { assertWithinBudget } from './campaign-budget';
import type { CampaignDeps, LaunchMessage } from './campaign-deps';
import { type CampaignEstimate, estimateFromAudience, estimateWarnings } from './campaign-estimate.use-case';
import { audienceWarnings, contentWarningsOrNone } from './campaign-warnings';
import { armWatchdog } from './campaign-watchdog';
import { LedgerCounter } from './ledger-counter';
import { requeueWaitingRecipients } from './waiting-recipients';

/** The schedule's name in the Scheduler: one per campaign, so rescheduling replaces it. */
export const scheduleName = (tenantId: string, campaignId: string) => `campaign-${tenantId}-${campaignId}`;

async function load(tenantId: string, id: string, deps: Pick<CampaignDeps, 'campaigns'>): Promise<StoredCampaign> {
  const stored = await deps.campaigns.getCampaign(tenantId, id);
  if (!stored) throw new NotFoundError('Campaign', id);
  return stored;
}

/**
 * Checks what a campaign will need when it sends, so a mistake is a 4xx now rather than a stuck
 * campaign later: the Smart List exists, and the body (with the footer) is a template whose
 * variables are built in, known custom fields, or have a default.
 */
async function assertSendable(
  tenantId: string,
  campaign: Pick<Campaign, 'audience' | 'body' | 'messageType'> & { variants?: Campaign['variants'] | undefined },
  deps: CampaignDeps,
) {
  if (
    'smartListId' in campaign.audience &&
    !(await deps.smartLists.getSmartList(tenantId, campaign.audience.smartListId))
  ) {
    throw new NotFoundError('SmartList', campaign.audience.smartListId);
  }
  const [{ settings }, customFieldNames] = await Promise.all([
    deps.settings.getSettings(tenantId),
    deps.contacts.listCustomFieldNames(tenantId),
  ]);
  for (const body of messageBodies(campaign)) {
    const template = compileTemplate(appendOptOutFooter(body, settings, campaign.messageType));
    const unknown = template.unknownVariables(customFieldNames);
    if (unknown.length > 0) throw new TemplateVariableError(unknown[0] as string, unknown);
  }
}

/** The texts a campaign sends: its variants' bodies, or its one body. */
export function messageBodies(campaign: { body: string; variants?: Campaign['variants'] | undefined }): string[] {
  return campaign.variants ? campaign.variants.map((variant) => variant.body) : [campaign.body];
}

/** The body a campaign lists under: the one given, else the first variant's; a 400 naming `body` when neither. */
function bodyOf(input: { body?: string | undefined; variants?: Campaign['variants'] | undefined }): string {
  const body = input.body ?? input.variants?.[0]?.body;
  if (body === undefined) {
    throw new ValidationError('body: is required (or give variants)', [
      { path: 'body', message: 'is required (or give variants)' },
    ]);
  }
  return body;
}

/** How long the answer to send/schedule may wait for warnings (the API gives a request 29 s in all). */
const WARNINGS_BUDGET_MS = 8_000;

/**
 * Warnings never block a send: a failure to compute them is logged and yields none, and so does a
 * computation that outruns its budget (a very large audience on a cold start): the campaign is
 * already sending by then, and the answer must not time out on a state change that happened.
 */
async function bestEffortWarnings(
  compute: () => Promise<CampaignWarning[]>,
  clock: CampaignDeps['clock'],
): Promise<CampaignWarning[]> {
  const budgetOver = new AbortController();
  const budget = clock.sleep(WARNINGS_BUDGET_MS, budgetOver.signal).then(
    () => {
      logger.warn('campaign warnings skipped: over their time budget', { budgetMs: WARNINGS_BUDGET_MS });
      return [];
    },
    () => [],
  );
  try {
    return await Promise.race([compute(), budget]);
  } catch (error) {
    logger.warn('campaign warnings could not be computed', { error: error as Error });
    return [];
  } finally {
    budgetOver.abort();
  }
}

/** Refuses a body over the tenant's segment limit as it will be sent (footer included), naming `body` (400). */
async function assertBodyFits(
  tenantId: string,
  campaign: Pick<Campaign, 'body' | 'messageType'> & { variants?: Campaign['variants'] | undefined },
  deps: Pick<CampaignDeps, 'settings'>,
): Promise<void> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const variants = campaign.variants;
  if (!variants) return assertBodyWithinSegmentLimit(campaign.body, settings, campaign.messageType);
  for (const [index, variant] of variants.entries()) {
    assertBodyWithinSegmentLimit(variant.body, settings, campaign.messageType, `variants.${index}.body`);
  }
}

/** A new draft: nothing is resolved or sent until it is sent or scheduled. */
export async function createCampaign(tenantId: string, input: CampaignInput, deps: CampaignDeps): Promise<Campaign> {
  const body = bodyOf(input);
  const variants = input.variants ?? null;
  const messageType = input.messageType ?? 'PROMOTIONAL';
  await assertBodyFits(tenantId, { body, variants, messageType }, deps);
  await assertSendable(tenantId, { audience: input.audience, body, variants, messageType }, deps);
  const now = deps.clock.now().toISOString();
  // Left out, link tracking is the tenant's default as it stands now (a later change of the default leaves it be).
  const trackLinks = input.trackLinks ?? (await deps.settings.getSettings(tenantId)).settings.trackLinks;
  const abTest = input.abTest ?? null;
  assertAbTestFits({ abTest, variants, trackLinks });
  const campaign: Campaign = {
    id: deps.ids.next(),
    name: input.name,
    audience: input.audience,
    body,
    messageType,
    status: 'draft',
    schedule: null,
    scheduledAt: null,
    counts: emptyCounts(),
    launchComplete: false,
    createdAt: now,
    updatedAt: now,
    launchedAt: null,
    completedAt: null,
    cancelledAt: null,
    pauseReason: null,
    pausedAt: null,
    pauseEvidence: null,
    resumedAt: null,
    maxSpend: input.maxSpend ?? null,
    trackLinks,
    variants,
    abTest,
    abTestState: abTest ? initialAbTestState() : null,
  };
  await deps.campaigns.createCampaign(tenantId, campaign);
  return campaign;
}

export async function getCampaign(tenantId: string, id: string, deps: Pick<CampaignDeps, 'campaigns'>) {
  return (await load(tenantId, id, deps)).campaign;
}

export async function listCampaigns(
  tenantId: string,
  page: PageRequest,
  deps: Pick<CampaignDeps, 'campaigns'>,
): Promise<Page<Campaign>> {
  return deps.campaigns.listCampaigns(tenantId, page);
}

/**
 * Edits a draft or scheduled campaign; a 409 once it is sending. Its `maxSpend` alone may also change while it sends
 * or is paused (a campaign paused for its budget resumes once it is raised).
 */
export async function updateCampaign(tenantId: string, id: string, patch: CampaignPatch, deps: CampaignDeps) {
  return retryOnConflict(async () => {
    const stored = await load(tenantId, id, deps);
    const spendOnly = Object.keys(patch).every((field) => field === 'maxSpend');
    const live = stored.campaign.status === 'sending' || stored.campaign.status === 'paused';
    if (!(spendOnly && live)) requireTransition(id, stored.campaign.status, 'edit');
    const updated: Campaign = {
      ...stored.campaign,
      ...patch,
      // New variants without a new body: the campaign lists under the first variant's. `variants: null` goes back to
      // one message (the body, or the first variant's when no body is given).
      body:
        patch.body ??
        patch.variants?.[0]?.body ??
        (patch.variants === null ? stored.campaign.variants?.[0]?.body : undefined) ??
        stored.campaign.body,
      variants: patch.variants === undefined ? stored.campaign.variants : patch.variants,
      abTest: patch.abTest === undefined ? stored.campaign.abTest : patch.abTest,
      abTestState:
        patch.abTest === undefined ? stored.campaign.abTestState : patch.abTest ? initialAbTestState() : null,
      updatedAt: deps.clock.now().toISOString(),
    };
    assertAbTestFits(updated);
    if (patch.body !== undefined || patch.variants !== undefined || patch.messageType !== undefined) {
      await assertBodyFits(tenantId, updated, deps);
    }
    await assertSendable(tenantId, updated, deps);
    return (await deps.campaigns.saveCampaign(tenantId, stored, updated)).campaign;
  });
}

/** Deletes a draft or scheduled campaign (its schedule too); a 409 once it is sending. */
export async function deleteCampaign(tenantId: string, id: string, deps: CampaignDeps): Promise<void> {
  await retryOnConflict(async () => {
    const stored = await load(tenantId, id, deps);
    requireTransition(id, stored.campaign.status, 'delete');
    await deps.scheduler.deleteSchedule(scheduleName(tenantId, id));
    await deps.campaigns.deleteCampaign(tenantId, stored);
  });
}

export interface CampaignWithWarnings extends Campaign {
  warnings: CampaignWarning[];
  /** When the first and last texts should go (null when it could not be worked out in the warnings' budget). */
  estimate: CampaignEstimate | null;
}

/** Sends now: the campaign moves to sending and the launcher is queued. A second send is a 409. */
export async function sendCampaign(tenantId: string, id: string, deps: CampaignDeps): Promise<CampaignWithWarnings> {
  const now = deps.clock.now();
  const current = await load(tenantId, id, deps);
  requireTransition(id, current.campaign.status, 'send');
  await assertSendable(tenantId, current.campaign, deps);
  await assertWithinBudget(tenantId, current.campaign, deps);
  await requireSender(tenantId, (await deps.settings.getSettings(tenantId)).settings, deps);
  // Armed first: if the launch message below is lost (or the process dies before sending it), the watchdog finds the
  // campaign stuck a few minutes later and kicks the launcher instead of leaving it `sending` forever. A kick of a
  // campaign that is not sending does nothing.
  await armWatchdog(tenantId, id, deps);
  const campaign = await retryOnConflict(async () => {
    const stored = await load(tenantId, id, deps);
    const status = requireTransition(id, stored.campaign.status, 'send');
    const updated: Campaign = {
      ...stored.campaign,
      status,
      launchedAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    return (await deps.campaigns.saveCampaign(tenantId, stored, updated)).campaign;
  });
  const message: LaunchMessage = { kind: 'campaignLaunch', tenantId, campaignId: id };
  await deps.queue.sendMessages('launch', [{ body: message }]);
  // A schedule left over from before (a rescheduled campaign sent early) would fire a harmless kick.
  await deps.scheduler.deleteSchedule(scheduleName(tenantId, id)).catch((error: unknown) => {
    logger.warn('old schedule not deleted', { error: error as Error });
  });
  let estimate: CampaignEstimate | null = null;
  const warnings = await bestEffortWarnings(async () => {
    const { settings } = await deps.settings.getSettings(tenantId);
    estimate = await estimateFromAudience(tenantId, campaign, { start: now, schedule: null }, deps);
    return [
      ...(await contentWarningsOrNone(tenantId, campaign, deps)),
      ...sendTimeWarnings(now, settings.defaultTimeZone, settings.sendWindow),
      ...winnerTimingWarnings(now, campaign.abTest, settings.defaultTimeZone, settings.sendWindow),
      ...(await audienceWarnings(tenantId, campaign, now, deps)),
      ...(await bestTimeWarnings(tenantId, now, settings.defaultTimeZone, deps)),
      ...estimateWarnings(estimate),
    ];
  }, deps.clock);
  return { ...campaign, warnings, estimate };
}

/**
 * Schedules (or reschedules) a draft or scheduled campaign. The Scheduler fires the launcher with
 * the campaign's ids; a time in the past is a 422.
 */
export async function scheduleCampaign(
  tenantId: string,
  id: string,
  schedule: CampaignSchedule,
  deps: CampaignDeps,
): Promise<CampaignWithWarnings> {
  const now = deps.clock.now();
  const resolved = resolveSchedule(schedule, now);
  const current = await load(tenantId, id, deps);
  requireTransition(id, current.campaign.status, 'schedule');
  await assertSendable(tenantId, current.campaign, deps);
  await assertWithinBudget(tenantId, current.campaign, deps);
  await requireSender(tenantId, (await deps.settings.getSettings(tenantId)).settings, deps);
  const campaign = await retryOnConflict(async () => {
    const stored = await load(tenantId, id, deps);
    const status = requireTransition(id, stored.campaign.status, 'schedule');
    const updated: Campaign = {
      ...stored.campaign,
      status,
      schedule,
      scheduledAt: resolved.fireAt.toISOString(),
      updatedAt: now.toISOString(),
    };
    return (await deps.campaigns.saveCampaign(tenantId, stored, updated)).campaign;
  });
  const payload: LaunchMessage = { kind: 'campaignLaunch', tenantId, campaignId: id };
  await deps.scheduler.createSchedule({
    name: scheduleName(tenantId, id),
    at: resolved.at,
    timeZone: resolved.timeZone,
    target: 'launcher',
    payload: { ...payload },
  });
  let estimate: CampaignEstimate | null = null;
  const warnings = await bestEffortWarnings(async () => {
    const { settings } = await deps.settings.getSettings(tenantId);
    const zone = 'timeZone' in schedule ? schedule.timeZone : settings.defaultTimeZone;
    estimate = await estimateFromAudience(tenantId, campaign, { start: resolved.fireAt, schedule }, deps);
    return [
      ...(await contentWarningsOrNone(tenantId, campaign, deps)),
      ...('timeZone' in schedule ? sendTimeWarnings(resolved.fireAt, zone, settings.sendWindow) : []),
      ...winnerTimingWarnings(resolved.fireAt, campaign.abTest, zone, settings.sendWindow),
      ...(await audienceWarnings(tenantId, campaign, resolved.fireAt, deps)),
      // The local time chosen, read where it was given (each recipient's own zone: the same local hour everywhere).
      ...(await bestTimeWarnings(tenantId, localToInstant(schedule.sendAt, zone), zone, deps)),
      ...estimateWarnings(estimate),
    ];
  }, deps.clock);
  return { ...campaign, warnings, estimate };
}

/**
 * Cancels: before the send time nothing goes (the schedule is deleted, and a late fire finds the
 * campaign cancelled); while sending, workers stop handing recipients to the carrier.
 */
export async function cancelCampaign(tenantId: string, id: string, deps: CampaignDeps): Promise<Campaign> {
  let wasPaused = false;
  const campaign = await retryOnConflict(async () => {
    const stored = await load(tenantId, id, deps);
    const status = requireTransition(id, stored.campaign.status, 'cancel');
    wasPaused = stored.campaign.status === 'paused';
    const now = deps.clock.now().toISOString();
    const updated: Campaign = { ...stored.campaign, status, cancelledAt: now, updatedAt: now };
    return (await deps.campaigns.saveCampaign(tenantId, stored, updated)).campaign;
  });
  await deps.scheduler.deleteSchedule(scheduleName(tenantId, id));
  // A test-then-winner campaign cancelled during its wait: no winner is picked, the remainder never goes on the ledger
  // (a winner schedule that fires anyway finds the campaign cancelled).
  if (campaign.abTest) await deps.scheduler.deleteSchedule(winnerScheduleName(tenantId, id));
  // Best effort: what this misses (a recount holding the counters) the workers cancel as their messages come.
  await settleWaitingAsCancelled(tenantId, id, deps).catch((error: unknown) => {
    logger.warn('waiting recipients not settled at cancel', { error: error as Error });
  });
  // A paused campaign's queue messages were dropped while it was paused: whoever the pass above missed is queued
  // again, and the workers cancel them (a cancelled campaign's recipients are settled, never sent).
  if (wasPaused) await requeueWaitingRecipients(tenantId, id, deps);
  return { ...campaign, counts: (await load(tenantId, id, deps)).campaign.counts };
}

/** How long a cancel settles waiting recipients itself; the workers cancel the rest as their messages come. */
const CANCEL_SETTLE_BUDGET_MS = 10_000;

/**
 * Settles, at once, every recipient still waiting (queued, or deferred to a window that may open hours later) as
 * cancelled, with the counters, so results read right after a cancel are final but for sends already in the
 * carrier's hands. A worker claiming one at the same moment wins or loses by its conditional write, never both.
 */
async function settleWaitingAsCancelled(tenantId: string, id: string, deps: CampaignDeps): Promise<void> {
  const started = deps.clock.now().getTime();
  const counter = await LedgerCounter.begin(deps, tenantId, id, CANCEL_SETTLE_BUDGET_MS * 3);
  if (!counter) return;
  try {
    let cursor: string | undefined;
    do {
      const page = await deps.campaigns.listLedger(tenantId, id, {
        limit: 500,
        cursor,
        status: ['queued', 'deferred'],
      });
      await mapConcurrent(page.items, 16, (entry) =>
        counter.update(entry.contactId, { from: ['queued', 'deferred'] }, 'cancelled', {
          reason: 'campaign cancelled',
        }),
      );
      cursor = page.nextCursor ?? undefined;
    } while (cursor && deps.clock.now().getTime() - started < CANCEL_SETTLE_BUDGET_MS);
  } finally {
    await counter.finish();
  }
}
