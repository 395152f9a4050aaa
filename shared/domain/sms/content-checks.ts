import { findLinks, linkShortenerOf } from './links';
import { analyzeMessage } from './message-analysis';
import { hasOptOutInstruction } from './opt-out';
import type { ContentWarning, MessageAnalysis, MessageType } from './sms.schema';

export interface ContentCheckInput {
  /** The message as the user wrote it: placeholders allowed, without the automatic opt-out footer. */
  body: string;
  messageType: MessageType;
  /** The tenant's business name; the "named near the start" check is skipped without one. */
  businessName?: string | null;
  /** True when the automatic opt-out footer will be appended to this message. */
  optOutFooterAppended?: boolean;
  /** Counts of the text as sent (footer, personalisation, worst case); computed from `body` when absent. */
  analysis?: Pick<MessageAnalysis, 'segments' | 'nonGsmCharacters'>;
}

/** How far into the message the business must be named. */
export const BUSINESS_NAME_WINDOW = 40;

const PLACEHOLDER = /\{\{[^{}]*\}\}/g;
/** A reply request and the word to reply with; opt-out and help keywords are instructions, not calls to action. */
const REPLY_REQUEST =
  /\b(?:reply|respond|text\s+back|text\s+us|txt\s+us)\b(?:\s+with)?\s*["'\u201c\u2018]?([\p{L}\p{N}]*)/giu;
const NOT_A_CALL_TO_ACTION = new Set([
  'stop',
  'stopall',
  'end',
  'cancel',
  'unsubscribe',
  'quit',
  'optout',
  'help',
  'info',
]);
const CALL_REQUEST = /\bcall\b(?:\s+us)?(?:\s+(?:at|on|now|today))?\s*:?\s*\+?\(?\d[\d\s().-]{6,}\d/i;
const KEYWORDS_IN_CAPS = /\b(?:STOP|STOPALL|END|HELP|INFO|QUIT|CANCEL|UNSUBSCRIBE|YES|NO|OK|SMS|MMS)\b/g;
const UPPER = /\p{Lu}/gu;
const LOWER = /\p{Ll}/gu;
const CAPS_WORD = '(?<![\\p{L}\\p{N}])\\p{Lu}{2,}(?![\\p{L}\\p{N}])';
/** Three capitalised words in a row ("FREE SHIPPING TODAY"). */
const CAPS_WORD_RUN = new RegExp(`${CAPS_WORD}(?:[^\\p{L}\\p{N}]+${CAPS_WORD}){2}`, 'u');
const SHOUTING_MIN_LETTERS = 12;
const SHOUTING_RATIO = 0.6;
const LISTED_CHARACTERS = 5;

/**
 * Warnings (`{code, message}`, stable codes) on how a text reads to carriers and recipients, following what good
 * SMS marketers do: say who you are first, ask for one thing, tell promotional recipients how to stop, keep it to one
 * segment in GSM-7, do not shout, and use links carriers will not filter. Warnings never block sending.
 */
export function checkContent(input: ContentCheckInput): ContentWarning[] {
  const { body, messageType } = input;
  const prose = body.replace(PLACEHOLDER, '');
  const links = findLinks(prose);
  const analysis = input.analysis ?? analyzeMessage(body);
  const warnings: ContentWarning[] = [];

  const businessName = input.businessName?.trim();
  if (businessName && !namesBusinessEarly(prose, businessName)) {
    warnings.push({
      code: 'BUSINESS_NOT_NAMED',
      message: `Name "${businessName}" in the first ${BUSINESS_NAME_WINDOW} characters so recipients know who is texting.`,
    });
  }
  const callsToAction = countCallsToAction(prose, links);
  if (callsToAction > 1) {
    warnings.push({
      code: 'MULTIPLE_CTAS',
      message: `The message asks for ${callsToAction} different actions (links, replies, calls); one clear call to action performs better.`,
    });
  }
  if (messageType === 'PROMOTIONAL' && !input.optOutFooterAppended && !hasOptOutInstruction(body)) {
    warnings.push({
      code: 'MISSING_OPT_OUT',
      message: 'Promotional messages must say how to opt out, e.g. "Reply STOP to opt out".',
    });
  }
  const placeholders = body.match(PLACEHOLDER)?.length ?? 0;
  if (placeholders > 1) {
    warnings.push({
      code: 'MULTIPLE_PERSONALIZATION',
      message: `The message has ${placeholders} personalisation fields; more than one reads as automated and risks empty values.`,
    });
  }
  if (analysis.segments > 1) {
    warnings.push({
      code: 'MULTI_SEGMENT',
      message: `The message is sent as ${analysis.segments} segments, each billed per recipient; shorten it to fit one.`,
    });
  }
  if (analysis.nonGsmCharacters.length > 0) {
    warnings.push({ code: 'UCS2_CHARACTER', message: describeNonGsm(analysis.nonGsmCharacters) });
  }
  if (isShouting(prose, links)) {
    warnings.push({
      code: 'ALL_CAPS',
      message: 'The message is mostly in capitals; it reads as shouting and looks like spam to carrier filters.',
    });
  }
  const shorteners = [...new Set(links.map(linkShortenerOf).filter((domain) => domain !== null))];
  if (shorteners.length > 0) {
    warnings.push({
      code: 'LINK_SHORTENER',
      message: `Carriers filter messages with public link shorteners (${shorteners.join(', ')}); use a full or branded link.`,
    });
  }
  return warnings;
}

function namesBusinessEarly(prose: string, businessName: string): boolean {
  const start = foldQuotes(prose).toLocaleLowerCase().indexOf(foldQuotes(businessName).toLocaleLowerCase());
  return start >= 0 && start < BUSINESS_NAME_WINDOW;
}

function foldQuotes(text: string): string {
  return text.replace(/[\u2018\u2019]/g, "'");
}

function countCallsToAction(prose: string, links: readonly string[]): number {
  let count = new Set(links.map((link) => link.toLowerCase())).size;
  for (const match of prose.matchAll(REPLY_REQUEST)) {
    if (!NOT_A_CALL_TO_ACTION.has(match[1]!.toLowerCase())) {
      count++;
      break;
    }
  }
  if (CALL_REQUEST.test(prose)) count++;
  return count;
}

function isShouting(prose: string, links: readonly string[]): boolean {
  let text = prose;
  for (const link of links) text = text.replace(link, ' ');
  text = text.replace(KEYWORDS_IN_CAPS, ' ');
  const upper = text.match(UPPER)?.length ?? 0;
  const lower = text.match(LOWER)?.length ?? 0;
  if (upper >= SHOUTING_MIN_LETTERS && upper / (upper + lower) >= SHOUTING_RATIO) return true;
  return CAPS_WORD_RUN.test(text);
}

function describeNonGsm(characters: MessageAnalysis['nonGsmCharacters']): string {
  const listed = characters.slice(0, LISTED_CHARACTERS).map(({ char, unicode, replacement }) => {
    const suggestion = replacement === null ? '' : ` -> "${replacement}"`;
    return `"${char}" (${unicode})${suggestion}`;
  });
  const more = characters.length > LISTED_CHARACTERS ? ` and ${characters.length - LISTED_CHARACTERS} more` : '';
  return `These characters force UCS-2 (70 characters per segment instead of 160): ${listed.join(', ')}${more}.`;
}
