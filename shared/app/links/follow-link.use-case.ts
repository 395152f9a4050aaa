import { randomUUID } from 'node:crypto';
import { isAutomatedAgent, SCANNER_WINDOW_MS } from '../../domain/links/click-filter';
import type { LinkClickedEvent } from '../../domain/links/link-clicked-event';
import { SHORT_CODE } from '../../domain/links/tracked-link.schema';
import type { LinkStore } from '../../ports/link-store.port';
import type { Queue } from '../../ports/queue.port';
import type { LinkDeps } from './link-deps';

export interface LinkClick {
  code: string;
  userAgent: string | undefined;
}

/** Where a click goes, and whether it went to be counted (a person's click, not a previewer's or a scanner's). */
export interface FollowedLink {
  url: string;
  counting: boolean;
}

/**
 * Follows a short link: the original URL for a known, unexpired code (undefined otherwise: a 404, never a redirect to
 * anything the code does not name). A click a person made goes on the `events` queue to be counted (see
 * countLinkClick), so the redirect costs one read; previewers and scanners are filtered here by user agent and by
 * the time since the text went out, and against its delivery receipt when counted.
 */
export async function followLink(
  click: LinkClick,
  deps: Pick<LinkDeps, 'clock'> & { links: Pick<LinkStore, 'getLink'>; queue: Queue },
): Promise<FollowedLink | undefined> {
  if (!SHORT_CODE.test(click.code)) return undefined;
  const now = deps.clock.now();
  const link = await deps.links.getLink(click.code, now);
  if (!link) return undefined;
  const counting = !isAutomatedAgent(click.userAgent) && now.getTime() >= Date.parse(link.sentAt) + SCANNER_WINDOW_MS;
  if (counting) {
    const event: LinkClickedEvent = {
      kind: 'linkClicked',
      tenantId: link.tenantId,
      contactId: link.contactId,
      clickId: randomUUID(),
      at: now.toISOString(),
      link,
    };
    await deps.queue.sendMessages('events', [{ body: event }]);
  }
  return { url: link.url, counting };
}
