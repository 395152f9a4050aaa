/**
 * Link shorteners whose shared domains carriers filter, because spammers hide destinations behind them.
 * A branded short domain (your own) is the fix.
 */
export const FILTERED_LINK_SHORTENERS: readonly string[] = [
  'bit.ly',
  'tinyurl.com',
  'goo.gl',
  'ow.ly',
  't.co',
  'is.gd',
  'v.gd',
  'buff.ly',
  'rebrand.ly',
  'cutt.ly',
  'shorturl.at',
  'tiny.cc',
  't.ly',
  'rb.gy',
  'bl.ink',
  's.id',
  'lnkd.in',
  'shorte.st',
  'adf.ly',
  'x.co',
  'tr.im',
  'clck.ru',
  'soo.gd',
  'dlvr.it',
  'po.st',
];

const COMMON_TLDS = [
  'com',
  'net',
  'org',
  'edu',
  'gov',
  'io',
  'co',
  'us',
  'uk',
  'ca',
  'au',
  'de',
  'fr',
  'nl',
  'eu',
  'info',
  'biz',
  'app',
  'dev',
  'shop',
  'store',
  'online',
  'site',
  'link',
  'xyz',
  'ai',
  'tv',
  'page',
  'click',
  'live',
  'club',
];

const TLDS = [...new Set([...COMMON_TLDS, ...FILTERED_LINK_SHORTENERS.map((domain) => domain.split('.').pop()!)])];

/** A URL with a scheme, or a bare host name ending in a familiar top-level domain, with an optional path. */
const LINK = new RegExp(
  `(?<![\\w@.-])(?:https?:\\/\\/[^\\s<>"']+|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+(?:${TLDS.join('|')})(?![\\w-])(?:[/?#][^\\s<>"']*)?)`,
  'giu',
);
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/u;

/** Links in a text as written (trailing sentence punctuation dropped), so calls to action and shorteners can be judged. */
export function findLinks(text: string): string[] {
  return [...text.matchAll(LINK)].map((match) => match[0].replace(TRAILING_PUNCTUATION, ''));
}

/** The lower-case host of a link, without `www.`. */
export function hostOf(link: string): string {
  const host = link.replace(/^https?:\/\//i, '').split(/[/?#:]/, 1)[0]!;
  return host.toLowerCase().replace(/^www\./, '');
}

/** The filtered shortener a link goes through, or null. */
export function linkShortenerOf(link: string): string | null {
  const host = hostOf(link);
  return FILTERED_LINK_SHORTENERS.find((domain) => host === domain || host.endsWith(`.${domain}`)) ?? null;
}
