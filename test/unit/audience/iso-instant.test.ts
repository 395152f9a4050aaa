import { parseIsoInstant } from '../../../shared/domain/audience/iso-instant';

describe('parseIsoInstant', () => {
  it.each([
    ['2026-11-26', Date.UTC(2026, 10, 26)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2026-11-26T17:00:00Z', Date.UTC(2026, 10, 26, 17)],
    ['2026-11-26T17:00:00.250Z', Date.UTC(2026, 10, 26, 17, 0, 0, 250)],
    ['2026-11-26T17:00:00-06:00', Date.UTC(2026, 10, 26, 23)],
  ])('reads %s', (text, expected) => {
    expect(parseIsoInstant(text)).toBe(expected);
  });

  it.each([
    ['an impossible day', '2026-02-30'],
    ['a leap day in a common year', '2026-02-29'],
    ['a date-time without a zone', '2026-11-26T17:00:00'],
    ['a basic-format date', '20261126'],
    ['a month name', 'Nov 26 2026'],
    ['an hour past 23', '2026-11-26T24:00:00Z'],
    ['surrounding spaces', ' 2026-11-26'],
    ['empty text', ''],
  ])('refuses %s', (_label, text) => {
    expect(parseIsoInstant(text)).toBeNaN();
  });
});
