import { classifyEligibility } from '../../domain/audience/eligibility';
import type { Campaign, CampaignWarning } from '../../domain/campaigns/campaign.schema';
import { localToInstant } from '../../domain/campaigns/schedule';
import { checkSendTime } from '../../domain/sending/send-window';
import { logger } from '../../middleware/logger';
import { resolveAudienceForPreview } from '../audiences/resolve-audience.use-case';
import type { TenantContactsSnapshots } from '../audiences/tenant-contacts-snapshots';
import { previewSms } from '../sms/preview-sms.use-case';
import type { CampaignDeps } from './campaign-deps';

/** Recipients whose send logs the recently-messaged warning reads at most. */
const RECENT_SAMPLE = 5_000;
const WEEK_MS = 7 * 86_400_000;

/**
 * Warnings about who the blast reaches at `sendAt`: recipients whose local time is outside the
 * window (they are deferred to its next opening, not dropped) and recipients who already got a
 * message in the last 7 days (over-blasting erodes trust and raises opt-outs).
 */
export async function audienceWarnings(
  tenantId: string,
  campaign: Campaign,
  sendAt: Date,
  deps: CampaignDeps & { snapshots?: TenantContactsSnapshots },
): Promise<CampaignWarning[]> {
  const { settings } = await deps.settings.getSettings(tenantId);
  let eligible = 0;
  let deferred = 0;
  const eligibleIds: string[] = [];
  for await (const page of resolveAudienceForPreview(tenantId, campaign.audience, deps)) {
    for (const contact of page) {
      if (classifyEligibility(contact, settings, { messageType: campaign.messageType }) !== 'eligible') continue;
      eligible++;
      eligibleIds.push(contact.id);
      const instant =
        campaign.schedule && 'recipientTimeZone' in campaign.schedule
          ? localToInstant(campaign.schedule.sendAt, contact.timeZone)
          : sendAt;
      if (!checkSendTime(instant, contact, settings.sendWindow, { messageType: campaign.messageType }).allowed) {
        deferred++;
      }
    }
  }
  const warnings: CampaignWarning[] = [];
  if (deferred > 0) {
    warnings.push({
      code: 'RECIPIENTS_DEFERRED',
      message: `${deferred} of ${eligible} recipients are outside the send window in their own time zone at the send time; they get the message when it next opens.`,
    });
  }
  const since = new Date(sendAt.getTime() - WEEK_MS).toISOString();
  // Every recipient up to a sample's size; beyond it an even sample, scaled (a warning, not a count to bill by).
  const step = Math.max(1, Math.ceil(eligibleIds.length / RECENT_SAMPLE));
  const sample = eligibleIds.filter((_, index) => index % step === 0);
  let recentInSample = 0;
  for (let i = 0; i < sample.length; i += 1000) {
    const logs = await deps.campaigns.getSendLogs(tenantId, sample.slice(i, i + 1000));
    for (const sends of logs.values()) if (sends.some((at) => at >= since)) recentInSample++;
  }
  if (recentInSample > 0) {
    const sampled = sample.length < eligibleIds.length;
    const recent = sampled ? Math.round((recentInSample / sample.length) * eligibleIds.length) : recentInSample;
    warnings.push({
      code: 'RECENTLY_MESSAGED',
      message: `${sampled ? 'About ' : ''}${recent} of ${eligible} recipients already got a message in the last 7 days${sampled ? ` (estimated from ${sample.length} of them)` : ''}; texting them again this soon raises opt-outs.`,
    });
  }
  return warnings;
}

/**
 * The composer's content warnings for the campaign's body over its audience (many segments, UCS-2 characters, no
 * opt-out, shouting...): the very preview `POST /v1/sms/preview` gives for the same body and audience, so a blast that
 * costs several segments a recipient says so when it is sent, not only while it is written.
 */
export async function contentWarnings(
  tenantId: string,
  campaign: Campaign,
  deps: CampaignDeps & { snapshots?: TenantContactsSnapshots },
): Promise<CampaignWarning[]> {
  const preview = await previewSms(
    tenantId,
    {
      body: campaign.body,
      messageType: campaign.messageType,
      audiencePages: resolveAudienceForPreview(tenantId, campaign.audience, deps),
    },
    deps,
  );
  return preview.warnings;
}

/** {@link contentWarnings} without failing the others: a body refused since (a lowered `maxSegments`) gives none. */
export async function contentWarningsOrNone(
  tenantId: string,
  campaign: Campaign,
  deps: CampaignDeps & { snapshots?: TenantContactsSnapshots },
): Promise<CampaignWarning[]> {
  return contentWarnings(tenantId, campaign, deps).catch((error: unknown) => {
    logger.warn('content warnings could not be computed', { error: error as Error });
    return [];
  });
}
