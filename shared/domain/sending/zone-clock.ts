import { IANAZone } from 'luxon';
import { DAY_MS, MINUTE_MS } from './daily-window';

/** Generous bound on the steps of one search: each step crosses one offset change, and a day holds one or two. */
const MAX_STEPS = 16;

/**
 * The wall clock of one IANA zone, read from instants (epoch milliseconds). Wall times are "wall" milliseconds as in
 * `DailyWindow`: the epoch milliseconds at which a UTC clock shows the same reading. Only offsets are taken from the time zone database (through luxon), so daylight-saving gaps
 * and overlaps are handled by arithmetic on offsets rather than by resolving ambiguous local times.
 */
export interface ZoneClock {
  readonly zone: string;
  /** The wall time shown at an instant. */
  wallTime(instant: number): number;
  /**
   * The earliest instant at or after `notBefore` at which the clock shows `wall` or later. In a spring-forward gap
   * (02:30 that never exists) that is the first instant after the gap; in a fall-back overlap it is the first of the
   * two instants showing `wall`, unless `notBefore` is past it.
   */
  firstReaching(wall: number, notBefore: number): number;
}

/**
 * Whether a name is an IANA zone this runtime knows. Unlike `IANAZone.isValidZone`, which builds a formatter on every
 * call (hundreds of microseconds), this asks luxon's cached zone object, so it is cheap enough for every send.
 * `Etc/Unknown`, what libphonenumber answers for an unknown prefix, names no clock.
 */
export function isKnownZone(zone: string): boolean {
  return zone !== 'Etc/Unknown' && IANAZone.create(zone).isValid;
}

/**
 * Builds the {@link ZoneClock} of a zone. It assumes a zone does not change its offset twice within about two days
 * (in practice the database's changes are weeks or months apart): a change and its reversal inside one step of a
 * search would go unseen.
 *
 * @throws RangeError when the name is not a zone this runtime knows.
 */
export function zoneClock(zone: string): ZoneClock {
  const ianaZone = IANAZone.create(zone);
  if (!isKnownZone(zone)) throw new RangeError(`"${zone}" is not an IANA time zone`);
  const offsetAt = (instant: number) => ianaZone.offset(instant) * MINUTE_MS;

  /** The first instant in `(from, to]` whose offset is not `offset`, given that `to`'s offset is not. */
  const nextChange = (from: number, to: number, offset: number) => {
    let before = from;
    let after = to;
    while (after - before > 1) {
      const middle = before + Math.floor((after - before) / 2);
      if (offsetAt(middle) === offset) before = middle;
      else after = middle;
    }
    return after;
  };

  return {
    zone,
    wallTime: (instant) => instant + offsetAt(instant),
    firstReaching(wall, notBefore) {
      // Offsets are under a day, so no clock shows `wall` earlier than a day before that reading in UTC.
      let instant = Math.max(notBefore, wall - DAY_MS);
      for (let step = 0; step < MAX_STEPS; step++) {
        const offset = offsetAt(instant);
        if (instant + offset >= wall) return instant;
        const reached = wall - offset;
        if (offsetAt(reached) === offset) return reached;
        instant = nextChange(instant, reached, offset);
      }
      throw new RangeError(`${zone} changes its offset too often to find ${new Date(wall).toISOString()} local`);
    },
  };
}
