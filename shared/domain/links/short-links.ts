import { findTrackableLinks } from './tracked-urls';

/** Characters of a short code: 9 random bytes in base64url, 72 bits (see the code generator). */
export const SHORT_CODE_LENGTH = 12;
/** The path short links are served under, on the API's domain or a tenant's own short domain. */
export const SHORT_LINK_PATH = '/l/';

/**
 * Where a tenant's short links point: `https://<shortLinkDomain>/l/` for a tenant with its own domain (a CNAME to
 * the API), else the deployment's default (locally `http://127.0.0.1:3000/l/`).
 */
export function shortLinkBase(shortLinkDomain: string | null, defaultBase: string): string {
  if (shortLinkDomain) return `https://${shortLinkDomain}${SHORT_LINK_PATH}`;
  return defaultBase.endsWith('/') ? defaultBase : `${defaultBase}/`;
}

/** One link of a message as sent: its position among the message's links, the original and its code. */
export interface ShortenedLink {
  index: number;
  url: string;
  code: string;
}

/**
 * Replaces each link of a rendered message by `<base><code>`, the code from `codeFor` (one per link and recipient).
 * Links are replaced in order of appearance; the same URL twice gets two codes (two places to click).
 */
export function shortenLinks(
  text: string,
  base: string,
  codeFor: (url: string, index: number) => string,
): { text: string; links: ShortenedLink[] } {
  const links: ShortenedLink[] = [];
  let out = '';
  let cursor = 0;
  for (const link of findTrackableLinks(text)) {
    const at = text.indexOf(link, cursor);
    if (at < 0) continue;
    const code = codeFor(link, links.length);
    links.push({ index: links.length, url: link, code });
    out += text.slice(cursor, at) + base + code;
    cursor = at + link.length;
  }
  return { text: out + text.slice(cursor), links };
}

/**
 * The text as it will be counted before any code exists: each link replaced by the short link with a fixed-length
 * placeholder code. Codes always have {@link SHORT_CODE_LENGTH} GSM-7 characters, so the count is exact.
 */
export function withPlaceholderLinks(text: string, base: string): string {
  return shortenLinks(text, base, () => 'x'.repeat(SHORT_CODE_LENGTH)).text;
}
