import type { CampaignStore } from '../../ports/campaign-store.port';
import type { LinkStore } from '../../ports/link-store.port';
import type { NumberRegistry } from '../../ports/number-registry.port';
import type { RateBudget } from '../../ports/rate-budget.port';
import type { Scheduler } from '../../ports/scheduler.port';
import type { SmsGateway } from '../../ports/sms-gateway.port';
import type { WorkflowStore } from '../../ports/workflow-store.port';
import type { ContactsDeps } from '../contacts/contacts-deps';

/**
 * The ports the workflow use cases need: the contact ports (steps change tags through the contact use cases), the
 * campaign store for the send log shared with campaigns (frequency cap, reply attribution), the queue and scheduler
 * for timers, and the carrier with the same pacer as campaigns.
 */
export interface WorkflowDeps extends ContactsDeps {
  workflows: WorkflowStore;
  campaigns: Pick<CampaignStore, 'recordSend' | 'indexSentMessage'>;
  queue: NonNullable<ContactsDeps['queue']>;
  scheduler: Scheduler;
  gateway: SmsGateway;
  pacer: RateBudget;
  /** Tracked links: where they are stored, and the deployment's short-link base. */
  links: LinkStore;
  shortLinkBaseUrl: () => string | undefined;
  configurationSetName?: string | undefined;
  /** The operator's sender numbers: which number the tenant's texts go out from. */
  numbers: NumberRegistry;
}
