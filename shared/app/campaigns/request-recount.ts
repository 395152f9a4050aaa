import type { Queue } from '../../ports/queue.port';
import type { RecountMessage } from './campaign-deps';

/** Seconds after closing for the second recount: most receipts of the last sends are in by then. */
const LATE_RECOUNT_DELAY_SECONDS = 900;

/**
 * Queues the recounts a campaign gets when it closes (sent or cancelled): one now, and one when
 * the last receipts are in. A recount repairs counters a crashed writer left short.
 */
export async function requestRecount(tenantId: string, campaignId: string, deps: { queue: Queue }): Promise<void> {
  const body: RecountMessage = { kind: 'campaignRecount', tenantId, campaignId };
  await deps.queue.sendMessages('launch', [{ body }, { body, delaySeconds: LATE_RECOUNT_DELAY_SECONDS }]);
}
