import { findLinks } from '../sms/links';

/** Longest URL a text may carry: what browsers and link previewers reliably handle. */
export const MAX_URL_LENGTH = 2048;

/** Any `scheme://...` in a text, so a link with a scheme other than http(s) is caught rather than left alone. */
const ANY_SCHEME_URL = /(?<![\w.+-])[a-z][a-z0-9+.-]{0,30}:\/\/[^\s<>"']+/giu;
const PLACEHOLDER = /\{\{[^}]*\}\}/g;

/**
 * The links of a text that tracking replaces, as written (trailing punctuation dropped), in order: URLs with an
 * http(s) scheme and bare host names such as `example.com/offer` (sent as https).
 */
export function findTrackableLinks(text: string): string[] {
  return findLinks(text);
}

/** A link as the redirect sends people to it: a bare host name gets `https://`. */
export function absoluteUrl(link: string): string {
  return /^https?:\/\//i.test(link) ? link : `https://${link}`;
}

/**
 * What is wrong with a link in a text, or null: only http and https, at most {@link MAX_URL_LENGTH} characters, no
 * user name or password in it (carriers filter them, and a password in a text leaks). Template placeholders in it
 * stand for a contact's value and are read as plain letters.
 */
export function urlIssue(link: string): string | null {
  const absolute = absoluteUrl(link.replace(PLACEHOLDER, 'x'));
  if (link.length > MAX_URL_LENGTH) return `has a link longer than ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return `has a link that is not a valid URL: ${shortened(link)}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `has a link that is not http or https: ${shortened(link)}`;
  if (url.username !== '' || url.password !== '') {
    return 'has a link with a user name or password in it (user:password@host); remove them';
  }
  return null;
}

/** The problems of every link in a text (scheme, length, credentials), each once. */
export function linkIssues(text: string): string[] {
  const issues = new Set<string>();
  for (const match of text.matchAll(ANY_SCHEME_URL)) {
    if (!/^https?:\/\//i.test(match[0])) issues.add(`has a link that is not http or https: ${shortened(match[0])}`);
  }
  for (const link of findTrackableLinks(text)) {
    const issue = urlIssue(link);
    if (issue) issues.add(issue);
  }
  return [...issues];
}

const shortened = (link: string) => (link.length > 60 ? `${link.slice(0, 57)}...` : link);

/** zod refinement for a message body: each bad link is an issue on the body's own path. */
export function refineBodyLinks(body: string, ctx: { addIssue(issue: { code: 'custom'; message: string }): void }) {
  for (const message of linkIssues(body)) ctx.addIssue({ code: 'custom', message });
}
