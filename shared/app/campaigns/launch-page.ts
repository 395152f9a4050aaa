import { classifyEligibility } from '../../domain/audience/eligibility';
import { abGroupOf } from '../../domain/campaigns/ab-test';
import type { Campaign } from '../../domain/campaigns/campaign.schema';
import type { LedgerEntry } from '../../domain/campaigns/ledger.schema';
import { localToInstant } from '../../domain/campaigns/schedule';
import { assignVariant } from '../../domain/campaigns/variants';
import type { Contact } from '../../domain/contacts/contact.schema';
import type { Settings } from '../../domain/settings/settings.schema';
import { type CampaignDeps, RECIPIENTS_PER_MESSAGE, type SendBatchMessage } from './campaign-deps';
import { LEASE_MS } from './launch-lease';
import { LedgerCounter } from './ledger-counter';

/**
 * Puts one audience page on the ledger: each new recipient screened (consent, phone, frequency cap) into `queued`
 * or `skipped`, created only if absent (a second launcher on the same page never resets an entry a worker already
 * claimed, and counts only its own), and counted right after it is written. Returns whom to queue: the recipients
 * it created as `queued`, and those a crashed run created but may never have queued. Undefined: the campaign is gone.
 */
export async function launchPage(
  tenantId: string,
  campaign: Campaign,
  contacts: Contact[],
  settings: Settings,
  deps: CampaignDeps,
): Promise<string[] | undefined> {
  const existing = await deps.campaigns.getLedgerEntries(
    tenantId,
    campaign.id,
    contacts.map((c) => c.id),
  );
  // A contact met twice (several tag partitions, or a page re-read after a crash) is queued once.
  const fresh = contacts.filter((c, i, all) => !existing.has(c.id) && all.findIndex((o) => o.id === c.id) === i);
  const entries = await screenNewRecipients(tenantId, campaign, fresh, settings, deps);
  const counter = await LedgerCounter.begin(deps, tenantId, campaign.id, LEASE_MS);
  if (!counter) return undefined;
  const created = await deps.campaigns.putLedgerEntries(tenantId, entries);
  counter.created(created);
  await counter.finish();
  const queued = created.filter((entry) => entry.status === 'queued').map((entry) => entry.contactId);
  for (const [contactId, entry] of existing) if (entry.status === 'queued') queued.push(contactId);
  return queued;
}

/** New ledger entries for a page's new recipients: `queued` (not before a recipient-time-zone schedule) or `skipped`. */
async function screenNewRecipients(
  tenantId: string,
  campaign: Campaign,
  contacts: Contact[],
  settings: Settings,
  deps: CampaignDeps,
): Promise<LedgerEntry[]> {
  const now = deps.clock.now();
  const promotional = campaign.messageType === 'PROMOTIONAL';
  const logs = promotional
    ? await deps.campaigns.getSendLogs(
        tenantId,
        contacts.map((c) => c.id),
      )
    : new Map<string, string[]>();
  const capWindowStart = new Date(now.getTime() - settings.frequencyCap.perHours * 3_600_000).toISOString();
  const schedule = campaign.schedule;
  const percents = campaign.variants?.map((variant) => variant.percent);
  return contacts.map((contact): LedgerEntry => {
    const recent = (logs.get(contact.id) ?? []).filter((at) => at >= capWindowStart).length;
    const eligibility = classifyEligibility(contact, settings, {
      messageType: campaign.messageType,
      recentMessageCount: promotional ? recent : undefined,
    });
    const base = {
      campaignId: campaign.id,
      contactId: contact.id,
      phone: contact.phone,
      queuedAt: now.toISOString(),
      ...(contact.tags.length ? { tags: contact.tags } : {}),
      // Fixed here, once: the entry is created only if none exists, so a relaunch or retry never changes it.
      ...variantOf(campaign, contact.id, percents),
    };
    if (eligibility !== 'eligible') return { ...base, status: 'skipped', reason: eligibility };
    const notBefore =
      schedule && 'recipientTimeZone' in schedule ? localToInstant(schedule.sendAt, contact.timeZone) : undefined;
    return {
      ...base,
      status: 'queued',
      ...(notBefore && notBefore > now ? { notBefore: notBefore.toISOString() } : {}),
    };
  });
}

/**
 * The variant a new recipient gets: by the hash of a split; with test-then-winner, by the hash in the test share and
 * the picked winner in the remainder (launched only once it is picked).
 */
function variantOf(
  campaign: Campaign,
  contactId: string,
  percents: number[] | undefined,
): Pick<LedgerEntry, 'variant' | 'abGroup'> {
  if (!percents) return {};
  if (!campaign.abTest) return { variant: assignVariant(campaign.id, contactId, percents) };
  const abGroup = abGroupOf(campaign.id, contactId, campaign.abTest.testPercent);
  if (abGroup === 'test') return { abGroup, variant: assignVariant(campaign.id, contactId, percents) };
  const winner = campaign.abTestState?.winner;
  if (!winner) throw new Error(`campaign ${campaign.id}: a remainder recipient launched before the winner was picked`);
  return { abGroup, variant: winner.variant };
}

/** Queues recipients for the send workers, a queue message per group. */
export async function enqueueRecipients(
  tenantId: string,
  campaignId: string,
  contactIds: string[],
  deps: Pick<CampaignDeps, 'queue'>,
): Promise<void> {
  const messages: { body: SendBatchMessage }[] = [];
  for (let i = 0; i < contactIds.length; i += RECIPIENTS_PER_MESSAGE) {
    messages.push({
      body: { kind: 'campaignSend', tenantId, campaignId, contactIds: contactIds.slice(i, i + RECIPIENTS_PER_MESSAGE) },
    });
  }
  await deps.queue.sendMessages('send', messages);
}
