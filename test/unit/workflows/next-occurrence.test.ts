import fc from 'fast-check';
import { DateTime } from 'luxon';
import { nextOccurrence } from '../../../shared/domain/workflows/enrollment';
import { WEEKDAYS, type Weekday } from '../../../shared/domain/workflows/workflow.schema';
import { DAY_MS, MINUTE_MS } from './workflow-fixtures';

const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);
const next = (time: string, days: Weekday[] | undefined, zone: string, after: string) =>
  nextOccurrence(time, days, zone, at(after)).toISOString();

describe('nextOccurrence on ordinary days', () => {
  // Monday 2 March 2026, 10:00 EST
  const MONDAY_10AM = '2026-03-02T15:00:00.000Z';

  it('is later today when the time is still ahead', () => {
    expect(next('11:00', undefined, NY, MONDAY_10AM)).toBe('2026-03-02T16:00:00.000Z');
  });

  it('is tomorrow when the time has passed, or is exactly now (strictly after)', () => {
    expect(next('09:00', undefined, NY, MONDAY_10AM)).toBe('2026-03-03T14:00:00.000Z');
    expect(next('10:00', undefined, NY, MONDAY_10AM)).toBe('2026-03-03T15:00:00.000Z');
    expect(next('10:00', undefined, NY, '2026-03-02T14:59:59.999Z')).toBe('2026-03-02T15:00:00.000Z');
  });

  it('waits for an allowed day', () => {
    expect(next('11:00', ['FRI'], NY, MONDAY_10AM)).toBe('2026-03-06T16:00:00.000Z');
    expect(next('11:00', ['SAT', 'MON'], NY, MONDAY_10AM)).toBe('2026-03-02T16:00:00.000Z');
  });

  it('goes to the same weekday next week when today is the only day and the time has passed (across DST)', () => {
    // 9 March is after the spring-forward of 8 March: 09:00 EDT is 13:00 UTC
    expect(next('09:00', ['MON'], NY, MONDAY_10AM)).toBe('2026-03-09T13:00:00.000Z');
  });

  it('reads the weekday and the date in the given zone, not in UTC', () => {
    // Sunday 20:00 UTC is already Monday 05:00 in Tokyo
    expect(next('09:00', ['MON'], 'Asia/Tokyo', '2026-03-01T20:00:00.000Z')).toBe('2026-03-02T00:00:00.000Z');
    // Monday 02:00 UTC is still Sunday 21:00 in New York
    expect(next('22:00', ['SUN'], NY, '2026-03-02T02:00:00.000Z')).toBe('2026-03-02T03:00:00.000Z');
  });

  it('handles a zone with a half-hour offset', () => {
    expect(next('10:00', undefined, 'Asia/Kolkata', MONDAY_10AM)).toBe('2026-03-03T04:30:00.000Z');
  });

  it.each([
    ['a malformed time', () => nextOccurrence('9:00', undefined, NY, at('2026-03-02T15:00:00Z'))],
    ['no days', () => nextOccurrence('09:00', [], NY, at('2026-03-02T15:00:00Z'))],
    ['an unknown zone', () => nextOccurrence('09:00', undefined, 'Mars/Olympus', at('2026-03-02T15:00:00Z'))],
    ['an invalid date', () => nextOccurrence('09:00', undefined, NY, new Date(Number.NaN))],
  ])('refuses %s', (_label, run) => {
    expect(run).toThrow(RangeError);
  });
});

describe('nextOccurrence across the spring-forward of America/New_York, 2026-03-08 (02:00 EST -> 03:00 EDT)', () => {
  const MIDNIGHT_EST = '2026-03-08T05:00:00.000Z';

  it('keeps the wall-clock time after the change: 10:00 EST on Saturday, 10:00 EDT on Sunday', () => {
    expect(next('10:00', undefined, NY, '2026-03-07T14:00:00.000Z')).toBe('2026-03-07T15:00:00.000Z');
    expect(next('10:00', undefined, NY, '2026-03-07T16:00:00.000Z')).toBe('2026-03-08T14:00:00.000Z');
  });

  it('resolves a time inside the gap to the first instant after it (03:00 EDT)', () => {
    expect(next('02:00', undefined, NY, MIDNIGHT_EST)).toBe('2026-03-08T07:00:00.000Z');
    expect(next('02:30', undefined, NY, MIDNIGHT_EST)).toBe('2026-03-08T07:00:00.000Z');
    expect(next('02:59', undefined, NY, MIDNIGHT_EST)).toBe('2026-03-08T07:00:00.000Z');
  });

  it('leaves the times around the gap alone', () => {
    expect(next('01:59', undefined, NY, MIDNIGHT_EST)).toBe('2026-03-08T06:59:00.000Z');
    expect(next('03:00', undefined, NY, MIDNIGHT_EST)).toBe('2026-03-08T07:00:00.000Z');
    expect(next('03:01', undefined, NY, MIDNIGHT_EST)).toBe('2026-03-08T07:01:00.000Z');
  });

  it('once the gap has passed, goes to the next day, where 02:30 exists (EDT)', () => {
    expect(next('02:30', undefined, NY, '2026-03-08T07:00:00.000Z')).toBe('2026-03-09T06:30:00.000Z');
  });
});

describe('nextOccurrence across the fall-back of America/New_York, 2026-11-01 (02:00 EDT -> 01:00 EST)', () => {
  it('takes the first of the two 01:30s', () => {
    expect(next('01:30', undefined, NY, '2026-11-01T04:00:00.000Z')).toBe('2026-11-01T05:30:00.000Z');
  });

  it('does not come back for the second 01:30 of the same day', () => {
    expect(next('01:30', undefined, NY, '2026-11-01T05:30:00.000Z')).toBe('2026-11-02T06:30:00.000Z');
    expect(next('01:30', undefined, NY, '2026-11-01T05:45:00.000Z')).toBe('2026-11-02T06:30:00.000Z');
  });

  it('keeps the wall-clock time after the change: 10:00 EDT on Saturday, 10:00 EST on Sunday', () => {
    expect(next('10:00', undefined, NY, '2026-10-31T13:00:00.000Z')).toBe('2026-10-31T14:00:00.000Z');
    expect(next('10:00', undefined, NY, '2026-10-31T15:00:00.000Z')).toBe('2026-11-01T15:00:00.000Z');
  });

  it('is a 25-hour day: 00:30 to 00:30 the next day', () => {
    const first = nextOccurrence('00:30', undefined, NY, at('2026-11-01T04:00:00.000Z'));
    const second = nextOccurrence('00:30', undefined, NY, first);
    expect(second.getTime() - first.getTime()).toBe(25 * 60 * MINUTE_MS);
  });
});

describe('nextOccurrence, any time and zone', () => {
  const zones = [
    'America/New_York',
    'America/Los_Angeles',
    'Europe/London',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'UTC',
  ];
  const cases = fc.record({
    after: fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
    zone: fc.constantFrom(...zones),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    days: fc.option(fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }), { nil: undefined }),
  });

  it('is strictly after, within eight days, on an allowed local day, showing the time (or just after a gap)', () => {
    fc.assert(
      fc.property(cases, ({ after, zone, hour, minute, days }) => {
        // Arrange
        const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

        // Act
        const result = nextOccurrence(time, days, zone, new Date(after)).getTime();

        // Assert
        const local = DateTime.fromMillis(result, { zone });
        const shown = local.hour * 60 + local.minute;
        const wanted = hour * 60 + minute;
        const justBefore = DateTime.fromMillis(result - 1, { zone });
        const inGap = shown > wanted && justBefore.hour * 60 + justBefore.minute < wanted;
        expect(result).toBeGreaterThan(after);
        expect(result - after).toBeLessThanOrEqual(8 * DAY_MS);
        expect(shown === wanted || inGap).toBe(true);
        if (days !== undefined) expect(days).toContain(WEEKDAYS[local.weekday - 1]);
      }),
      { numRuns: 500 },
    );
  });
});
