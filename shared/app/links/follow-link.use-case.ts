import { isAutomatedAgent, SCANNER_WINDOW_MS } from '../../domain/links/click-filter';
import { SHORT_CODE, type TrackedLink } from '../../domain/links/tracked-link.schema';
import { logger } from '../../middleware/logger';
import type { CountedClick } from '../../ports/link-store.port';
import type { LinkDeps } from './link-deps';

export interface LinkClick {
  code: string;
  userAgent: string | undefined;
}

/** Where a click goes and whether it was counted (`firstOnLink`: the recipient's first counted click on the link). */
export interface FollowedLink {
  url: string;
  link: TrackedLink;
  counted: CountedClick | undefined;
}

/**
 * Follows a short link: the original URL for a known, unexpired code (undefined otherwise: a 404, never a redirect
 * to anything the code does not name), and the click counted when a person made it (see click-filter). Counting is
 * best effort: a failed write is logged and the person still gets where they were going.
 */
export async function followLink(click: LinkClick, deps: LinkDeps): Promise<FollowedLink | undefined> {
  if (!SHORT_CODE.test(click.code)) return undefined;
  const now = deps.clock.now();
  const link = await deps.links.getLink(click.code, now);
  if (!link) return undefined;
  let counted: CountedClick | undefined;
  try {
    counted = await countClick(link, click, now, deps);
  } catch (error) {
    logger.error('click not counted', { error: error as Error, tenantId: link.tenantId });
  }
  return { url: link.url, link, counted };
}

async function countClick(link: TrackedLink, click: LinkClick, now: Date, deps: LinkDeps) {
  // Previewers and scanners: by user agent, and by opening the link within the window after the text went out.
  if (isAutomatedAgent(click.userAgent)) return undefined;
  if (now.getTime() < Date.parse(link.sentAt) + SCANNER_WINDOW_MS) return undefined;
  const at = now.toISOString();
  if (link.source.kind === 'campaign') {
    // ...or within the window after its delivery receipt: checked by the write itself, against the ledger entry.
    const deliveredBy = new Date(now.getTime() - SCANNER_WINDOW_MS).toISOString();
    return deps.links.recordCampaignClick(link, at, deliveredBy);
  }
  return deps.links.recordLinkClick(link, at);
}
