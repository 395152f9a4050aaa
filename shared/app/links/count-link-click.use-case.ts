import { SCANNER_WINDOW_MS } from '../../domain/links/click-filter';
import type { LinkClickedEvent } from '../../domain/links/link-clicked-event';
import type { CountedClick, LinkStore } from '../../ports/link-store.port';

/**
 * Counts a person's click from the `events` queue: on the recipient's ledger entry for a campaign text (unless its
 * delivery receipt is within the scanner window before the click), on the link itself for a workflow text. Once per
 * click, however often the event is delivered; undefined when not counted.
 */
export async function countLinkClick(
  event: LinkClickedEvent,
  deps: { links: LinkStore },
): Promise<CountedClick | undefined> {
  const click = { link: event.link, clickId: event.clickId, at: event.at };
  if (event.link.source.kind === 'campaign') {
    const deliveredBy = new Date(Date.parse(event.at) - SCANNER_WINDOW_MS).toISOString();
    return deps.links.recordCampaignClick(click, deliveredBy);
  }
  return deps.links.recordLinkClick(click);
}
