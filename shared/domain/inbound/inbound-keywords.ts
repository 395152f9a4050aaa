import type { ConsentStatus } from '../contacts/contact.schema';

/** Whole-message keywords that opt the sender out (CTIA and carrier standard words, plus the French ARRET and TD). */
export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
  'OPT-OUT',
  'REMOVE',
  'ARRET',
  'TD',
] as const;
/** Whole-message keywords that opt the sender back in. `YES` counts only from someone who is opted out. */
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'] as const;
/** Whole-message keywords that ask for the help message. */
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

export type OptOutKeyword = (typeof OPT_OUT_KEYWORDS)[number];
export type OptInKeyword = (typeof OPT_IN_KEYWORDS)[number];
export type HelpKeyword = (typeof HELP_KEYWORDS)[number];

export type InboundClassification =
  | { kind: 'optOut'; keyword: OptOutKeyword }
  | { kind: 'optIn'; keyword: OptInKeyword }
  | { kind: 'help'; keyword: HelpKeyword }
  | { kind: 'revocation'; phrase: string }
  | { kind: 'reply' };

const OPT_OUT = new Set<string>(OPT_OUT_KEYWORDS);
const OPT_IN = new Set<string>(OPT_IN_KEYWORDS);
const HELP = new Set<string>(HELP_KEYWORDS);

/** Whitespace, punctuation, symbols (emoji) and invisible characters, trimmed from around the message. */
const EDGE = /^[\p{White_Space}\p{P}\p{S}\p{C}]$/u;
const APOSTROPHES = /[\u2018\u2019\u201B\u02BC\u2032`]/g;

const OPT_OUT_WORDS = new Set(OPT_OUT_KEYWORDS.map((keyword) => keyword.toLowerCase()));
/** Opt-out keywords that are everyday words too ("cancel my order", "the end"), and the unambiguous rest. */
const EVERYDAY_OPT_OUT_WORDS = new Set(['cancel', 'end', 'quit', 'remove', 'td']);
const STRONG_STOP_WORDS = new Set([
  ...[...OPT_OUT_WORDS].filter((word) => !EVERYDAY_OPT_OUT_WORDS.has(word)),
  ...['arrete', 'arretez'],
]);
const STOP_WORDS = new Set([...OPT_OUT_WORDS, ...STRONG_STOP_WORDS]);
/** Words that may surround an opt-out keyword without changing what it asks: "stop it now", "please STOP". */
const FILLER_WORDS = new Set([
  ...['please', 'pls', 'plz', 'now', 'right', 'asap', 'immediately', 'already', 'seriously', 'just', 'again'],
  ...['thanks', 'thank', 'thx', 'ty', 'ok', 'okay', 'yes', 'yeah', 'no', 'nope', 'and', 'i', 'said', 'svp', 'merci'],
  ...['it', 'all', 'this', 'that', 'these', 'them', 'me', 'you', 'u', 'everything', 'help', 'info'],
  ...['text', 'texts', 'txt', 'txts', 'message', 'messages', 'msg', 'msgs', 'sms', 'texting', 'messaging'],
]);
/** Sentence and clause breaks: any punctuation or symbol other than apostrophes and hyphens, and line breaks. */
const SENTENCE_BREAK = /[^\p{L}\p{N}\s'-]+|\n+/u;

/** A non-capturing alternation of regular-expression sources. */
const oneOf = (...sources: string[]) => `(?:${sources.join('|')})`;
/** A case-sensitive Unicode pattern: the text it runs on is already lower-cased. */
const pattern = (source: string) => new RegExp(source, 'u');

const MESSAGES = oneOf(
  ...['texts?', 'txts?', 'messages?', 'msgs?', 'sms', 'spam', 'notifications?', 'alerts?', 'promos?', 'promotions?'],
  ...['marketing', 'ads', 'adverts?', 'advertisements?', 'offers'],
);
const SOME = oneOf('the', 'these', 'those', 'your', 'ur');
const DETERMINER = String.raw`(?:(?:any|this|such|${SOME}|all(?:\s+(?:of\s+)?${SOME})?)\s+)?`;
const ME = String.raw`(?:me|us|this\s+number|my\s+(?:name|info|details|number|phone|cell)(?:\s+number)?)`;
const LIST = String.raw`(?:of\s+)?(?:(?:your|the|this|ur|that|these|ya|yalls?|all)\s+)?(?:[\p{L}-]+\s+)?lists?\b`;
const DONT = String.raw`(?:don't|dont|do\s+not)`;
const POLITE = String.raw`(?:please|pls|plz|thanks|thank\s+you)`;
/** Nothing but punctuation, symbols or spaces up to the end of the message. */
const AT_END = String.raw`(?=[^\p{L}\p{N}]*$)`;
const STOP_DOING = oneOf(
  ...['texting', 'txting', 'messaging', 'msging', 'sending', 'contacting', 'calling', 'spamming', 'emailing'],
  ...['bothering', 'bugging', 'harassing'],
);
const OPT_OUT_WORDING = oneOf(
  ...['unsubscribe', 'unsubscribed', 'unsub', 'stopall', 'optout', String.raw`opt[\s-]out`, 'revoke', 'revoking'],
  String.raw`opt\s+(?:me|us|my\s+number|this\s+number)\s+out`,
);
const CONTACT_VERB = oneOf('text', 'txt', 'message', 'msg', 'contact', 'call', 'sms', 'e-?mail');
const CONTACT_OBJECT = String.raw`(?:me|us|this\s+number|my\s+(?:number|phone|cell)|again|anymore|any\s*more|ever)`;

/** Revocation phrases that stop counting right after "don't" or "do not" ("don't stop texting me"). */
const NEGATABLE_PATTERNS = [
  pattern(String.raw`\b(?:stop|quit|cease|halt|end)\s+${DETERMINER}${MESSAGES}\b`),
  pattern(String.raw`\b(?:stop|quit|cease|halt)\s+${STOP_DOING}\b`),
  pattern(
    String.raw`\b(?:stop|quit|cease)\s+(?:receiving|getting)` +
      String.raw`(?:\s+(?:${DETERMINER}${MESSAGES}|these|those|them|this|any|anything)\b|${AT_END})`,
  ),
  pattern(String.raw`\b${OPT_OUT_WORDING}\b`),
  pattern(String.raw`\b(?:withdraw|withdrawing|rescind|cancel)\s+(?:my\s+|all\s+|any\s+)?consent\b`),
  pattern(String.raw`\b(?:cancel|end|stop)\s+(?:my|the|this|your|ur)\s+subscription\b`),
  pattern(String.raw`\b(?:remove|delete|erase)\s+${ME}\b`),
  pattern(String.raw`\b(?:take|get|drop|scratch|cross)\s+${ME}\s+off\b`),
  pattern(String.raw`\b(?:remove|delete|take)\s+(?:from|off)\s+${LIST}`),
  pattern(String.raw`\boff\s+${LIST}`),
  pattern(String.raw`\b(?:please|pls|plz)\s+remove${AT_END}`),
  pattern(String.raw`\b(?:sick|tired)\s+of\s+${DETERMINER}${MESSAGES}\b`),
];
/** Revocation phrases that carry their own negation, or that no negation could reverse. */
const PATTERNS = [
  pattern(String.raw`\b${DONT}\s+(?:ever\s+)?${CONTACT_VERB}(?:\s+${CONTACT_OBJECT}\b|${AT_END})`),
  pattern(String.raw`\b${DONT}\s+send\s+(?:me|us)\s+(?:any\s*more|anything|${DETERMINER}${MESSAGES})\b`),
  pattern(String.raw`\bnever\s+${CONTACT_VERB}\s+(?:me|us|this\s+number)\s+again\b`),
  pattern(
    String.raw`\b(?:${DONT}|no\s+longer|never)\s+(?:want|wish|need|like)\s+(?:to\s+(?:receive|get)\s+)?` +
      String.raw`(?:(?:any|anymore|more|such|this|all|of|${SOME})\s+)*${MESSAGES}\b`,
  ),
  pattern(String.raw`\b(?:${DONT}|no\s+longer)\s+(?:want|wish)\s+to\s+be\s+(?:contacted|texted|messaged)\b`),
  pattern(String.raw`\bdo[\s-]not[\s-](?:call|text|txt|contact|message)\s+list\b`),
  pattern(String.raw`\bleave\s+me\s+alone\b`),
  pattern(String.raw`\bno\s+more\s+(?:${MESSAGES}|texting|messaging)\b`),
  pattern(String.raw`^[^\p{L}\p{N}]*(?:(?:please|pls|plz)\s+)?no\s+more(?:\s+${POLITE})?${AT_END}`),
  pattern(String.raw`\bno\s+${MESSAGES}\s+${POLITE}\b`),
  pattern(String.raw`\blose\s+(?:my|this)\s+number\b`),
  pattern(String.raw`\bwrong\s+(?:(?:number|num|person|phone)\b|#)`),
];

/**
 * Classifies an inbound SMS so that consent changes are never missed.
 *
 * Keywords are matched against the WHOLE message, after NFKC normalisation, removal of accents ("ARRÊT" is ARRET),
 * trimming of surrounding whitespace, punctuation, symbols and invisible characters ("Stop!", " 'STOP' ", "STOP\n"),
 * and Unicode upper-casing ("stop", "Ｓｔｏｐ"). Dashes become hyphens, so "opt–out" is OPT-OUT. A keyword inside
 * longer text ("stop it now") is not the keyword. `YES` opts in only a sender whose consent is `opted_out`;
 * otherwise it is an ordinary reply.
 *
 * Anything else is a `revocation` when a reasonable person would read it as "stop texting me" (FCC: consent can be
 * revoked by any reasonable means), and a `reply` otherwise. The rules, on the lower-cased normalised text:
 * - asking to stop the messages: "stop|quit|end (all|the|these|your) texts|messages|spam|promos...",
 *   "stop texting|messaging|sending|contacting|calling|spamming|bothering...", "stop receiving|getting (these)";
 * - the opt-out words anywhere: "unsubscribe", "unsub", "opt out", "opt me out", "optout", "stopall", "revoke",
 *   "withdraw|rescind|cancel my consent", "cancel|end|stop my subscription";
 * - asking to be removed: "remove|delete me|my number", "take|get me off", "remove from the list",
 *   "off your|the|this ... list", a message ending in "please remove";
 * - "sick|tired of (these) texts";
 * - refusals: "don't|do not text|message|contact|call me|us|again|anymore" (or at the end), "don't send me any
 *   more|these texts", "never text me again", "don't|no longer want (any more) texts|messages", "don't want to be
 *   contacted", "do not call list", "leave me alone", "no more texts|messages", "no more" alone, "no texts please",
 *   "lose my number";
 * - "wrong number|person|#": the phone is not the person who consented;
 * - a message made only of opt-out keywords and filler words ("please stop", "stop it now", "STOP STOP", "cancel
 *   please", "I said stop", "arret svp"), or a sentence of a longer message made only of an unambiguous keyword (STOP,
 *   STOPALL, UNSUBSCRIBE, REVOKE, OPTOUT, OPT-OUT, ARRET, or French ARRETE) and filler ("Stop. Wrong number", "Who is
 *   this? STOP"); a drawn-out "STOOOPPP" counts as STOP there. CANCEL, END, QUIT, REMOVE and TD are everyday
 *   words, so "Cancel. I can't make it Tuesday" stays a reply.
 * The rules of the first four groups do not apply when "don't" or "do not" comes up to three words before them in the
 * same sentence ("don't stop texting me", "I don't want to unsubscribe"); no other negation is honoured ("why didn't
 * you remove me" is a revocation). Words used innocently stay replies: "stop by tomorrow", "cancel my appointment",
 * "remove an item", "the store ends at 9", "don't stop the deals coming". Complaints that do not ask to stop ("not
 * interested", "who is this?", "I never signed up") are replies. When in doubt the patterns lean towards revocation:
 * a missed revocation is a violation, a false one costs a contact who can text START. `phrase` is the text that
 * matched, lower-cased and normalised.
 */
export function classifyInbound(body: string, currentConsent: ConsentStatus): InboundClassification {
  const folded = body
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\p{Pd}/gu, '-')
    .replace(APOSTROPHES, "'");
  const upper = trimEdges(folded).toUpperCase();

  if (OPT_OUT.has(upper)) return { kind: 'optOut', keyword: upper as OptOutKeyword };
  if (OPT_IN.has(upper) && (upper !== 'YES' || currentConsent === 'opted_out')) {
    return { kind: 'optIn', keyword: upper as OptInKeyword };
  }
  if (HELP.has(upper)) return { kind: 'help', keyword: upper as HelpKeyword };

  const phrase = revocationPhrase(folded.toUpperCase().toLowerCase());
  return phrase === undefined ? { kind: 'reply' } : { kind: 'revocation', phrase };
}

function revocationPhrase(lower: string): string | undefined {
  const text = lower
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n\s*/g, '\n')
    .trim();

  for (const pattern of NEGATABLE_PATTERNS) {
    const match = pattern.exec(text);
    if (match && !negated(text.slice(0, match.index))) return match[0].trim();
  }
  for (const pattern of PATTERNS) {
    const match = pattern.exec(text);
    if (match) return match[0].trim();
  }

  const core = trimEdges(text);
  if (onlyStopWords(words(core), STOP_WORDS)) return core;
  for (const sentence of sentences(core)) {
    if (onlyStopWords(words(sentence), STRONG_STOP_WORDS)) return sentence;
  }
  return undefined;
}

/** The text without the {@link EDGE} characters around it, in linear time (a `+$` pattern is quadratic). */
function trimEdges(text: string): string {
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && EDGE.test(chars[start]!)) start++;
  while (end > start && EDGE.test(chars[end - 1]!)) end--;
  return chars.slice(start, end).join('');
}

function sentences(text: string): string[] {
  return text
    .split(SENTENCE_BREAK)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
}

function words(text: string): string[] {
  return text
    .split(/[^\p{L}\p{N}'-]+/u)
    .map((word) => word.replace(/^['-]+|['-]+$/g, '').replace(/^s+t+o+p+$/, 'stop'))
    .filter((word) => word !== '');
}

/** True when the words hold one of `required` and nothing but stop words and filler. */
function onlyStopWords(list: string[], required: ReadonlySet<string>): boolean {
  return (
    list.some((word) => required.has(word)) && list.every((word) => STOP_WORDS.has(word) || FILLER_WORDS.has(word))
  );
}

/** True when "don't", "dont" or "do not" is among the last three words of the sentence before a match. */
function negated(before: string): boolean {
  const sentence = before.split(SENTENCE_BREAK).pop() ?? '';
  const list = words(sentence);
  for (let i = list.length - 1; i >= Math.max(0, list.length - 3); i--) {
    const word = list[i];
    if (word === "don't" || word === 'dont' || (word === 'not' && list[i - 1] === 'do')) return true;
  }
  return false;
}
