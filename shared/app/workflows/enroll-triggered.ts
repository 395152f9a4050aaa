import { eventTriggers } from '../../domain/workflows/triggers';
import type { Workflow } from '../../domain/workflows/workflow.schema';
import type { WorkflowEvent } from '../../domain/workflows/workflow-event.schema';
import { enrollContact } from './enroll-contact.use-case';
import type { WorkflowDeps } from './workflow-deps';

/** The tenant's active workflows (the list is cached per batch by batched-io). */
export async function activeWorkflows(tenantId: string, deps: WorkflowDeps): Promise<Workflow[]> {
  return (await deps.workflows.listAllWorkflows(tenantId)).filter((workflow) => workflow.status === 'active');
}

/** The active workflows an event enrolls its contact in. */
export async function triggeredWorkflows(event: WorkflowEvent, deps: WorkflowDeps): Promise<Workflow[]> {
  return (await activeWorkflows(event.tenantId, deps)).filter((workflow) => eventTriggers(workflow, event));
}

/** Enrolls the event's contact in the active workflows the event triggers. */
export async function enrollTriggered(event: WorkflowEvent, contactId: string, deps: WorkflowDeps): Promise<void> {
  for (const workflow of await triggeredWorkflows(event, deps)) {
    await enrollContact(event.tenantId, workflow, contactId, deps);
  }
}
