import { compileDailyWindow, parseClockTime } from '../../../shared/domain/sending/daily-window';
import { zoneClock } from '../../../shared/domain/sending/zone-clock';
import { isOpenInZone, nextOpeningInZone } from '../../../shared/domain/sending/zoned-window';

const EVERY_DAY = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
const newYork = zoneClock('America/New_York');
const at = (iso: string) => Date.parse(iso);
const iso = (instant: number | undefined) => (instant === undefined ? undefined : new Date(instant).toISOString());

/** A window every day of the week, with no legal bound: the generic rules, for hours the tenant never uses. */
function everyDay(start: string, end: string) {
  return compileDailyWindow({ start, end, days: [...EVERY_DAY] });
}

describe('compileDailyWindow', () => {
  it('reads times as minutes after midnight and days in getUTCDay order', () => {
    // Act
    const window = compileDailyWindow({ start: '10:00', end: '17:00', days: ['MON', 'FRI'] });

    // Assert
    expect(window).toEqual({
      startMinute: 600,
      endMinute: 1020,
      openDays: [false, true, false, false, false, true, false],
    });
  });

  it('accepts 24:00 as the end of the day', () => {
    expect(parseClockTime('24:00')).toBe(1440);
    expect(parseClockTime('00:00')).toBe(0);
  });

  it.each(['24:01', '25:00', '10:60', '9:00', '10:00:00', ''])('refuses the time %p', (text) => {
    expect(() => parseClockTime(text)).toThrow(RangeError);
  });

  it('refuses a window that does not end after it starts, or that opens on no day', () => {
    expect(() => compileDailyWindow({ start: '17:00', end: '10:00', days: ['MON'] })).toThrow(RangeError);
    expect(() => compileDailyWindow({ start: '10:00', end: '10:00', days: ['MON'] })).toThrow(RangeError);
    expect(() => compileDailyWindow({ start: '10:00', end: '17:00', days: [] })).toThrow(RangeError);
  });
});

describe('zoneClock', () => {
  it('refuses an unknown zone', () => {
    expect(() => zoneClock('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('finds the first instant after a spring-forward gap for a time that does not exist', () => {
    // Arrange: 2026-03-08 02:00 EST jumps to 03:00 EDT (07:00Z), so 02:30 never happens
    const wall = at('2026-03-08T02:30:00.000Z');

    // Act
    const reached = newYork.firstReaching(wall, Number.NEGATIVE_INFINITY);

    // Assert
    expect(iso(reached)).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(newYork.wallTime(reached))).toBe('2026-03-08T03:00:00.000Z');
  });

  it('finds the first of the two instants of a fall-back overlap, or the second once past the first', () => {
    // Arrange: 2026-11-01 02:00 EDT falls back to 01:00 EST (06:00Z), so 01:30 happens twice
    const wall = at('2026-11-01T01:30:00.000Z');

    // Act
    const first = newYork.firstReaching(wall, Number.NEGATIVE_INFINITY);
    const second = newYork.firstReaching(wall, at('2026-11-01T06:10:00.000Z'));

    // Assert
    expect(iso(first)).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(second)).toBe('2026-11-01T06:30:00.000Z');
  });
});

describe('a window across a spring-forward day (America/New_York, 2026-03-08)', () => {
  const window = everyDay('02:30', '04:00');

  it('opens at 03:00 EDT when its 02:30 start falls in the gap', () => {
    // Act
    const opening = nextOpeningInZone(at('2026-03-08T05:00:00.000Z'), newYork, window, Number.POSITIVE_INFINITY);

    // Assert: 03:00 EDT, the first valid instant after 02:30
    expect(iso(opening)).toBe('2026-03-08T07:00:00.000Z');
    expect(isOpenInZone(at('2026-03-08T06:59:59.999Z'), newYork, window)).toBe(false);
    expect(isOpenInZone(at('2026-03-08T07:00:00.000Z'), newYork, window)).toBe(true);
  });

  it('closes at 04:00 EDT, its end being exclusive', () => {
    expect(isOpenInZone(at('2026-03-08T07:59:59.999Z'), newYork, window)).toBe(true);
    expect(isOpenInZone(at('2026-03-08T08:00:00.000Z'), newYork, window)).toBe(false);
  });

  it('opens at 02:30 EDT the next day', () => {
    // Act
    const opening = nextOpeningInZone(at('2026-03-08T08:00:00.000Z'), newYork, window, Number.POSITIVE_INFINITY);

    // Assert
    expect(iso(opening)).toBe('2026-03-09T06:30:00.000Z');
  });

  it('skips the day when the whole window falls in the gap', () => {
    // Arrange
    const inGap = everyDay('02:00', '02:45');

    // Act
    const opening = nextOpeningInZone(at('2026-03-08T05:00:00.000Z'), newYork, inGap, Number.POSITIVE_INFINITY);

    // Assert: 2026-03-09 02:00 EDT
    expect(iso(opening)).toBe('2026-03-09T06:00:00.000Z');
  });

  it('closes at the gap when its end falls in the gap', () => {
    // Arrange: 01:00-02:30 closes when the clock leaves 01:59:59.999 EST for 03:00 EDT
    const endInGap = everyDay('01:00', '02:30');

    // Act / Assert
    expect(isOpenInZone(at('2026-03-08T06:59:59.999Z'), newYork, endInGap)).toBe(true);
    expect(isOpenInZone(at('2026-03-08T07:00:00.000Z'), newYork, endInGap)).toBe(false);
  });
});

describe('a window across a fall-back day (America/New_York, 2026-11-01)', () => {
  it('does not reopen when the clock shows the window again after its end has passed', () => {
    // Arrange: 00:30-01:30 ends at 01:30 EDT; 01:00-01:30 EST comes round again an hour later
    const window = everyDay('00:30', '01:30');

    // Act
    const afterEnd = nextOpeningInZone(at('2026-11-01T05:30:00.000Z'), newYork, window, Number.POSITIVE_INFINITY);

    // Assert
    expect(isOpenInZone(at('2026-11-01T05:29:59.999Z'), newYork, window)).toBe(true);
    expect(isOpenInZone(at('2026-11-01T06:10:00.000Z'), newYork, window)).toBe(false);
    expect(iso(afterEnd)).toBe('2026-11-02T05:30:00.000Z');
  });

  it('does not send while the clock shows a time before the start again', () => {
    // Arrange: 01:30-03:00 opens at 01:30 EDT; at 02:00 EDT the clock goes back to 01:00 EST, before the start
    const window = everyDay('01:30', '03:00');

    // Act
    const reopening = nextOpeningInZone(at('2026-11-01T06:05:00.000Z'), newYork, window, Number.POSITIVE_INFINITY);

    // Assert
    expect(isOpenInZone(at('2026-11-01T05:30:00.000Z'), newYork, window)).toBe(true);
    expect(isOpenInZone(at('2026-11-01T05:59:59.999Z'), newYork, window)).toBe(true);
    expect(isOpenInZone(at('2026-11-01T06:00:00.000Z'), newYork, window)).toBe(false);
    expect(iso(reopening)).toBe('2026-11-01T06:30:00.000Z');
    expect(isOpenInZone(at('2026-11-01T07:59:59.999Z'), newYork, window)).toBe(true);
    expect(isOpenInZone(at('2026-11-01T08:00:00.000Z'), newYork, window)).toBe(false);
  });

  it('keeps a window wholly inside the repeated hour to its first pass', () => {
    // Arrange
    const window = everyDay('01:10', '01:20');

    // Act / Assert
    expect(isOpenInZone(at('2026-11-01T05:15:00.000Z'), newYork, window)).toBe(true);
    expect(isOpenInZone(at('2026-11-01T06:15:00.000Z'), newYork, window)).toBe(false);
    expect(iso(nextOpeningInZone(at('2026-11-01T05:20:00.000Z'), newYork, window, Number.POSITIVE_INFINITY))).toBe(
      '2026-11-02T06:10:00.000Z',
    );
  });
});

describe('nextOpeningInZone', () => {
  it('answers the instant itself when the window is open', () => {
    // Arrange
    const now = at('2026-01-14T15:30:00.000Z');

    // Act / Assert
    expect(nextOpeningInZone(now, newYork, everyDay('10:00', '17:00'), now)).toBe(now);
  });

  it('runs a window ending at 24:00 up to midnight', () => {
    // Arrange
    const window = everyDay('23:00', '24:00');

    // Act / Assert: 23:59:59.999 EST is open, midnight is not
    expect(isOpenInZone(at('2026-01-15T04:59:59.999Z'), newYork, window)).toBe(true);
    expect(isOpenInZone(at('2026-01-15T05:00:00.000Z'), newYork, window)).toBe(false);
  });

  it('gives up past the limit it is given', () => {
    // Arrange: Mondays only, asked on a Tuesday with three days to look
    const window = compileDailyWindow({ start: '10:00', end: '17:00', days: ['MON'] });
    const tuesday = at('2026-01-13T15:00:00.000Z');

    // Act
    const within3Days = nextOpeningInZone(tuesday, newYork, window, tuesday + 3 * 24 * HOUR_MS);
    const withinAWeek = nextOpeningInZone(tuesday, newYork, window, tuesday + WEEK_MS);

    // Assert
    expect(within3Days).toBeUndefined();
    expect(iso(withinAWeek)).toBe('2026-01-19T15:00:00.000Z');
  });
});
