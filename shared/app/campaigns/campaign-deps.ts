import type { CampaignStore } from '../../ports/campaign-store.port';
import type { Clock } from '../../ports/clock.port';
import type { ContactStore } from '../../ports/contact-store.port';
import type { IdGenerator } from '../../ports/id-generator.port';
import type { LinkStore } from '../../ports/link-store.port';
import type { NumberRegistry } from '../../ports/number-registry.port';
import type { Queue } from '../../ports/queue.port';
import type { RateBudget } from '../../ports/rate-budget.port';
import type { Scheduler } from '../../ports/scheduler.port';
import type { SettingsStore } from '../../ports/settings-store.port';
import type { SmartListStore } from '../../ports/smart-list-store.port';
import type { SmsGateway } from '../../ports/sms-gateway.port';

/** The ports the campaign use cases need. */
export interface CampaignDeps {
  campaigns: CampaignStore;
  contacts: ContactStore;
  settings: SettingsStore;
  smartLists: SmartListStore;
  queue: Queue;
  scheduler: Scheduler;
  clock: Clock;
  ids: IdGenerator;
  /** The operator's sender numbers: which number a tenant sends from. */
  numbers: NumberRegistry;
}

/** What the send worker needs on top: the carrier, and the sender number's rate budget. */
export interface SendDeps extends CampaignDeps {
  gateway: SmsGateway;
  pacer: RateBudget;
  /** Tracked links: where they are stored, and the deployment's short-link base. */
  links: LinkStore;
  shortLinkBaseUrl: () => string | undefined;
  configurationSetName?: string | undefined;
}

/** Recipients per send-queue message: a message is the unit a worker claims, sends and retries. */
export const RECIPIENTS_PER_MESSAGE = 50;

/** The payload of a send-queue message. */
export interface SendBatchMessage {
  kind: 'campaignSend';
  tenantId: string;
  campaignId: string;
  contactIds: string[];
}

/** The payload of a launch-queue message (also what a campaign's schedule delivers). */
export interface LaunchMessage {
  kind: 'campaignLaunch';
  tenantId: string;
  campaignId: string;
  /** Set when the campaign's watchdog sends it: the progress it saw last time, and how many looks found none. */
  watchdog?: { progress: string; quietLooks: number } | undefined;
}

/** A launch-queue message asking for a recount of a campaign's counters from its ledger. */
export interface RecountMessage {
  kind: 'campaignRecount';
  tenantId: string;
  campaignId: string;
}
