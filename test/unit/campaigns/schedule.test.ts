import { campaignScheduleSchema } from '../../../shared/domain/campaigns/campaign.schema';
import { localToInstant, resolveSchedule, sendTimeWarnings } from '../../../shared/domain/campaigns/schedule';
import { RuleViolationError } from '../../../shared/domain/errors';
import { defaultSettings, type SendWindow } from '../../../shared/domain/settings/settings.schema';

const NOW = new Date('2026-11-26T17:00:00.000Z'); // a Thursday: 11:00 in Chicago, 12:00 in New York

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('resolveSchedule', () => {
  it('reads sendAt in the given zone and hands the scheduler the wall-clock time with seconds', () => {
    // Act
    const resolved = resolveSchedule({ sendAt: '2026-12-01T10:30', timeZone: 'America/Chicago' }, NOW);

    // Assert
    expect(resolved.fireAt.toISOString()).toBe('2026-12-01T16:30:00.000Z');
    expect(resolved).toMatchObject({ at: '2026-12-01T10:30:00', timeZone: 'America/Chicago' });
  });

  it('keeps seconds when they are given', () => {
    const resolved = resolveSchedule({ sendAt: '2026-12-01T10:30:15', timeZone: 'Asia/Tokyo' }, NOW);
    expect(resolved.fireAt.toISOString()).toBe('2026-12-01T01:30:15.000Z');
    expect(resolved.at).toBe('2026-12-01T10:30:15');
  });

  it('the same wall-clock time is a different instant in another zone', () => {
    const chicago = resolveSchedule({ sendAt: '2026-12-01T10:30', timeZone: 'America/Chicago' }, NOW);
    const newYork = resolveSchedule({ sendAt: '2026-12-01T10:30', timeZone: 'America/New_York' }, NOW);
    expect(chicago.fireAt.getTime() - newYork.fireAt.getTime()).toBe(3_600_000);
  });

  it.each([
    ['an hour ago in the zone', { sendAt: '2026-11-26T10:00', timeZone: 'America/Chicago' }],
    ['exactly now', { sendAt: '2026-11-26T11:00', timeZone: 'America/Chicago' }],
    ['last year', { sendAt: '2025-12-01T10:30', timeZone: 'UTC' }],
  ])('a time in the past (%s) is a 422 naming sendAt', (_label, schedule) => {
    // Act
    const error = thrownBy(() => resolveSchedule(schedule, NOW));

    // Assert
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error).toMatchObject({
      code: 'CAMPAIGN.SEND_TIME_PAST',
      details: [expect.objectContaining({ path: 'sendAt' })],
    });
  });

  it('a time that is past in New York but still ahead in Los Angeles depends on the zone asked for', () => {
    // 11:30 local: past in New York (12:00 now), future in Los Angeles (09:00 now)
    expect(
      thrownBy(() => resolveSchedule({ sendAt: '2026-11-26T11:30', timeZone: 'America/New_York' }, NOW)),
    ).toBeInstanceOf(RuleViolationError);
    expect(
      resolveSchedule({ sendAt: '2026-11-26T11:30', timeZone: 'America/Los_Angeles' }, NOW).fireAt.toISOString(),
    ).toBe('2026-11-26T19:30:00.000Z');
  });

  describe('recipientTimeZone', () => {
    it('fires when the time first comes anywhere: in the earliest zone (UTC+14)', () => {
      // Act
      const resolved = resolveSchedule({ sendAt: '2026-12-01T10:30', recipientTimeZone: true }, NOW);

      // Assert: 10:30 at UTC+14 is 20:30 UTC the day before
      expect(resolved.fireAt.toISOString()).toBe('2026-11-30T20:30:00.000Z');
      expect(resolved.at).toBe('2026-12-01T10:30:00');
      expect(localToInstant(resolved.at, resolved.timeZone).toISOString()).toBe(resolved.fireAt.toISOString());
    });

    it('is not past while the time is still ahead in the latest zone (UTC-12); it fires at once', () => {
      // Arrange: 10:30 on Nov 26 has passed at UTC+14 (and in Chicago) but not at UTC-12 (22:30 UTC)
      const schedule = { sendAt: '2026-11-26T10:30', recipientTimeZone: true as const };

      // Act
      const resolved = resolveSchedule(schedule, NOW);

      // Assert
      expect(resolved.fireAt.toISOString()).toBe(NOW.toISOString());
    });

    it('is a 422 once the time has passed in the latest zone too', () => {
      // 10:30 at UTC-12 is 22:30 UTC
      const schedule = { sendAt: '2026-11-25T10:30', recipientTimeZone: true as const };
      expect(thrownBy(() => resolveSchedule(schedule, new Date('2026-11-25T22:30:00.000Z')))).toBeInstanceOf(
        RuleViolationError,
      );
      expect(resolveSchedule(schedule, new Date('2026-11-25T22:29:59.000Z')).fireAt.toISOString()).toBe(
        '2026-11-25T22:29:59.000Z',
      );
    });
  });

  describe('daylight saving', () => {
    it('a time in the spring-forward gap moves forward by the gap (02:30 does not exist on 8 March in New York)', () => {
      // Act
      const resolved = resolveSchedule(
        { sendAt: '2026-03-08T02:30', timeZone: 'America/New_York' },
        new Date('2026-03-01T00:00:00Z'),
      );

      // Assert: 03:30 EDT
      expect(resolved.fireAt.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    });

    it('times either side of the gap keep their offsets', () => {
      expect(localToInstant('2026-03-08T01:59:00', 'America/New_York').toISOString()).toBe('2026-03-08T06:59:00.000Z');
      expect(localToInstant('2026-03-08T03:00:00', 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    });

    it('a time in the fall-back overlap is one of its two instants', () => {
      const instant = localToInstant('2026-11-01T01:30:00', 'America/New_York').toISOString();
      expect(['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z']).toContain(instant);
    });
  });
});

describe('the schedule body', () => {
  it.each([
    { sendAt: '2026-12-01T10:30', timeZone: 'America/Chicago' },
    { sendAt: '2026-12-01T10:30:59', timeZone: 'America/Chicago' },
    { sendAt: '2026-12-01T10:30', recipientTimeZone: true },
  ])('accepts %j', (body) => {
    expect(campaignScheduleSchema.safeParse(body).success).toBe(true);
  });

  it.each([
    ['an offset', { sendAt: '2026-12-01T10:30Z', timeZone: 'America/Chicago' }],
    ['an unknown zone', { sendAt: '2026-12-01T10:30', timeZone: 'Mars/Olympus' }],
    ['both a zone and recipientTimeZone', { sendAt: '2026-12-01T10:30', timeZone: 'UTC', recipientTimeZone: true }],
    ['recipientTimeZone false', { sendAt: '2026-12-01T10:30', recipientTimeZone: false }],
    ['no zone at all', { sendAt: '2026-12-01T10:30' }],
    ['30 February', { sendAt: '2026-02-30T10:30', timeZone: 'America/Chicago' }],
    ['hour 24', { sendAt: '2026-12-01T24:00', timeZone: 'America/Chicago' }],
    ['minute 60', { sendAt: '2026-12-01T10:60', timeZone: 'America/Chicago' }],
    ['month 13', { sendAt: '2026-13-01T10:30', timeZone: 'America/Chicago' }],
  ])('refuses %s (a 400, never a 5xx later)', (_label, body) => {
    expect(campaignScheduleSchema.safeParse(body).success).toBe(false);
  });
});

describe('sendTimeWarnings', () => {
  const window = defaultSettings.sendWindow; // 10:00-17:00 MON-FRI
  const codes = (instant: string, zone: string, w: SendWindow = window) =>
    sendTimeWarnings(new Date(instant), zone, w).map((warning) => warning.code);

  it('says nothing for a weekday inside the window', () => {
    expect(codes('2026-11-26T17:00:00Z', 'America/Chicago')).toEqual([]); // Thu 11:00
  });

  it('flags a weekend send, judged in the chosen zone', () => {
    // Sat 28 Nov 12:00 in Chicago (outside the weekday window, too)
    expect(codes('2026-11-28T18:00:00Z', 'America/Chicago')).toEqual(['WEEKEND_SEND', 'OUTSIDE_BUSINESS_HOURS']);
    // Sunday with an every-day window: only the weekend warning
    const everyDay: SendWindow = {
      start: '08:00',
      end: '21:00',
      days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
    };
    expect(codes('2026-11-29T18:00:00Z', 'America/Chicago', everyDay)).toEqual(['WEEKEND_SEND']);
  });

  it('a Friday evening in Chicago is already Saturday in Tokyo', () => {
    const instant = '2026-11-28T01:00:00Z'; // Fri 19:00 Chicago, Sat 10:00 Tokyo
    expect(codes(instant, 'America/Chicago')).toEqual(['OUTSIDE_BUSINESS_HOURS']);
    expect(codes(instant, 'Asia/Tokyo')).toEqual(['WEEKEND_SEND', 'OUTSIDE_BUSINESS_HOURS']);
  });

  it.each([
    ['09:59', '2026-11-26T15:59:00Z', ['OUTSIDE_BUSINESS_HOURS']],
    ['10:00', '2026-11-26T16:00:00Z', []],
    ['16:59', '2026-11-26T22:59:00Z', []],
    ['17:00 (the end is exclusive)', '2026-11-26T23:00:00Z', ['OUTSIDE_BUSINESS_HOURS']],
    ['03:00', '2026-11-26T09:00:00Z', ['OUTSIDE_BUSINESS_HOURS']],
  ])('Thursday %s in Chicago', (_label, instant, expected) => {
    expect(codes(instant, 'America/Chicago')).toEqual(expected);
  });

  it('flags a weekday the window does not open on', () => {
    const mondaysOnly: SendWindow = { start: '10:00', end: '17:00', days: ['MON'] };
    expect(codes('2026-11-26T17:00:00Z', 'America/Chicago', mondaysOnly)).toEqual(['OUTSIDE_BUSINESS_HOURS']);
  });

  it('each warning carries a readable message naming the zone', () => {
    const warnings = sendTimeWarnings(new Date('2026-11-28T18:00:00Z'), 'America/Chicago', window);
    for (const warning of warnings) expect(warning.message).toContain('America/Chicago');
  });
});
