import { DAY_MS, type DailyWindow, isOpenDay, localDayOf, MINUTE_MS } from './daily-window';
import type { ZoneClock } from './zone-clock';

/**
 * The instant a local day's window closes for good: the first time the clock shows the end time that day. After a
 * fall-back the clock shows earlier times again, but the window stays shut, so no overlap lets a send through after
 * the local end.
 */
function closingInstant(clock: ZoneClock, window: DailyWindow, localDay: number): number {
  return clock.firstReaching(localDay * DAY_MS + window.endMinute * MINUTE_MS, Number.NEGATIVE_INFINITY);
}

/**
 * Whether the window is open at an instant in one zone: the local day is an open day, the clock shows a time in
 * `[start, end)`, and the clock has not already shown the end time that day (see {@link closingInstant}). Judging by
 * what the clock shows means a fall-back overlap never lets a send through before the local start either.
 */
export function isOpenInZone(instant: number, clock: ZoneClock, window: DailyWindow): boolean {
  const wall = clock.wallTime(instant);
  const localDay = localDayOf(wall);
  const timeOfDay = wall - localDay * DAY_MS;
  return (
    isOpenDay(window, localDay) &&
    timeOfDay >= window.startMinute * MINUTE_MS &&
    timeOfDay < window.endMinute * MINUTE_MS &&
    instant < closingInstant(clock, window, localDay)
  );
}

/**
 * The earliest instant in `[instant, until]` at which the window is open in one zone (as {@link isOpenInZone}
 * judges it), or undefined. It visits each local day once and jumps straight to that day's opening, so a week's
 * search costs a few offset look-ups per day instead of one per minute. An opening whose start time falls in a
 * spring-forward gap begins at the first instant after the gap.
 */
export function nextOpeningInZone(
  instant: number,
  clock: ZoneClock,
  window: DailyWindow,
  until: number,
): number | undefined {
  const firstDay = localDayOf(clock.wallTime(instant));
  // Days before the current local one are over: the clock has shown their end time already.
  const lastDay = firstDay + Math.ceil((until - instant) / DAY_MS) + 1;
  for (let localDay = firstDay; localDay <= lastDay; localDay++) {
    if (!isOpenDay(window, localDay)) continue;
    const opening = clock.firstReaching(localDay * DAY_MS + window.startMinute * MINUTE_MS, instant);
    if (opening > until) return undefined;
    if (opening < closingInstant(clock, window, localDay)) return opening;
  }
  return undefined;
}

/**
 * When the window that is open at `instant` in one zone closes (the first instant the clock shows the end time on that
 * local day). Only meaningful where {@link isOpenInZone} holds at `instant`; the finish-time estimate uses it to know
 * how long a recipient's window stays open.
 */
export function windowClosingInZone(instant: number, clock: ZoneClock, window: DailyWindow): number {
  return closingInstant(clock, window, localDayOf(clock.wallTime(instant)));
}
