import type { SendWindow, Weekday } from '../settings/settings.schema';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1440;

/** Weekdays in `Date#getUTCDay` order, so that a day number maps to its name with one modulo. */
const WEEKDAYS_FROM_SUNDAY: readonly Weekday[] = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const CLOCK_TIME = /^(\d{2}):([0-5]\d)$/;

/**
 * A send window in the form the time arithmetic uses: minutes after local midnight and a weekday table. Wall-clock
 * times are written as "wall" milliseconds: the epoch milliseconds at which a UTC clock would show the same reading,
 * so that local days and weekdays are plain integer arithmetic.
 */
export interface DailyWindow {
  /** Opening time of day in minutes after local midnight, inclusive. */
  readonly startMinute: number;
  /** Closing time of day in minutes after local midnight, exclusive; 1440 closes at the next midnight. */
  readonly endMinute: number;
  /** Indexed like `Date#getUTCDay` (0 is Sunday): true where the window opens on that local weekday. */
  readonly openDays: readonly boolean[];
}

/**
 * Reads a time of day written `HH:MM` (24-hour) as minutes after midnight. `24:00` is accepted as the end of the day
 * so that the generic window functions can run a window up to midnight; tenant windows never do (21:00 at most).
 */
export function parseClockTime(text: string): number {
  const match = CLOCK_TIME.exec(text);
  const minutes = match === null ? Number.NaN : Number(match[1]) * 60 + Number(match[2]);
  if (!(minutes <= MINUTES_PER_DAY)) throw new RangeError(`"${text}" is not a time of day as HH:MM`);
  return minutes;
}

/**
 * Turns a `{ start, end, days }` window into a {@link DailyWindow}, once per check rather than once per step of a
 * search. Only same-day windows exist (`start < end`; none crosses midnight) and at least one day must be open,
 * else there would be no opening to defer a message to: both are refused with a `RangeError`.
 */
export function compileDailyWindow(window: SendWindow): DailyWindow {
  const startMinute = parseClockTime(window.start);
  const endMinute = parseClockTime(window.end);
  if (startMinute >= endMinute) throw new RangeError(`window ${window.start}-${window.end} must end after it starts`);
  const openDays = WEEKDAYS_FROM_SUNDAY.map((day) => window.days.includes(day));
  if (!openDays.includes(true)) throw new RangeError('window must open on at least one day');
  return { startMinute, endMinute, openDays };
}

/** The local day number (days since 1970-01-01 on the local calendar) of a wall time. */
export function localDayOf(wall: number): number {
  return Math.floor(wall / DAY_MS);
}

/** Whether the window opens on a local day, judged by that day's weekday on the local calendar. */
export function isOpenDay(window: DailyWindow, localDay: number): boolean {
  // 1970-01-01 was a Thursday (index 4); the double modulo keeps days before 1970 non-negative.
  return window.openDays[(((localDay + 4) % 7) + 7) % 7] === true;
}
