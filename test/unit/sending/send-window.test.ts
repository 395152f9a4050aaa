import { isMarketing } from '../../../shared/domain/sending/message-purpose';
import {
  checkSendTime,
  effectiveWindow,
  recipientZones,
  type SendTimeCheck,
} from '../../../shared/domain/sending/send-window';
import { defaultSettings, type SendWindow } from '../../../shared/domain/settings/settings.schema';

const WEEKDAYS: SendWindow['days'] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
const EVERY_DAY: SendWindow['days'] = [...WEEKDAYS, 'SAT', 'SUN'];
const DEFAULT_WINDOW = defaultSettings.sendWindow;

const newYorker = { phone: '+12127365000', timeZone: 'America/New_York' };
const miami = { phone: '+13055551234', timeZone: 'America/New_York' };
/** Idaho 208 outside the longer prefixes: Boise and Denver (Mountain) or Los Angeles (Pacific). */
const idaho = { phone: '+12081002345', timeZone: 'America/Los_Angeles' };

/** The UTC text of the next opening, or 'allowed': keeps expectations readable. */
function outcome(check: SendTimeCheck): string {
  return check.allowed ? 'allowed' : `${check.nextOpening.toISOString()} ${check.reason}`;
}

function check(nowIso: string, contact: { phone: string; timeZone: string }, window = DEFAULT_WINDOW): string {
  return outcome(checkSendTime(new Date(nowIso), contact, window));
}

describe('effectiveWindow', () => {
  it('keeps a tenant window that is inside the legal hours', () => {
    expect(effectiveWindow(DEFAULT_WINDOW, { strictState: false })).toEqual(DEFAULT_WINDOW);
  });

  it('ends at 20:00 for a strict state, at 21:00 otherwise', () => {
    // Arrange
    const late = { start: '10:00', end: '21:00', days: WEEKDAYS };

    // Act / Assert
    expect(effectiveWindow(late, { strictState: true })).toEqual({ start: '10:00', end: '20:00', days: WEEKDAYS });
    expect(effectiveWindow(late, { strictState: false })).toEqual(late);
  });

  it('narrows a window wider than the law (one that skipped validation) to 08:00-21:00', () => {
    expect(effectiveWindow({ start: '06:00', end: '23:30', days: ['SAT'] }, { strictState: false })).toEqual({
      start: '08:00',
      end: '21:00',
      days: ['SAT'],
    });
  });

  it('falls back to the legal hours on the tenant days when the two do not overlap', () => {
    // Arrange: 20:00-21:00 is legal in New York but not in Florida
    const evening = { start: '20:00', end: '21:00', days: ['TUE'] as SendWindow['days'] };

    // Act / Assert
    expect(effectiveWindow(evening, { strictState: true })).toEqual({ start: '08:00', end: '20:00', days: ['TUE'] });
  });
});

describe('recipientZones', () => {
  it('lists the stored zone first, then every candidate zone of the number, once each', () => {
    expect(recipientZones(idaho)).toEqual(['America/Los_Angeles', 'America/Boise', 'America/Denver']);
    expect(recipientZones(newYorker)).toEqual(['America/New_York']);
    expect(recipientZones({ phone: '+12127365000', timeZone: 'America/Chicago' })).toEqual([
      'America/Chicago',
      'America/New_York',
    ]);
  });

  it('keeps only the stored zone for a number with no known zone, and drops names that are not zones', () => {
    expect(recipientZones({ phone: '+442079460018', timeZone: 'Europe/London' })).toEqual(['Europe/London']);
    expect(recipientZones({ phone: '+12127365000', timeZone: 'Not/AZone' })).toEqual(['America/New_York']);
  });
});

describe('checkSendTime at the edges of the window (New York, winter: EST is UTC-5)', () => {
  it.each([
    ['09:59 Wednesday, deferred to 10:00 the same day', '2026-01-14T14:59:00.000Z', '2026-01-14T15:00:00.000Z'],
    ['09:59:59.999, deferred to 10:00 exactly', '2026-01-14T14:59:59.999Z', '2026-01-14T15:00:00.000Z'],
    ['17:00 Wednesday, deferred to 10:00 Thursday', '2026-01-14T22:00:00.000Z', '2026-01-15T15:00:00.000Z'],
    ['17:00 Friday, deferred to 10:00 Monday', '2026-01-16T22:00:00.000Z', '2026-01-19T15:00:00.000Z'],
    ['03:00 Wednesday, deferred to 10:00 the same day', '2026-01-14T08:00:00.000Z', '2026-01-14T15:00:00.000Z'],
  ])('%s', (_label, now, nextOpening) => {
    expect(check(now, newYorker)).toBe(`${nextOpening} outsideWindow`);
  });

  it.each([
    ['10:00:00.000', '2026-01-14T15:00:00.000Z'],
    ['16:59:59', '2026-01-14T21:59:59.000Z'],
    ['16:59:59.999', '2026-01-14T21:59:59.999Z'],
  ])('allows %s on a weekday', (_label, now) => {
    expect(check(now, newYorker)).toBe('allowed');
  });

  it('says the day is closed at the weekend and defers to Monday 10:00', () => {
    expect(check('2026-01-17T17:00:00.000Z', newYorker)).toBe('2026-01-19T15:00:00.000Z closedDay');
    expect(check('2026-01-18T23:59:00.000Z', newYorker)).toBe('2026-01-19T15:00:00.000Z closedDay');
  });

  it('judges the day on the local calendar, not in UTC', () => {
    // Arrange: Saturday 02:00 UTC is still Friday 21:00 in New York; Monday 03:00 UTC is Sunday 22:00
    const saturdayUtc = '2026-01-17T02:00:00.000Z';
    const mondayUtc = '2026-01-19T03:00:00.000Z';

    // Act / Assert
    expect(check(saturdayUtc, newYorker)).toBe('2026-01-19T15:00:00.000Z outsideWindow');
    expect(check(mondayUtc, newYorker)).toBe('2026-01-19T15:00:00.000Z closedDay');
  });

  it('uses the tenant days', () => {
    // Arrange
    const weekends = { start: '10:00', end: '17:00', days: ['SAT', 'SUN'] as SendWindow['days'] };

    // Act / Assert
    expect(check('2026-01-14T16:00:00.000Z', newYorker, weekends)).toBe('2026-01-17T15:00:00.000Z closedDay');
    expect(check('2026-01-18T16:00:00.000Z', newYorker, weekends)).toBe('allowed');
  });
});

describe('checkSendTime for strict states', () => {
  const lateWindow = { start: '10:00', end: '21:00', days: WEEKDAYS };

  it('ends a 10:00-21:00 window at 20:00 for a Florida 305 number', () => {
    expect(check('2026-01-15T00:59:59.999Z', miami, lateWindow)).toBe('allowed');
    expect(check('2026-01-15T01:00:00.000Z', miami, lateWindow)).toBe('2026-01-15T15:00:00.000Z outsideWindow');
  });

  it('keeps 21:00 for a New York number with the same window', () => {
    expect(check('2026-01-15T01:00:00.000Z', newYorker, lateWindow)).toBe('allowed');
    expect(check('2026-01-15T01:59:59.999Z', newYorker, lateWindow)).toBe('allowed');
    expect(check('2026-01-15T02:00:00.000Z', newYorker, lateWindow)).toBe('2026-01-15T15:00:00.000Z outsideWindow');
  });

  it.each([
    ['Oklahoma 405 (Central)', { phone: '+14055551234', timeZone: 'America/Chicago' }, '2026-01-15T02:00:00.000Z'],
    ['Maryland 301 (Eastern)', { phone: '+13015551234', timeZone: 'America/New_York' }, '2026-01-15T01:00:00.000Z'],
  ])('ends at 20:00 local for %s', (_label, contact, eightPm) => {
    // Arrange
    const justBefore = new Date(Date.parse(eightPm) - 1).toISOString();

    // Act / Assert
    expect(check(justBefore, contact, lateWindow)).toBe('allowed');
    expect(check(eightPm, contact, lateWindow)).toMatch(/outsideWindow$/);
  });
});

describe('checkSendTime across several zones', () => {
  it('sends to a number spanning Mountain and Pacific time only when the window is open in both', () => {
    // Arrange: 10:00-17:00 Pacific and Mountain overlap from 10:00 PST (18:00Z) to 17:00 MST (00:00Z)
    const nineThirtyPacific = '2026-01-14T17:30:00.000Z';
    const tenPacific = '2026-01-14T18:00:00.000Z';
    const fivePmMountain = '2026-01-15T00:00:00.000Z';

    // Act / Assert
    expect(check(nineThirtyPacific, idaho)).toBe(`${tenPacific} outsideWindow`);
    expect(check(tenPacific, idaho)).toBe('allowed');
    expect(check('2026-01-14T23:59:59.999Z', idaho)).toBe('allowed');
    expect(check(fivePmMountain, idaho)).toBe('2026-01-15T18:00:00.000Z outsideWindow');
  });

  it('honours both the stored zone and the number zone when they differ', () => {
    // Arrange: a New York number stored in Chicago, so 10:00 CST (16:00Z) to 17:00 EST (22:00Z)
    const contact = { phone: '+12127365000', timeZone: 'America/Chicago' };

    // Act / Assert
    expect(check('2026-01-14T15:00:00.000Z', contact)).toBe('2026-01-14T16:00:00.000Z outsideWindow');
    expect(check('2026-01-14T16:00:00.000Z', contact)).toBe('allowed');
    expect(check('2026-01-14T22:00:00.000Z', contact)).toBe('2026-01-15T16:00:00.000Z outsideWindow');
  });

  it('calls the day closed when it is closed in any of the zones', () => {
    // Arrange: Saturday 00:30 in New York is still Friday 21:30 in Los Angeles
    const contact = { phone: '+12127365000', timeZone: 'America/Los_Angeles' };

    // Act / Assert
    expect(check('2026-01-17T05:30:00.000Z', contact)).toBe('2026-01-19T18:00:00.000Z closedDay');
  });

  it('lets the stored zone alone decide when the zones never share an opening', () => {
    // Arrange: 10:00-17:00 in Tokyo (01:00-08:00Z) and in New York (15:00-22:00Z) never meet
    const contact = { phone: '+12127365000', timeZone: 'Asia/Tokyo' };

    // Act / Assert: Wednesday 09:00 JST waits for 10:00 JST; 10:00 JST is allowed
    expect(check('2026-01-14T00:00:00.000Z', contact)).toBe('2026-01-14T01:00:00.000Z outsideWindow');
    expect(check('2026-01-14T01:00:00.000Z', contact)).toBe('allowed');
  });

  it('lets the stored zone decide when a one-hour window cannot fit two zones', () => {
    // Arrange: 10:00-11:00 Pacific and Mountain do not overlap; the stored zone is Pacific
    const short = { start: '10:00', end: '11:00', days: WEEKDAYS };

    // Act / Assert
    expect(check('2026-01-14T17:00:00.000Z', idaho, short)).toBe('2026-01-14T18:00:00.000Z outsideWindow');
    expect(check('2026-01-14T18:30:00.000Z', idaho, short)).toBe('allowed');
  });
});

describe('checkSendTime across daylight-saving changes (New York, window every day)', () => {
  const daily = { start: '10:00', end: '17:00', days: EVERY_DAY };

  it('opens at 10:00 EDT on the spring-forward Sunday, an hour earlier in UTC than the day before', () => {
    expect(check('2026-03-07T22:00:00.000Z', newYorker, daily)).toBe('2026-03-08T14:00:00.000Z outsideWindow');
    expect(check('2026-03-08T13:59:59.999Z', newYorker, daily)).toBe('2026-03-08T14:00:00.000Z outsideWindow');
    expect(check('2026-03-08T20:59:59.999Z', newYorker, daily)).toBe('allowed');
    expect(check('2026-03-08T21:00:00.000Z', newYorker, daily)).toBe('2026-03-09T14:00:00.000Z outsideWindow');
  });

  it('opens at 10:00 EST on the fall-back Sunday, an hour later in UTC than the day before', () => {
    expect(check('2026-10-31T21:00:00.000Z', newYorker, daily)).toBe('2026-11-01T15:00:00.000Z outsideWindow');
    expect(check('2026-11-01T14:30:00.000Z', newYorker, daily)).toBe('2026-11-01T15:00:00.000Z outsideWindow');
    expect(check('2026-11-01T21:59:59.999Z', newYorker, daily)).toBe('allowed');
    expect(check('2026-11-01T22:00:00.000Z', newYorker, daily)).toBe('2026-11-02T15:00:00.000Z outsideWindow');
  });

  it('defers from Friday evening to Monday across a DST change', () => {
    expect(check('2026-03-06T22:00:00.000Z', newYorker)).toBe('2026-03-09T14:00:00.000Z outsideWindow');
    expect(check('2026-10-30T21:00:00.000Z', newYorker)).toBe('2026-11-02T15:00:00.000Z outsideWindow');
  });
});

describe('checkSendTime in zones without daylight saving time', () => {
  it.each([
    ['Phoenix 602, MST all year', { phone: '+16025551234', timeZone: 'America/Phoenix' }, 17],
    ['Honolulu 808, HST all year', { phone: '+18085551234', timeZone: 'Pacific/Honolulu' }, 20],
  ])('%s opens at the same UTC hour in winter, in summer and across the US change', (_label, contact, utcHour) => {
    // Arrange: 07:00 local on Fridays around the year, and on the Monday after the US spring-forward
    const openings = ['2026-01-16', '2026-03-06', '2026-03-09', '2026-07-17', '2026-11-02'].map(
      (day) => `${day}T${String(utcHour).padStart(2, '0')}:00:00.000Z`,
    );

    // Act / Assert
    for (const opening of openings) {
      const early = new Date(Date.parse(opening) - 3 * 3_600_000).toISOString();
      expect(check(early, contact)).toBe(`${opening} outsideWindow`);
      expect(check(opening, contact)).toBe('allowed');
    }
  });

  it('lets a New York number stored in Phoenix send in a window that shifts with the season', () => {
    // Arrange: overlap is 10:00 MST (17:00Z) to 17:00 Eastern: 22:00Z in winter, 21:00Z in summer
    const contact = { phone: '+12127365000', timeZone: 'America/Phoenix' };

    // Act / Assert
    expect(check('2026-01-14T21:30:00.000Z', contact)).toBe('allowed');
    expect(check('2026-07-15T21:30:00.000Z', contact)).toBe('2026-07-16T17:00:00.000Z outsideWindow');
  });
});

describe('checkSendTime for transactional messages', () => {
  const transactional = { messageType: 'TRANSACTIONAL' } as const;
  const checkTransactional = (nowIso: string, contact: { phone: string; timeZone: string }) =>
    outcome(checkSendTime(new Date(nowIso), contact, DEFAULT_WINDOW, transactional));

  it('skips the tenant window: any day, 08:00 to 21:00', () => {
    expect(checkTransactional('2026-01-17T13:00:00.000Z', newYorker)).toBe('allowed');
    expect(checkTransactional('2026-01-17T01:59:59.999Z', newYorker)).toBe('allowed');
  });

  it('keeps to the legal hours, strict states included', () => {
    expect(checkTransactional('2026-01-17T12:59:00.000Z', newYorker)).toBe('2026-01-17T13:00:00.000Z outsideWindow');
    expect(checkTransactional('2026-01-17T02:00:00.000Z', newYorker)).toBe('2026-01-17T13:00:00.000Z outsideWindow');
    expect(checkTransactional('2026-01-17T01:00:00.000Z', miami)).toBe('2026-01-17T13:00:00.000Z outsideWindow');
  });

  it('treats a missing message type as marketing', () => {
    expect(check('2026-01-17T13:00:00.000Z', newYorker)).toMatch(/closedDay$/);
  });
});

describe('isMarketing', () => {
  it('is true for promotional messages only', () => {
    expect(isMarketing('PROMOTIONAL')).toBe(true);
    expect(isMarketing('TRANSACTIONAL')).toBe(false);
  });
});

describe('checkSendTime refusals', () => {
  it('refuses an invalid date rather than guessing the time', () => {
    expect(() => checkSendTime(new Date(Number.NaN), newYorker, DEFAULT_WINDOW)).toThrow(RangeError);
  });

  it('refuses a contact with no valid zone at all', () => {
    expect(() =>
      checkSendTime(
        new Date('2026-01-14T15:00:00.000Z'),
        { phone: '+442079460018', timeZone: 'Nowhere' },
        DEFAULT_WINDOW,
      ),
    ).toThrow(RangeError);
  });
});

describe('effectiveWindow refusals', () => {
  it('refuses a malformed tenant window instead of widening it to the legal hours', () => {
    expect(() => effectiveWindow({ start: '17:00', end: '10:00', days: WEEKDAYS }, { strictState: false })).toThrow(
      RangeError,
    );
    expect(() => effectiveWindow({ start: '10:00', end: '17:00', days: [] }, { strictState: false })).toThrow(
      RangeError,
    );
  });
});
