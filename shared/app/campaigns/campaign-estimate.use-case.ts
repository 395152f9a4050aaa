import { classifyEligibility } from '../../domain/audience/eligibility';
import { abGroupOf } from '../../domain/campaigns/ab-test';
import type {
  Campaign,
  CampaignEstimate,
  CampaignSchedule,
  CampaignWarning,
} from '../../domain/campaigns/campaign.schema';
import { type EstimateRecipient, estimateFinish } from '../../domain/campaigns/finish-estimate';
import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import { localToInstant, resolveSchedule } from '../../domain/campaigns/schedule';
import { assignVariant } from '../../domain/campaigns/variants';
import type { Contact } from '../../domain/contacts/contact.schema';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { candidateTimeZones, inferTimeZone } from '../../domain/phone/time-zone';
import { type SendTimeContact, type SendTimeProfile, sendTimeProfile } from '../../domain/sending/send-window';
import { stateRuleOf } from '../../domain/sending/state-rules';
import type { Settings } from '../../domain/settings/settings.schema';
import { appendOptOutFooter } from '../../domain/sms/opt-out';
import { countSegments } from '../../domain/sms/segments';
import { type CompiledTemplate, compileTemplate } from '../../domain/sms/template';
import { resolveAudienceForPreview } from '../audiences/resolve-audience.use-case';
import type { TenantContactsSnapshots } from '../audiences/tenant-contacts-snapshots';
import { DEFAULT_NUMBER_MPS, sendingNumberOf } from '../numbers/sender-numbers.use-case';
import type { CampaignDeps } from './campaign-deps';

type EstimateDeps = CampaignDeps & { snapshots?: TenantContactsSnapshots };

export type { CampaignEstimate };

/** Profiles are shared by every recipient with the same zones and hours: built once per kind, not per contact. */
class ProfileCache {
  private readonly profiles = new Map<string, SendTimeProfile>();
  constructor(
    private readonly settings: Settings,
    private readonly campaign: Pick<Campaign, 'messageType'>,
  ) {}
  of(contact: SendTimeContact): SendTimeProfile {
    const key = `${contact.timeZone}|${candidateTimeZones(contact.phone).join(',')}|${stateRuleOf(contact)?.state}`;
    let profile = this.profiles.get(key);
    if (!profile) {
      profile = sendTimeProfile(contact, this.settings.sendWindow, { messageType: this.campaign.messageType });
      this.profiles.set(key, profile);
    }
    return profile;
  }
}

/** The sender's rate: the number's limit or the tenant's lower setting (a tenant with no number: the least rate). */
async function rateOf(tenantId: string, settings: Settings, deps: EstimateDeps): Promise<number> {
  return (await sendingNumberOf(tenantId, settings, deps))?.mps ?? Math.min(DEFAULT_NUMBER_MPS, settings.mps);
}

/**
 * The finish-time estimate of a campaign that has not started: its eligible audience as it is now, each recipient's
 * hours (tenant window, legal hours, strict states, every zone of its number) and segments as rendered for it, the
 * sender's rate and the carrier's daily cap, from `start` (or, for a recipient-time-zone schedule, from each
 * recipient's own instant).
 */
export async function estimateFromAudience(
  tenantId: string,
  campaign: Campaign,
  plan: { start: Date; schedule: CampaignSchedule | null },
  deps: EstimateDeps,
): Promise<CampaignEstimate> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const ownTime = plan.schedule && 'recipientTimeZone' in plan.schedule ? plan.schedule.sendAt : undefined;
  // A test-then-winner remainder goes once the wait after the test share's launch ends.
  const remainderAt = campaign.abTest ? plan.start.getTime() + campaign.abTest.waitMinutes * 60_000 : undefined;
  const recipients = await audienceRecipients(tenantId, campaign, settings, deps, {
    ownInstant: (contact) => (ownTime ? localToInstant(ownTime, contact.timeZone).getTime() : undefined),
    remainderAt,
  });
  return finish(tenantId, settings, plan.start, recipients, 'audience', deps);
}

/**
 * The eligible audience as it is now, each with its hours and segments: its A/B variant's text (a test-then-winner
 * remainder, whose winner is not known yet, at the longest variant's), not before its own instant nor, for the
 * remainder, before `remainderAt`. `remainderOnly` keeps the remainder alone.
 */
async function audienceRecipients(
  tenantId: string,
  campaign: Campaign,
  settings: Settings,
  deps: EstimateDeps,
  plan: {
    ownInstant?: (contact: Contact) => number | undefined;
    remainderAt?: number | undefined;
    remainderOnly?: boolean;
  },
): Promise<EstimateRecipient[]> {
  const templates = (campaign.variants?.map((variant) => variant.body) ?? [campaign.body]).map((body) =>
    compileTemplate(appendOptOutFooter(body, settings, campaign.messageType)),
  );
  const percents = campaign.variants?.map((variant) => variant.percent);
  const profiles = new ProfileCache(settings, campaign);
  const recipients: EstimateRecipient[] = [];
  for await (const page of resolveAudienceForPreview(tenantId, campaign.audience, deps)) {
    for (const contact of page as Contact[]) {
      if (classifyEligibility(contact, settings, { messageType: campaign.messageType }) !== 'eligible') continue;
      const remainder =
        campaign.abTest !== null && abGroupOf(campaign.id, contact.id, campaign.abTest.testPercent) === 'remainder';
      if (plan.remainderOnly && !remainder) continue;
      const variant = percents ? assignVariant(campaign.id, contact.id, percents) : 0;
      const texts = remainder ? templates : [templates[variant] ?? (templates[0] as CompiledTemplate)];
      const segments = Math.max(...texts.map((template) => countSegments(template.render(contact))));
      const own = plan.ownInstant?.(contact);
      const notBefore = remainder && plan.remainderAt !== undefined ? Math.max(own ?? 0, plan.remainderAt) : own;
      recipients.push({ profile: profiles.of(contact), segments, ...(notBefore ? { notBefore } : {}) });
    }
  }
  return recipients;
}

/**
 * The live estimate of a sending (or paused) campaign: who still waits on the ledger, each judged by its number's
 * zones (the ledger keeps the phone, not the contact's stored zone) and held until its own `notBefore`, at the
 * campaign's segments per message so far.
 */
export async function estimateFromLedger(
  tenantId: string,
  campaign: Campaign,
  waiting: readonly Pick<LedgerEntry, 'phone' | 'notBefore'>[],
  deps: EstimateDeps,
  later: readonly EstimateRecipient[] = [],
): Promise<CampaignEstimate> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const profiles = new ProfileCache(settings, campaign);
  const { sent, segments } = campaign.counts;
  const perMessage = sent > 0 && segments > 0 ? Math.max(1, Math.round(segments / sent)) : 1;
  const recipients = waiting.map((entry): EstimateRecipient => {
    const timeZone = inferTimeZone(entry.phone) ?? settings.defaultTimeZone;
    const notBefore = entry.notBefore ? Date.parse(entry.notBefore) : undefined;
    return {
      profile: profiles.of({ phone: entry.phone, timeZone }),
      segments: perMessage,
      ...(notBefore ? { notBefore } : {}),
    };
  });
  return finish(tenantId, settings, deps.clock.now(), [...recipients, ...later], 'ledger', deps);
}

/**
 * A test-then-winner campaign still testing or waiting has its remainder off the ledger: the audience's remainder as
 * it is now, held until the wait ends. Read only for the estimate a user asks for (the results' live estimate keeps
 * to the ledger, so a results poll never resolves the audience).
 */
async function remainderStillToLaunch(
  tenantId: string,
  campaign: Campaign,
  deps: EstimateDeps,
): Promise<EstimateRecipient[]> {
  const { abTest, abTestState } = campaign;
  if (!abTest || (abTestState && abTestState.phase === 'sendingWinner')) return [];
  const { settings } = await deps.settings.getSettings(tenantId);
  const endsAt = abTestState?.testEndsAt ? Date.parse(abTestState.testEndsAt) : deps.clock.now().getTime();
  return audienceRecipients(tenantId, campaign, settings, deps, { remainderAt: endsAt, remainderOnly: true });
}

async function finish(
  tenantId: string,
  settings: Settings,
  start: Date,
  recipients: EstimateRecipient[],
  basis: CampaignEstimate['basis'],
  deps: EstimateDeps,
): Promise<CampaignEstimate> {
  const mps = await rateOf(tenantId, settings, deps);
  const dailyCapSegments = settings.carrierDailyCap?.segmentsPerDay ?? null;
  const estimate = estimateFinish({ start: start.getTime(), recipients, mps, dailyCapSegments });
  return { ...estimate, startsAt: start.toISOString(), mps, basis, dailyCapSegments };
}

/** A proposed send time for a draft's estimate: the query's `sendAt` with its zone, or the campaign's own schedule. */
export interface ProposedSend {
  sendAt?: string | undefined;
  timeZone?: string | undefined;
  recipientTimeZone?: true | undefined;
}

/**
 * `GET /v1/campaigns/{id}/estimate`: for a draft or scheduled campaign, when it would finish if sent now, at the
 * proposed time, or at its scheduled time; for a sending or paused one, when the rest will go.
 */
export async function estimateCampaign(
  tenantId: string,
  id: string,
  proposed: ProposedSend,
  deps: EstimateDeps,
): Promise<CampaignEstimate> {
  const stored = await deps.campaigns.getCampaign(tenantId, id);
  if (!stored) throw new NotFoundError('Campaign', id);
  const campaign = stored.campaign;
  if (proposed.sendAt !== undefined) assertMaySchedule(id, campaign);
  if (campaign.status === 'sending' || campaign.status === 'paused') {
    const [waiting, later] = await Promise.all([
      waitingEntries(tenantId, id, deps),
      remainderStillToLaunch(tenantId, campaign, deps),
    ]);
    return estimateFromLedger(tenantId, campaign, waiting, deps, later);
  }
  const now = deps.clock.now();
  const schedule: CampaignSchedule | null =
    proposed.sendAt === undefined
      ? campaign.status === 'scheduled'
        ? campaign.schedule
        : null
      : proposed.recipientTimeZone
        ? { sendAt: proposed.sendAt, recipientTimeZone: true }
        : {
            sendAt: proposed.sendAt,
            timeZone: proposed.timeZone ?? (await deps.settings.getSettings(tenantId)).settings.defaultTimeZone,
          };
  const start = schedule ? resolveSchedule(schedule, now).fireAt : now;
  return estimateFromAudience(tenantId, campaign, { start, schedule }, deps);
}

/** A proposed send time means something only for a campaign that has not started: 409 naming its state otherwise. */
function assertMaySchedule(id: string, campaign: Campaign): void {
  if (campaign.status === 'draft' || campaign.status === 'scheduled') return;
  const message = `Campaign ${id} is ${campaign.status}; a proposed sendAt applies only to a draft or scheduled campaign (leave it out for the estimate of the rest)`;
  throw new ConflictError('CAMPAIGN.INVALID_STATE', message, { status: campaign.status }, [
    { path: 'sendAt', message: `cannot be proposed for a ${campaign.status} campaign` },
  ]);
}

/** Every ledger entry that still waits to be sent. */
export async function waitingEntries(
  tenantId: string,
  id: string,
  deps: Pick<CampaignDeps, 'campaigns'>,
): Promise<LedgerEntry[]> {
  const waiting: LedgerEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.campaigns.listLedger(tenantId, id, {
      limit: 1000,
      cursor,
      status: ['queued', 'deferred', 'sending'],
    });
    waiting.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return waiting;
}

/** The warnings an estimate raises when a campaign is sent or scheduled. */
export function estimateWarnings(estimate: CampaignEstimate): CampaignWarning[] {
  const warnings: CampaignWarning[] = [];
  if (estimate.spillsPastWindow) {
    warnings.push({
      code: 'SPILLS_PAST_WINDOW',
      message: `At ${estimate.mps} messages a second, about ${estimate.waitingForNextWindow} of ${estimate.recipients} recipients will not be reached before their send window closes; they get the text when it next opens (the last at about ${estimate.lastSendAt}).`,
    });
  }
  if (estimate.overDailyCap > 0) {
    warnings.push({
      code: 'CARRIER_DAILY_CAP',
      message: `About ${estimate.overDailyCap} recipients fall past the carrier's daily cap of ${estimate.dailyCapSegments} segments on the day they go; the carrier will refuse them. Send to part of the audience today and the rest tomorrow.`,
    });
  }
  return warnings;
}
