import type { LinkClickedEvent } from '../../domain/links/link-clicked-event';
import { countLinkClicks } from '../links/count-link-click.use-case';
import { enrollTriggered, triggeredWorkflows } from './enroll-triggered';
import { noteWorkflowClick } from './workflow-clicks';
import type { WorkflowDeps } from './workflow-deps';

/**
 * Counts people's clicks together (see countLinkClicks), then acts on each recipient's first click on a link: a
 * workflow text's tags the contact, and any click enrolls the contact in the active workflows it triggers. Whether a
 * click was a first is decided only where something acts on it (a workflow text, or an active `link_clicked`
 * workflow it would trigger): elsewhere a click is counted without a write of its own.
 */
export async function handleLinkClicks(
  events: LinkClickedEvent[],
  deps: WorkflowDeps,
  /** Where a click whose triggers failed goes (by default the error is thrown); its count stands. */
  onTriggerError: (event: LinkClickedEvent, error: unknown) => void = (_, error) => {
    throw error;
  },
): Promise<void> {
  const listened = new Set<LinkClickedEvent>();
  for (const event of events) {
    if (event.link.source.kind === 'workflow' || (await triggeredWorkflows(event, deps)).length > 0)
      listened.add(event);
  }
  const counts = await countLinkClicks(events, deps, (event) => listened.has(event));
  for (const [i, event] of events.entries()) {
    const count = counts[i];
    // Only a recipient's first counted click on a link goes on to the triggers.
    if (typeof count !== 'object' || !count.firstOnLink) continue;
    try {
      if (event.link.source.kind === 'workflow') await noteWorkflowClick(event, deps);
      await enrollTriggered(event, event.contactId, deps);
    } catch (error) {
      onTriggerError(event, error);
    }
  }
}
