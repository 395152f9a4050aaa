import { isStrictQuietHoursAreaCode, strictStateOfAreaCode } from '../phone/time-zone';

/** A US state's own limits on marketing texts, on top of the federal hours and the tenant's settings. */
export interface StateRule {
  /** USPS code. */
  readonly state: string;
  readonly name: string;
  /** Marketing texts may reach a resident only between these local times. */
  readonly hours: { readonly start: string; readonly end: string };
  /** At most this many marketing texts to one person in any `perHours` hours (across every campaign and workflow). */
  readonly maxMarketingMessages: number;
  readonly perHours: number;
  /** Where the rule comes from, so a reviewer can check it and a new state is one row. */
  readonly source: string;
}

/**
 * The state rules, one row a state. Each of these laws limits "telephone solicitations" (texts included) to 08:00-20:00
 * in the recipient's time and to three on the same subject per 24 hours; the engine applies the three-a-day cap to all
 * marketing texts, the stricter reading. Checked 2026-12 against the statutes cited.
 */
export const STATE_RULES: readonly StateRule[] = [
  {
    state: 'FL',
    name: 'Florida',
    hours: { start: '08:00', end: '20:00' },
    maxMarketingMessages: 3,
    perHours: 24,
    source: 'Florida Telephone Solicitation Act, Fla. Stat. § 501.059(8)(a) (as amended by SB 1120, 2021)',
  },
  {
    state: 'OK',
    name: 'Oklahoma',
    hours: { start: '08:00', end: '20:00' },
    maxMarketingMessages: 3,
    perHours: 24,
    source: 'Oklahoma Telephone Solicitation Act of 2022, Okla. Stat. tit. 15, § 775C.4',
  },
  {
    state: 'MD',
    name: 'Maryland',
    hours: { start: '08:00', end: '20:00' },
    maxMarketingMessages: 3,
    perHours: 24,
    source: 'Maryland Stop the Spam Calls Act of 2023, Md. Code, Com. Law § 14-4503',
  },
];

const BY_CODE = new Map(STATE_RULES.map((rule) => [rule.state, rule]));
const BY_NAME = new Map(STATE_RULES.map((rule) => [rule.name.toUpperCase(), rule]));

/** The contact fields the state is judged by: the number's area code, and a stored state (`customFields.state`). */
export interface StateContact {
  readonly phone: string;
  readonly customFields?: Readonly<Record<string, unknown>> | undefined;
}

/** A stored state as people write it: a USPS code (`FL`, `fl`) or the name (`Florida`). */
function storedState(contact: StateContact): StateRule | undefined {
  const value = contact.customFields?.state;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toUpperCase();
  return BY_CODE.get(text) ?? BY_NAME.get(text);
}

/**
 * The rule that binds a recipient: its number's area code is in a state with one, or its stored state is. Either is
 * enough: the law follows where the person lives, which the area code only approximates (a Floridian who kept a New
 * York number is still one).
 */
export function stateRuleOf(contact: StateContact): StateRule | undefined {
  const byArea = isStrictQuietHoursAreaCode(contact.phone)
    ? BY_CODE.get(strictStateOfAreaCode(contact.phone) ?? '')
    : undefined;
  return byArea ?? storedState(contact);
}

/** One limit on how many marketing texts a recipient may get in a window, and the skip reason when it is reached. */
export interface SendCap {
  readonly windowStart: string;
  readonly maxInWindow: number;
  readonly reason: 'frequencyCapped' | 'stateFrequencyCap';
}

/**
 * The caps a marketing text to `contact` at `now` must keep: the tenant's frequency cap, and its state's where one
 * binds it. Non-marketing texts keep none.
 */
export function sendCapsFor(
  contact: StateContact,
  frequencyCap: { maxMessages: number; perHours: number },
  marketing: boolean,
  now: Date,
): SendCap[] {
  if (!marketing) return [];
  const since = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
  const caps: SendCap[] = [
    { windowStart: since(frequencyCap.perHours), maxInWindow: frequencyCap.maxMessages, reason: 'frequencyCapped' },
  ];
  const rule = stateRuleOf(contact);
  if (rule) {
    caps.push({
      windowStart: since(rule.perHours),
      maxInWindow: rule.maxMarketingMessages,
      reason: 'stateFrequencyCap',
    });
  }
  return caps;
}

/**
 * Whether a recipient's earlier cap count (`capCountedAt`: counted at a claim whose send did not go out, kept so a
 * throttle retry minutes later is not counted twice) still stands in every cap window that applies now. A count that
 * has fallen out of one (the campaign was paused for a day) no longer holds: the send is checked and counted again,
 * so a long pause never lets a resumed send skip the tenant's or the state's cap.
 */
export function capCountStillHolds(
  capCountedAt: string | undefined,
  contact: StateContact,
  frequencyCap: { maxMessages: number; perHours: number },
  now: Date,
): boolean {
  if (!capCountedAt) return false;
  return sendCapsFor(contact, frequencyCap, true, now).every((cap) => capCountedAt >= cap.windowStart);
}
