import { DateTime } from 'luxon';
import type { SendWindow } from '../settings/settings.schema';
import type { AbTest } from './ab-test';
import type { CampaignWarning } from './campaign.schema';

const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/** True when `instant`, read in `zone`, falls inside the send window (its hours, on one of its days). */
function insideWindow(instant: Date, zone: string, window: SendWindow): boolean {
  const local = DateTime.fromJSDate(instant, { zone });
  const day = WEEKDAYS[local.weekday - 1] as (typeof WEEKDAYS)[number];
  const clock = local.toFormat('HH:mm');
  return window.days.includes(day) && clock >= window.start && clock < window.end;
}

/**
 * A test-then-winner campaign whose wait ends outside the send window (after it closes, or on a day it does not
 * open): the winner is picked then, but the remainder waits for the window's next opening. Said, never refused.
 */
export function winnerTimingWarnings(
  launchAt: Date,
  abTest: AbTest | null,
  zone: string,
  window: SendWindow,
): CampaignWarning[] {
  if (!abTest) return [];
  const endsAt = new Date(launchAt.getTime() + abTest.waitMinutes * 60_000);
  if (insideWindow(endsAt, zone, window)) return [];
  const local = DateTime.fromJSDate(endsAt, { zone }).toFormat('ccc HH:mm');
  return [
    {
      code: 'WINNER_AFTER_WINDOW',
      message: `The test's ${abTest.waitMinutes}-minute wait ends ${local} in ${zone}, outside your send window (${window.start}-${window.end} ${window.days.join(',')}): the winner goes to the remaining ${100 - abTest.testPercent}% only when the window next opens. Shorten the wait or send earlier.`,
    },
  ];
}
