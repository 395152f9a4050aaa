import type { Workflow } from '../../domain/workflows/workflow.schema';
import type { WorkflowDeps } from './workflow-deps';

/** Versions an enrollment runs on never change once it exists, so a process keeps the ones it has read. */
const cache = new Map<string, Workflow>();
const MAX_CACHED = 500;

/** The definition of one version of a workflow (what an enrollment on that version follows). */
export async function loadWorkflowVersion(
  tenantId: string,
  workflowId: string,
  version: number,
  deps: Pick<WorkflowDeps, 'workflows'>,
): Promise<Workflow | undefined> {
  const key = `${tenantId}\u0000${workflowId}\u0000${version}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const loaded = await deps.workflows.getWorkflowVersion(tenantId, workflowId, version);
  if (!loaded) return undefined;
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, loaded);
  return loaded;
}
