import { NotFoundError } from '../../domain/errors';
import type { LinkClickedEvent } from '../../domain/links/link-clicked-event';
import { addContactTags } from '../contacts/contact-tags.use-case';
import type { WorkflowDeps } from './workflow-deps';

/** The tag a contact gets on its first click on a tracked link of a workflow's text: what "clicked in it" reads. */
export const workflowClickTag = (workflowId: string) => `clicked:${workflowId}`;

/**
 * Notes a person's click on a workflow text's link on the contact, as the tag `clicked:<workflowId>`: an `if` step
 * branches on "clicked in this workflow" with the condition `{field: "tags", op: "contains", value:
 * "clicked:<workflowId>"}`, and a Smart List can gather them. The tag is added by the workflow (it does not enroll
 * the contact in that workflow again).
 */
export async function noteWorkflowClick(event: LinkClickedEvent, deps: WorkflowDeps): Promise<void> {
  if (event.link.source.kind !== 'workflow') return;
  const { workflowId } = event.link.source;
  await addContactTags(event.tenantId, event.contactId, [workflowClickTag(workflowId)], deps, workflowId).catch(
    (error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    },
  );
}
