import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  farFromBestWindows,
  hourOfWeek,
  SEND_TIME_RULES,
  type SendSample,
  sendTimeInsights,
} from '../../../shared/domain/insights/send-times';
import { ZONES } from '../sending/sending-arbitraries';

/** `count` texts at a recipient-local weekday and hour (Monday 2026-03-02 is day 1), `replied` of them answered. */
function texts(day: number, hour: number, count: number, replied: number, zone = 'America/Chicago'): SendSample[] {
  const local = DateTime.fromObject({ year: 2026, month: 3, day: 1 + day, hour }, { zone });
  return Array.from({ length: count }, (_, i) => ({
    sentAt: local
      .plus({ minutes: i % 50 })
      .toUTC()
      .toISO() as string,
    timeZone: zone,
    replied: i < replied,
  }));
}

describe('sendTimeInsights', () => {
  it('says there is not enough data below a few hundred texts', () => {
    // Act
    const insights = sendTimeInsights(texts(2, 10, 299, 50));

    // Assert
    expect(insights).toEqual({
      enoughData: false,
      messages: 299,
      needed: 300,
      message: expect.stringContaining('Not enough data'),
    });
  });

  it('names the recipient-local hours whose texts drew the most replies per text, best first', () => {
    // Arrange: Tuesday 10:00 (8%), Thursday 18:00 (12%), Saturday 09:00 (2%), each 100 texts; the same local hours in
    // Los Angeles count as the same hours
    const samples = [
      ...texts(2, 10, 100, 8),
      ...texts(4, 18, 60, 7),
      ...texts(4, 18, 40, 5, 'America/Los_Angeles'),
      ...texts(6, 9, 100, 2),
    ];

    // Act
    const insights = sendTimeInsights(samples);

    // Assert
    expect(insights.enoughData).toBe(true);
    if (!insights.enoughData) return;
    expect(insights).toMatchObject({ messages: 300, replies: 22 });
    expect(insights.bestWindows.map((w) => [w.day, w.start, w.end, w.messages, w.replies])).toEqual([
      ['THU', '18:00', '19:00', 100, 12],
      ['TUE', '10:00', '11:00', 100, 8],
      ['SAT', '09:00', '10:00', 100, 2],
    ]);
  });

  it('does not let an hour with few texts and a lucky reply win', () => {
    // Arrange: 5 texts with 2 replies (40%), under the minimum per hour
    const samples = [...texts(1, 11, 300, 15), ...texts(3, 15, 5, 2)];

    // Act
    const insights = sendTimeInsights(samples);

    // Assert
    expect(insights.enoughData && insights.bestWindows.map((w) => w.day)).toEqual(['MON']);
  });

  it('reads the local hour through daylight saving (New York, the spring-forward weekend)', () => {
    // Arrange: 14:00 UTC is 09:00 EST on Saturday 7 March and 10:00 EDT on Monday 9 March
    // Act + Assert
    expect(hourOfWeek('2026-03-07T14:00:00.000Z', 'America/New_York')).toBe(5 * 24 + 9);
    expect(hourOfWeek('2026-03-09T14:00:00.000Z', 'America/New_York')).toBe(0 * 24 + 10);
  });

  it('property: counts every text once, and no hour named ranks below one left out', () => {
    const sample = fc.record({
      day: fc.integer({ min: 1, max: 7 }),
      hour: fc.integer({ min: 8, max: 20 }),
      count: fc.integer({ min: 1, max: 80 }),
      rate: fc.double({ min: 0, max: 0.3, noNaN: true }),
      zone: fc.constantFrom(...ZONES),
    });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 25 }), (groups) => {
        // Arrange
        const samples = groups.flatMap((g) => texts(g.day, g.hour, g.count, Math.floor(g.count * g.rate), g.zone));

        // Act
        const insights = sendTimeInsights(samples);

        // Assert
        expect(insights.messages).toBe(samples.length);
        if (!insights.enoughData) {
          expect(samples.length).toBeLessThan(SEND_TIME_RULES.minMessages);
          return;
        }
        expect(insights.replies).toBe(samples.filter((s) => s.replied).length);
        expect(insights.bestWindows.length).toBeLessThanOrEqual(SEND_TIME_RULES.top);
        for (const window of insights.bestWindows) {
          expect(window.messages).toBeGreaterThanOrEqual(SEND_TIME_RULES.minBucketMessages);
        }
        const shrunk = (w: { messages: number; replies: number }) =>
          (w.replies + SEND_TIME_RULES.shrinkMessages * insights.responseRate) /
          (w.messages + SEND_TIME_RULES.shrinkMessages);
        const scores = insights.bestWindows.map(shrunk);
        expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      }),
      { numRuns: 60 },
    );
  });
});

describe('farFromBestWindows', () => {
  const insights = sendTimeInsights([...texts(2, 10, 200, 20), ...texts(4, 18, 200, 10)]);

  it('is silent near a best window, the week wrapping round, and without enough data', () => {
    // Act + Assert: Tuesday 11:30 Chicago is an hour from Tuesday 10:00
    expect(farFromBestWindows(insights, new Date('2026-03-03T17:30:00.000Z'), 'America/Chicago')).toBeUndefined();
    const sundayNight = sendTimeInsights([...texts(7, 23, 300, 30)]);
    // Monday 00:30 is an hour after Sunday 23:00
    expect(farFromBestWindows(sundayNight, new Date('2026-03-09T05:30:00.000Z'), 'America/Chicago')).toBeUndefined();
    expect(
      farFromBestWindows(
        sendTimeInsights(texts(2, 10, 10, 1)),
        new Date('2026-03-07T15:00:00.000Z'),
        'America/Chicago',
      ),
    ).toBeUndefined();
  });

  it('names the best windows when the chosen time is far from them', () => {
    // Act: Saturday 09:00 Chicago
    const note = farFromBestWindows(insights, new Date('2026-03-07T15:00:00.000Z'), 'America/Chicago');

    // Assert
    expect(note).toBe(
      'SAT 09:00 is 39 hours from your best send times by your own history: TUE 10:00-11:00 (10% replied), THU 18:00-19:00 (5% replied).',
    );
  });
});
