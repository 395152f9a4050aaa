import { NotFoundError } from '../../domain/errors';
import type { Queue } from '../../ports/queue.port';
import type { RecountMessage } from './campaign-deps';

/**
 * Queues a recount of a campaign's counters from its ledger: done when it closes (sent), and again
 * when the receipt that settles its last pending message comes in. A recount repairs counters a
 * crashed writer left short.
 */
export async function requestRecount(tenantId: string, campaignId: string, deps: { queue: Queue }): Promise<void> {
  const body: RecountMessage = { kind: 'campaignRecount', tenantId, campaignId };
  await deps.queue.sendMessages('launch', [{ body }]);
}

/** `POST /v1/campaigns/{id}/reconcile`: queues one recount now (the results show `reconciledAt` once done). */
export async function requestRecountNow(
  tenantId: string,
  campaignId: string,
  deps: { queue: Queue; campaigns: { getCampaign(t: string, id: string): Promise<unknown> } },
): Promise<{ campaignId: string; status: 'recounting' }> {
  if (!(await deps.campaigns.getCampaign(tenantId, campaignId))) throw new NotFoundError('Campaign', campaignId);
  const body: RecountMessage = { kind: 'campaignRecount', tenantId, campaignId };
  await deps.queue.sendMessages('launch', [{ body }]);
  return { campaignId, status: 'recounting' };
}
