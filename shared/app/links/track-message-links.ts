import { shortenLinks, shortLinkBase } from '../../domain/links/short-links';
import type { LinkSource, TrackedLink } from '../../domain/links/tracked-link.schema';
import { absoluteUrl } from '../../domain/links/tracked-urls';
import type { Settings } from '../../domain/settings/settings.schema';
import { logger } from '../../middleware/logger';
import type { LinkDeps } from './link-deps';
import { newShortCode } from './short-code';

const DAY_MS = 86_400_000;

/**
 * Replaces the links of one rendered text by short links unique to this recipient and text, and stores them before
 * the text goes (so no code reaches anyone that the redirect does not know). Without a short-link base (no tenant
 * domain, none configured) the text goes with its links as written.
 */
export async function trackMessageLinks(
  text: string,
  recipient: { tenantId: string; contactId: string; source: LinkSource },
  settings: Pick<Settings, 'shortLinkDomain' | 'linkRetentionDays'>,
  deps: LinkDeps,
): Promise<string> {
  const defaultBase = deps.shortLinkBaseUrl();
  if (!settings.shortLinkDomain && !defaultBase) {
    logger.warn('links not tracked: no short-link domain configured', { tenantId: recipient.tenantId });
    return text;
  }
  const base = shortLinkBase(settings.shortLinkDomain, defaultBase ?? '');
  const shortened = shortenLinks(text, base, () => newShortCode());
  if (shortened.links.length === 0) return text;
  const now = deps.clock.now();
  const validUntil = new Date(now.getTime() + settings.linkRetentionDays * DAY_MS).toISOString();
  const links: TrackedLink[] = shortened.links.map((link) => ({
    code: link.code,
    tenantId: recipient.tenantId,
    contactId: recipient.contactId,
    source: recipient.source,
    index: link.index,
    url: absoluteUrl(link.url),
    sentAt: now.toISOString(),
    validUntil,
  }));
  await deps.links.saveLinks(links);
  return shortened.text;
}
