import fc from 'fast-check';
import { DateTime } from 'luxon';
import { compileDailyWindow } from '../../../shared/domain/sending/daily-window';
import { zoneClock } from '../../../shared/domain/sending/zone-clock';
import { isOpenInZone, nextOpeningInZone } from '../../../shared/domain/sending/zoned-window';
import {
  DAY_MS,
  instantArbitrary,
  MINUTE_MS,
  minutesOf,
  showsOpen,
  windowArbitrary,
  ZONES,
} from './sending-arbitraries';

const SAMPLE_STEP_MS = 7 * MINUTE_MS;
/** Longer than any fall-back (two hours at most) and shorter than a day. */
const LOOK_BACK_MS = 4 * 60 * MINUTE_MS;

/** Whether the local clock already showed the window's end earlier on the same local day, within a few hours. */
function endAlreadyShown(instant: number, zone: string, end: string): boolean {
  const today = DateTime.fromMillis(instant, { zone }).toISODate();
  for (let earlier = instant - MINUTE_MS; earlier >= instant - LOOK_BACK_MS; earlier -= MINUTE_MS) {
    const local = DateTime.fromMillis(earlier, { zone });
    if (local.toISODate() === today && local.hour * 60 + local.minute >= minutesOf(end)) return true;
  }
  return false;
}

describe('one zone, any hours of the day (no legal bound), across DST changes', () => {
  const cases = fc.record({
    instant: instantArbitrary,
    zone: fc.constantFrom(...ZONES),
    window: windowArbitrary(0, 1440),
  });

  it('is open exactly while the local calendar shows an open day and a time in [start, end), until the end has shown', () => {
    fc.assert(
      fc.property(cases, ({ instant, zone, window }) => {
        // Act
        const open = isOpenInZone(instant, zoneClock(zone), compileDailyWindow(window));

        // Assert
        if (open) expect(showsOpen(instant, zone, window)).toBe(true);
        else if (showsOpen(instant, zone, window)) expect(endAlreadyShown(instant, zone, window.end)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('finds the earliest opening: open itself, and nothing open just before or at sampled instants before it', () => {
    fc.assert(
      fc.property(cases, ({ instant, zone, window }) => {
        // Arrange
        const clock = zoneClock(zone);
        const daily = compileDailyWindow(window);

        // Act
        // Two weeks: a window on one weekday only can vanish into a spring-forward gap once.
        const opening = nextOpeningInZone(instant, clock, daily, instant + 15 * DAY_MS);

        // Assert
        expect(opening).toBeDefined();
        expect(opening!).toBeGreaterThanOrEqual(instant);
        expect(isOpenInZone(opening!, clock, daily)).toBe(true);
        if (opening! > instant) expect(isOpenInZone(opening! - 1, clock, daily)).toBe(false);
        for (let sample = instant; sample < opening!; sample += SAMPLE_STEP_MS) {
          expect(isOpenInZone(sample, clock, daily)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });
});
