import type { MessageType, OptOutSettings } from './sms.schema';

/** Keywords that are opt-out words in any case. */
const STRONG_KEYWORDS = 'stop|stopall|unsubscribe|optout|opt[\\s-]out|revoke';
/** Keywords that are everyday words too ("the end", "send end-of-year..."): they count only in capitals. */
const CAPITALISED_KEYWORDS = 'end|cancel|quit';
const ACTIONS = 'opt[\\s-]?out|unsub\\w*|stop|end|cancel|quit';

/** "Reply STOP", "Text END", "reply with 'STOP'", "Txt the word QUIT". */
const REPLY_WITH_KEYWORD = new RegExp(
  `\\b(?:reply|text|txt|send|respond|msg)\\s+(?:with\\s+)?(?:the\\s+word\\s+)?["'\u201c\u2018]?(${STRONG_KEYWORDS}|${CAPITALISED_KEYWORDS})\\b`,
  'gi',
);
/** "STOP to opt out", "STOP2END", "Stop=end", "END to quit". */
const KEYWORD_TO_ACTION = new RegExp(
  `\\b(${STRONG_KEYWORDS}|${CAPITALISED_KEYWORDS})\\s*(?:to|2|=)\\s*(?:${ACTIONS})\\b`,
  'gi',
);
/** "Opt out anytime at acme.com/out", "Unsubscribe: ...". */
const OPT_OUT_MENTION = /\b(?:opt[\s-]?out|unsubscribe)\b/i;
const CAPITALISED_ONLY = new RegExp(`^(?:${CAPITALISED_KEYWORDS})$`, 'i');

/**
 * True when the text already tells the recipient how to stop messages (e.g. "Reply STOP to opt out",
 * "Text END to quit", "STOP2END", "unsubscribe at ..."), so no second instruction is appended and no
 * `MISSING_OPT_OUT` warning is raised. Promotional texts without one break carrier and CTIA rules, so ordinary
 * words ("the end", "cancel anytime") do not count: END, CANCEL and QUIT must be written in capitals.
 */
export function hasOptOutInstruction(body: string): boolean {
  return OPT_OUT_MENTION.test(body) || hasKeyword(body, REPLY_WITH_KEYWORD) || hasKeyword(body, KEYWORD_TO_ACTION);
}

function hasKeyword(body: string, pattern: RegExp): boolean {
  for (const match of body.matchAll(pattern)) {
    const keyword = match[1]!;
    if (!CAPITALISED_ONLY.test(keyword) || keyword === keyword.toUpperCase()) return true;
  }
  return false;
}

/**
 * The body as it will be sent with the tenant's opt-out footer: only for promotional messages, only when the
 * settings ask for it (`autoAppendOptOut` and a non-empty `optOutText`), and only when the body has no opt-out
 * instruction yet. The footer goes on its own line, after the body's trailing whitespace is dropped: a line break
 * costs the same single septet (or UCS-2 unit) as a space and keeps the instruction readable on every handset.
 * The footer is part of the message, so callers count segments on the result.
 */
export function appendOptOutFooter(body: string, settings: OptOutSettings, messageType: MessageType): string {
  if (messageType !== 'PROMOTIONAL' || !settings.autoAppendOptOut) return body;
  const footer = settings.optOutText.trim();
  if (footer.length === 0 || hasOptOutInstruction(body)) return body;
  const text = body.trimEnd();
  return text.length === 0 ? footer : `${text}\n${footer}`;
}
