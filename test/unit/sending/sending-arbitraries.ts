import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { SendWindow, Weekday } from '../../../shared/domain/settings/settings.schema';

export const EVERY_DAY: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** Zones with every kind of rule: US DST, none, half-hour offsets, a 30-minute DST shift, DST at midnight, south. */
export const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/St_Johns',
  'America/Santiago',
  'Europe/London',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Lord_Howe',
] as const;

/** Daylight-saving changes in 2026 of the zones above, around which instants are drawn more often. */
const CHANGES = [
  '2026-03-08T07:00:00Z', // US spring forward
  '2026-11-01T06:00:00Z', // US fall back
  '2026-03-29T01:00:00Z', // Europe spring forward
  '2026-10-25T01:00:00Z', // Europe fall back
  '2026-04-04T15:00:00Z', // Lord Howe 02:00 -> 01:30
  '2026-10-03T15:30:00Z', // Lord Howe 02:00 -> 02:30
  '2026-04-05T03:00:00Z', // Santiago fall back at midnight
  '2026-09-06T04:00:00Z', // Santiago spring forward at midnight
].map((text) => Date.parse(text));

/** An instant between 2024 and 2031, one time in two within three days of a DST change. */
export const instantArbitrary = fc.oneof(
  fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2031, 0, 1) }),
  fc.constantFrom(...CHANGES).chain((change) => fc.integer({ min: change - 3 * DAY_MS, max: change + 3 * DAY_MS })),
);

function clockText(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** A `{ start, end, days }` window with times in `[minMinute, maxMinute]`, on at least one day. */
export function windowArbitrary(minMinute: number, maxMinute: number): fc.Arbitrary<SendWindow> {
  return fc
    .record({
      first: fc.integer({ min: minMinute, max: maxMinute }),
      second: fc.integer({ min: minMinute, max: maxMinute }),
      days: fc.subarray([...EVERY_DAY], { minLength: 1 }),
    })
    .filter(({ first, second }) => first !== second)
    .map(({ first, second, days }) => ({
      start: clockText(Math.min(first, second)),
      end: clockText(Math.max(first, second)),
      days,
    }));
}

/** Minutes after midnight of `HH:MM`, independently of the code under test. */
export function minutesOf(text: string): number {
  const [hours, minutes] = text.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/**
 * The reference reading of "the window is open at this instant in this zone": what luxon's calendar shows there is
 * an open day and a time of day in `[start, end)`. Written without the code under test.
 */
export function showsOpen(instant: number, zone: string, window: SendWindow): boolean {
  const local = DateTime.fromMillis(instant, { zone });
  const day = EVERY_DAY[local.weekday - 1]!;
  const minutes = local.hour * 60 + local.minute + (local.second * 1000 + local.millisecond) / MINUTE_MS;
  return window.days.includes(day) && minutes >= minutesOf(window.start) && minutes < minutesOf(window.end);
}
