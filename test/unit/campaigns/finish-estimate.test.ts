import { type EstimateRecipient, estimateFinish } from '../../../shared/domain/campaigns/finish-estimate';
import { sendTimeProfile } from '../../../shared/domain/sending/send-window';
import type { SendWindow } from '../../../shared/domain/settings/settings.schema';

const WEEKDAYS: SendWindow = { start: '10:00', end: '17:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] };
const EVERY_DAY: SendWindow = { ...WEEKDAYS, days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] };
const NEW_YORK = { phone: '+12125550100', timeZone: 'America/New_York' };
const LOS_ANGELES = { phone: '+13105550100', timeZone: 'America/Los_Angeles' };

function audience(count: number, contact: typeof NEW_YORK, window = WEEKDAYS, segments = 1): EstimateRecipient[] {
  const profile = sendTimeProfile(contact, window);
  return Array.from({ length: count }, () => ({ profile, segments }));
}
const at = (iso: string) => Date.parse(iso);
const seconds = (from: string | null, to: string | null) => (Date.parse(to ?? '') - Date.parse(from ?? '')) / 1000;

describe('estimateFinish', () => {
  it('paces an audience inside its window at the sender rate (the budget spaces slots 1.02 s / mps)', () => {
    // Arrange: Wednesday 15:00 in New York
    const start = at('2026-03-04T20:00:00Z');
    // Act
    const estimate = estimateFinish({ start, recipients: audience(300, NEW_YORK), mps: 10 });
    // Assert
    expect(estimate.firstSendAt).toBe('2026-03-04T20:00:00.000Z');
    expect(seconds(estimate.firstSendAt, estimate.lastSendAt)).toBeCloseTo(299 * 0.102, 1);
    expect(estimate).toMatchObject({
      recipients: 300,
      segments: 300,
      waitingForNextWindow: 0,
      spillsPastWindow: false,
    });
  });

  it('halves the time when the rate doubles', () => {
    const start = at('2026-03-04T20:00:00Z');
    const slow = estimateFinish({ start, recipients: audience(1000, NEW_YORK), mps: 5 });
    const fast = estimateFinish({ start, recipients: audience(1000, NEW_YORK), mps: 10 });
    expect(slow.durationSeconds / fast.durationSeconds).toBeCloseTo(2, 1);
  });

  it('spills what the window closing leaves to the next day’s opening', () => {
    // Arrange: 16:59 in New York, a minute before the window closes; 1200 recipients need two minutes at 10 MPS
    const start = at('2026-03-04T21:59:00Z');
    // Act
    const estimate = estimateFinish({ start, recipients: audience(1200, NEW_YORK), mps: 10 });
    // Assert: 60 s at 10/1.02 per second go today, the rest from Thursday 10:00 New York time
    expect(estimate.spillsPastWindow).toBe(true);
    expect(estimate.waitingForNextWindow).toBeGreaterThanOrEqual(1200 - 589);
    expect(estimate.waitingForNextWindow).toBeLessThanOrEqual(1200 - 587);
    expect(estimate.lastSendAt! > '2026-03-05T15:00:00.000Z').toBe(true);
    expect(seconds('2026-03-05T15:00:00.000Z', estimate.lastSendAt)).toBeCloseTo(
      (estimate.waitingForNextWindow - 1) * 0.102,
      0,
    );
  });

  it('holds each zone until its own window opens and counts them as outside the window at the start', () => {
    // Arrange: 12:00 in New York, 09:00 in Los Angeles
    const start = at('2026-03-04T17:00:00Z');
    const recipients = [...audience(100, NEW_YORK), ...audience(50, LOS_ANGELES)];
    // Act
    const estimate = estimateFinish({ start, recipients, mps: 10 });
    // Assert: Los Angeles opens at 10:00 local (18:00Z), then its 50 go
    expect(estimate.outsideWindowAtStart).toBe(50);
    expect(estimate.firstSendAt).toBe('2026-03-04T17:00:00.000Z');
    expect(seconds('2026-03-04T18:00:00.000Z', estimate.lastSendAt)).toBeCloseTo(49 * 0.102, 1);
    expect(estimate.spillsPastWindow).toBe(false);
  });

  it('opens at 10:00 local on the day clocks spring forward (14:00Z, not 15:00Z)', () => {
    // Arrange: Saturday 17:00 in New York, after the window; Sunday 8 March 2026 is the change to daylight time
    const start = at('2026-03-07T22:00:00Z');
    // Act
    const estimate = estimateFinish({ start, recipients: audience(10, NEW_YORK, EVERY_DAY), mps: 1 });
    // Assert
    expect(estimate.firstSendAt).toBe('2026-03-08T14:00:00.000Z');
    expect(estimate.outsideWindowAtStart).toBe(10);
  });

  it('ends the Florida day at 20:00 even when the tenant window runs to 21:00', () => {
    const lateWindow: SendWindow = { ...EVERY_DAY, start: '08:00', end: '21:00' };
    const miami = { phone: '+13055550100', timeZone: 'America/New_York' };
    // 19:59:30 in Miami: 30 s left at 1 MPS for 100 recipients
    const estimate = estimateFinish({
      start: at('2026-03-04T00:59:30Z'),
      recipients: audience(100, miami, lateWindow),
      mps: 1,
    });
    expect(estimate.waitingForNextWindow).toBeGreaterThan(65);
    expect(estimate.lastSendAt! > '2026-03-04T13:00:00.000Z').toBe(true);
  });

  it('counts the recipients past a carrier daily cap on the day they go', () => {
    const start = at('2026-03-04T15:00:00Z');
    const estimate = estimateFinish({
      start,
      recipients: audience(1000, NEW_YORK, WEEKDAYS, 2),
      mps: 100,
      dailyCapSegments: 1000,
    });
    expect(estimate.segments).toBe(2000);
    expect(estimate.overDailyCap).toBe(500);
    expect(estimateFinish({ start, recipients: audience(1000, NEW_YORK), mps: 100 }).overDailyCap).toBe(0);
  });

  it('answers nulls for an empty audience, and holds own-time recipients until their instant', () => {
    expect(estimateFinish({ start: 0, recipients: [], mps: 1 })).toMatchObject({ firstSendAt: null, lastSendAt: null });
    const profile = sendTimeProfile(NEW_YORK, WEEKDAYS);
    const notBefore = at('2026-03-05T15:30:00Z');
    const estimate = estimateFinish({
      start: at('2026-03-04T15:00:00Z'),
      recipients: [{ profile, segments: 1, notBefore }],
      mps: 1,
    });
    expect(estimate.firstSendAt).toBe('2026-03-05T15:30:00.000Z');
  });
});
