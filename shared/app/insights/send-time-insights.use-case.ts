import type { CampaignWarning } from '../../domain/campaigns/campaign.schema';
import {
  farFromBestWindows,
  type SendSample,
  type SendTimeInsights,
  sendTimeInsights,
} from '../../domain/insights/send-times';
import { inferTimeZone } from '../../domain/phone/time-zone';
import type { CampaignStore } from '../../ports/campaign-store.port';
import type { SettingsStore } from '../../ports/settings-store.port';

export interface InsightDeps {
  campaigns: Pick<CampaignStore, 'listCampaigns' | 'listLedger'>;
  settings: SettingsStore;
}

/** The most texts of the history read (the latest campaigns first): enough to rank 168 hours, bounded in cost. */
const MAX_SAMPLES = 20_000;

/**
 * The tenant's campaign texts that went out, each with its recipient's zone (by the number, as the ledger keeps the
 * phone; else the tenant's) and whether it drew a reply: one Query per campaign, newest campaigns first.
 */
async function sendHistory(tenantId: string, deps: InsightDeps): Promise<SendSample[]> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const samples: SendSample[] = [];
  let campaignCursor: string | undefined;
  do {
    const campaigns = await deps.campaigns.listCampaigns(tenantId, { limit: 100, cursor: campaignCursor });
    for (const campaign of campaigns.items) {
      if (!campaign.launchedAt) continue;
      let cursor: string | undefined;
      do {
        const page = await deps.campaigns.listLedger(tenantId, campaign.id, {
          limit: 1000,
          cursor,
          status: ['sent', 'delivered'],
        });
        for (const entry of page.items) {
          if (!entry.sentAt) continue;
          const timeZone = inferTimeZone(entry.phone) ?? settings.defaultTimeZone;
          samples.push({ sentAt: entry.sentAt, timeZone, replied: entry.repliedAt !== undefined });
          if (samples.length >= MAX_SAMPLES) return samples;
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    campaignCursor = campaigns.nextCursor ?? undefined;
  } while (campaignCursor);
  return samples;
}

/** `GET /v1/insights/send-times`: the best recipient-local hours by the tenant's own replies, or not enough data. */
export async function getSendTimeInsights(tenantId: string, deps: InsightDeps): Promise<SendTimeInsights> {
  return sendTimeInsights(await sendHistory(tenantId, deps));
}

/** A campaign warning when the chosen time (read in `timeZone`) is far from the tenant's best windows. */
export async function bestTimeWarnings(
  tenantId: string,
  instant: Date,
  timeZone: string,
  deps: InsightDeps,
): Promise<CampaignWarning[]> {
  const note = farFromBestWindows(await getSendTimeInsights(tenantId, deps), instant, timeZone);
  return note ? [{ code: 'FAR_FROM_BEST_SEND_TIME', message: note }] : [];
}
