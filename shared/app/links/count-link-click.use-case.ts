import { SCANNER_WINDOW_MS } from '../../domain/links/click-filter';
import type { LinkClickedEvent } from '../../domain/links/link-clicked-event';
import type { COUNTED, CountedClick, LinkStore } from '../../ports/link-store.port';

/** What counting one click did: not counted (undefined), counted, or counted with its firsts decided. */
export type ClickCount = CountedClick | typeof COUNTED | undefined;

/**
 * Counts people's clicks from the `events` queue, each once however often its event is delivered: a campaign
 * text's clicks together (one read and a batch write for them all), unless its delivery receipt is within the
 * scanner window before the click; a workflow text's on the link itself. `decideFirst` says which clicks need to
 * know whether they were the recipient's first (workflow texts' always do). Answers in the events' order.
 */
export async function countLinkClicks(
  events: LinkClickedEvent[],
  deps: { links: LinkStore },
  decideFirst: (event: LinkClickedEvent) => boolean = () => true,
): Promise<ClickCount[]> {
  const counts: ClickCount[] = events.map(() => undefined);
  const campaign = events.flatMap((event, i) => (event.link.source.kind === 'campaign' ? [i] : []));
  // In click order, so that of two clicks counted together the earlier one is the first.
  const at = (i: number) => (events[i] as LinkClickedEvent).at;
  campaign.sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : a - b));
  const counted = await deps.links.recordCampaignClicks(
    campaign.map((i) => {
      const event = events[i] as LinkClickedEvent;
      const deliveredBy = new Date(Date.parse(event.at) - SCANNER_WINDOW_MS).toISOString();
      return { link: event.link, clickId: event.clickId, at: event.at, deliveredBy, decideFirst: decideFirst(event) };
    }),
  );
  campaign.forEach((i, n) => {
    counts[i] = counted[n];
  });
  for (const [i, event] of events.entries()) {
    if (event.link.source.kind === 'campaign') continue;
    counts[i] = await deps.links.recordLinkClick({ link: event.link, clickId: event.clickId, at: event.at });
  }
  return counts;
}

/** Counts one click, deciding whether it was the recipient's first; undefined when not counted. */
export async function countLinkClick(
  event: LinkClickedEvent,
  deps: { links: LinkStore },
): Promise<CountedClick | undefined> {
  const [count] = await countLinkClicks([event], deps);
  return typeof count === 'object' ? count : undefined;
}
