import { IANAZone } from 'luxon';

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * The instant a wall-clock time `YYYY-MM-DDTHH:mm:ss` in `timeZone` names, as a one-time schedule reads it.
 * Across a daylight-saving change the rule is java.time's (`ZonedDateTime.of`), the runtime EventBridge Scheduler is
 * built on, which luxon follows for gaps too: a time that does not exist (spring forward) moves forward by the length
 * of the gap (02:30 on a 02:00->03:00 night is 03:30), and a time that happens twice (fall back) is its first
 * occurrence, so a schedule fires once and as early as the wall clock allows. Throws a RangeError on a malformed time
 * or an unknown zone.
 */
export function localTimeToInstant(at: string, timeZone: string): Date {
  const match = LOCAL_DATE_TIME.exec(at);
  if (!match) throw new RangeError(`at must be a local date-time YYYY-MM-DDTHH:mm:ss, got ${JSON.stringify(at)}`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wallMs);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new RangeError(`at is not a calendar date-time: ${at}`);
  }
  if (!IANAZone.isValidZone(timeZone)) throw new RangeError(`timeZone is not an IANA time zone: ${timeZone}`);
  const zone = IANAZone.create(timeZone);
  // Every offset in force within a day of the wall time: each gives a candidate instant, valid when the zone
  // really has that offset at that instant.
  const offsets = new Set([zone.offset(wallMs - DAY_MS), zone.offset(wallMs), zone.offset(wallMs + DAY_MS)]);
  const candidates = [...offsets].map((offsetMinutes) => wallMs - offsetMinutes * 60_000);
  const valid = candidates.filter((instant) => wallMs - zone.offset(instant) * 60_000 === instant);
  return new Date(valid.length > 0 ? Math.min(...valid) : Math.max(...candidates));
}
