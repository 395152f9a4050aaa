import { candidateTimeZones, inferTimeZone } from '../phone/time-zone';
import { LEGAL_WINDOW, type SendWindow, type Weekday, weekdaySchema } from '../settings/settings.schema';
import type { MessageType } from '../sms/sms.schema';
import { compileDailyWindow, type DailyWindow, isOpenDay, localDayOf } from './daily-window';
import { isMarketing } from './message-purpose';
import { nextPermittedInstant, type RecipientClocks } from './recipient-opening';
import { stateRuleOf } from './state-rules';
import { isKnownZone, zoneClock } from './zone-clock';

/** Florida, Oklahoma and Maryland end texting at 20:00 local instead of 21:00. */
export const STRICT_STATE_LEGAL_END = '20:00';

const EVERY_DAY: readonly Weekday[] = weekdaySchema.options;

/** The contact fields that decide when a message may reach it. */
export interface SendTimeContact {
  /** E.164; its area code gives the candidate zones and the strict-state rule. */
  readonly phone: string;
  /** The IANA zone stored on the contact (given, inferred from the number, or the tenant's default). */
  readonly timeZone: string;
  /** A stored `state` here binds the recipient to its state's rules too (see state-rules). */
  readonly customFields?: Readonly<Record<string, unknown>> | undefined;
}

/** How the message is classed: marketing and transactional messages keep to different hours. */
export interface SendTimeOptions {
  /** Defaults to `PROMOTIONAL`, the type with the stricter rules. */
  readonly messageType?: MessageType;
}

/** Why a send is refused now: a send day outside the hours, or a day the window does not open at all. */
export type SendTimeReason = 'outsideWindow' | 'closedDay';

/** The answer the send worker acts on: send now, or defer the message to `nextOpening` (never drop it). */
export type SendTimeCheck =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly nextOpening: Date; readonly reason: SendTimeReason };

/** `HH:MM` texts sort like the times they name. */
const earlierTime = (a: string, b: string) => [a, b].sort()[0]!;
const laterTime = (a: string, b: string) => [a, b].sort()[1]!;

/**
 * The hours a message may actually go out: the tenant's window narrowed to the legal 08:00-21:00, or 08:00-20:00
 * when `strictState` (a Florida, Oklahoma or Maryland number), on the tenant's days.
 *
 * When the two do not overlap at all (a tenant window of 20:00-21:00 for a Florida number) the legal hours are used
 * on the tenant's days: the law must hold, the tenant's hours cannot, and a message that could never go would in
 * effect be dropped, which Invariant 3 forbids.
 *
 * @throws RangeError when the tenant window itself is malformed (not `HH:MM`, not ending after it starts, no day),
 * rather than silently replacing it with the legal hours.
 */
export function effectiveWindow(sendWindow: SendWindow, options: { strictState: boolean }): SendWindow {
  compileDailyWindow(sendWindow);
  const legalEnd = options.strictState ? STRICT_STATE_LEGAL_END : LEGAL_WINDOW.end;
  const start = laterTime(sendWindow.start, LEGAL_WINDOW.start);
  const end = earlierTime(sendWindow.end, legalEnd);
  const days = [...sendWindow.days];
  return start < end ? { start, end, days } : { start: LEGAL_WINDOW.start, end: legalEnd, days };
}

/**
 * Every zone the recipient may be in, each of which must see the window open: the contact's stored zone first, then
 * each candidate zone of the number's prefix. A number spanning Mountain and Pacific time, or a contact stored in
 * Chicago with a New York number, is texted only when the window is open in all of them: Invariant 3's "most
 * restrictive zone applies". Names that are not valid IANA zones are left out.
 */
export function recipientZones(contact: SendTimeContact): string[] {
  return [...new Set([contact.timeZone, ...candidateTimeZones(contact.phone)])].filter(isKnownZone);
}

/**
 * Decides, right before a send, whether a message may go to a contact at `now` (injected, never the system clock),
 * and if not, when it may: the earliest instant at or after `now` at which it may, to defer the message to rather
 * than drop it.
 *
 * The window is {@link effectiveWindow} judged in the local calendar and clock of every zone of
 * {@link recipientZones}; the end time is exclusive (10:00-17:00 allows 16:59:59, not 17:00). Across daylight-saving
 * changes, a start time that does not exist (02:30 in a spring-forward gap) opens at the first instant after the
 * gap, and a fall-back overlap never shows a time outside the window nor reopens a window whose end has passed.
 *
 * Marketing messages ({@link isMarketing}) keep to the tenant's window. Transactional ones skip it, since a reminder
 * or receipt is only useful on time, but still keep to the legal hours, strict states included, every day of the
 * week: nothing in the design asks to text anyone at night.
 *
 * When the recipient's zones share no opening within the search horizon (eight days), the contact's stored zone alone
 * decides; see `nextPermittedInstant`. The reason says why `now` is refused: `closedDay` when today is not a send
 * day in one of the zones, else `outsideWindow`.
 *
 * @throws RangeError when `now` is not a valid date, the contact has no valid zone at all, the tenant window is
 * malformed, or (which no valid tenant window can cause) the recipient's own zone has no opening within eight days.
 */
export function checkSendTime(
  now: Date,
  contact: SendTimeContact,
  sendWindow: SendWindow,
  options: SendTimeOptions = {},
): SendTimeCheck {
  const instant = now.getTime();
  if (!Number.isFinite(instant)) throw new RangeError('now must be a valid date');
  const profile = sendTimeProfile(contact, sendWindow, options);
  const { clocks, window } = profile;
  const opening = nextPermittedInstant(instant, clocks, window);
  if (opening === instant) return { allowed: true };
  if (opening === undefined) {
    throw new RangeError(`window never opens for ${contact.phone} in ${profile.zones.join(', ')}`);
  }
  const closedDay = clocks.all.some((clock) => !isOpenDay(window, localDayOf(clock.wallTime(instant))));
  return { allowed: false, nextOpening: new Date(opening), reason: closedDay ? 'closedDay' : 'outsideWindow' };
}

/** What decides a recipient's hours: the zones it may be in, its own zone among them, and the window that applies. */
export interface SendTimeProfile {
  readonly zones: readonly string[];
  readonly clocks: RecipientClocks;
  readonly window: DailyWindow;
  /** The effective window as text, so recipients with the same hours can be grouped (the estimate does). */
  readonly windowKey: string;
}

/**
 * The zones and window {@link checkSendTime} judges a recipient by, built once so a caller looking at many instants
 * for one recipient (the finish-time estimate) does not rebuild them.
 *
 * @throws RangeError when the contact has no valid zone at all or the tenant window is malformed.
 */
export function sendTimeProfile(
  contact: SendTimeContact,
  sendWindow: SendWindow,
  options: SendTimeOptions = {},
): SendTimeProfile {
  const zones = recipientZones(contact);
  if (zones.length === 0) throw new RangeError(`contact has no valid time zone (stored "${contact.timeZone}")`);
  const tenantWindow = isMarketing(options.messageType ?? 'PROMOTIONAL')
    ? sendWindow
    : { ...LEGAL_WINDOW, days: [...EVERY_DAY] };
  const effective = effectiveWindow(tenantWindow, { strictState: stateRuleOf(contact) !== undefined });
  const all = zones.map(zoneClock);
  const primaryZone = isKnownZone(contact.timeZone) ? contact.timeZone : inferTimeZone(contact.phone);
  const primary = all.find((clock) => clock.zone === primaryZone) ?? all[0]!;
  return {
    zones,
    clocks: { primary, all },
    window: compileDailyWindow(effective),
    windowKey: `${effective.start}-${effective.end}-${effective.days.join(',')}`,
  };
}
