import { durationMs, readDuration } from '../../../shared/domain/workflows/workflow.schema';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('durationMs', () => {
  it.each([
    ['PT2H', 2 * HOUR],
    ['PT5S', 5 * SECOND],
    ['PT30M', 30 * MINUTE],
    ['P1D', DAY],
    ['P1W', 7 * DAY],
    ['P1DT12H', DAY + 12 * HOUR],
    ['PT1H30M15S', HOUR + 30 * MINUTE + 15 * SECOND],
    ['PT1.5S', 1500],
    ['PT0.25S', 250],
    ['PT90M', 90 * MINUTE],
    ['PT0S', 0],
    ['-PT24H', -DAY],
    ['-P2DT3H', -(2 * DAY + 3 * HOUR)],
    ['+PT1H', HOUR],
    ['-PT0S', 0],
  ])('%s is %d ms', (text, expected) => {
    expect(durationMs(text)).toBe(expected);
  });

  it('counts a day as 24 hours whatever the calendar does (a wait is elapsed time)', () => {
    expect(durationMs('P1D')).toBe(durationMs('PT24H'));
  });

  it.each([
    ['P1M', 'must not use months or years (their length varies); use days (P30D) or weeks (P4W)'],
    ['P1Y', 'must not use months or years (their length varies); use days (P30D) or weeks (P4W)'],
    ['-P1Y2D', 'must not use months or years (their length varies); use days (P30D) or weeks (P4W)'],
  ])('refuses %s: months and years have no fixed length', (text, message) => {
    expect(readDuration(text)).toEqual({ ok: false, message });
    expect(() => durationMs(text)).toThrow(RangeError);
  });

  it.each([
    'P',
    'PT',
    'P1DT',
    'PT-2H',
    '--PT1H',
    'PT2h',
    'pt2h',
    'P1.5D',
    'PT1.2345S',
    ' PT1H',
    '2 hours',
    '',
    'PT1H2H',
    'P1D1W',
  ])('refuses %j as not a duration', (text) => {
    expect(readDuration(text)).toEqual({
      ok: false,
      message: 'must be an ISO-8601 duration such as PT2H, PT30M, PT5S, P1D or P1W',
    });
  });
});
