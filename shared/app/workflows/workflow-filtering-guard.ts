import {
  BREAKER,
  bucketOf,
  type FilteringTally,
  filteringEvidence,
  judgeScope,
} from '../../domain/campaigns/carrier-filtering';
import { logger } from '../../middleware/logger';
import type { Clock } from '../../ports/clock.port';
import type { FilteringStatsStore } from '../../ports/filtering-stats.port';
import type { WorkflowStore } from '../../ports/workflow-store.port';
import { pauseWorkflow } from './workflow-definitions.use-case';
import type { WorkflowDeps } from './workflow-deps';

export type WorkflowGuardDeps = Pick<WorkflowDeps, 'clock' | 'ids' | 'queue' | 'settings'> & {
  workflows: WorkflowStore;
  filtering: FilteringStatsStore;
  clock: Clock;
};

/**
 * The carrier-filtering breaker of one workflow: the same tallies, window, thresholds and evidence as a campaign's
 * (see carrier-filtering-guard), judged over the workflow's texts since it was last changed or resumed; a trip pauses
 * the workflow (`pauseReason: carrierFiltering`): nothing new enrolls and running enrollments hold until a person
 * activates it again.
 */
export async function guardWorkflowFiltering(
  tenantId: string,
  workflowId: string,
  tally: FilteringTally,
  deps: WorkflowGuardDeps,
): Promise<boolean> {
  if (tally.settled === 0) return false;
  const workflow = (await deps.workflows.getWorkflow(tenantId, workflowId))?.workflow;
  const now = deps.clock.now().getTime();
  const since = Math.max(now - BREAKER.windowMs, workflow ? Date.parse(workflow.updatedAt) : 0);
  const stats = await deps.filtering.addTally(tenantId, `WF#${workflowId}`, bucketOf(now), tally, since);
  if (workflow?.status !== 'active') return false;
  const { window, judgement } = judgeScope(stats, since);
  if (!judgement.trip) return false;
  const evidence = filteringEvidence(window, judgement, 'workflow');
  await pauseWorkflow(tenantId, workflowId, deps, 'carrierFiltering', evidence);
  logger.warn('workflow paused by a guard', { tenantId, workflowId, pauseReason: 'carrierFiltering', evidence });
  return true;
}
