import { DateTime } from 'luxon';
import { RuleViolationError } from '../errors';
import type { SendWindow } from '../settings/settings.schema';
import type { CampaignSchedule, CampaignWarning } from './campaign.schema';

/** The earliest and latest zones on Earth: a recipient-time-zone send starts in the first and ends in the last. */
const EARLIEST_ZONE = 'Etc/GMT-14';
const LATEST_ZONE = 'Etc/GMT+12';
/** How far ahead a campaign can be scheduled. */
const MAX_AHEAD_MS = 366 * 86_400_000;

/** `sendAt` read in `zone`; a time that does not exist (DST gap) moves forward, as EventBridge does. */
export function localToInstant(sendAt: string, zone: string): Date {
  const local = DateTime.fromISO(sendAt, { zone });
  return local.toJSDate();
}

export interface ResolvedSchedule {
  /** When the launch fires (UTC). */
  fireAt: Date;
  /** What the Scheduler port gets: wall-clock `at` and its zone. */
  at: string;
  timeZone: string;
}

/**
 * Where and when a schedule fires. A recipient-time-zone schedule fires at the earliest zone's
 * instant and each recipient waits for the time in their own zone. A time already past everywhere
 * is a 422.
 */
export function resolveSchedule(schedule: CampaignSchedule, now: Date): ResolvedSchedule {
  const at = schedule.sendAt.length === 16 ? `${schedule.sendAt}:00` : schedule.sendAt;
  const zone = 'timeZone' in schedule ? schedule.timeZone : EARLIEST_ZONE;
  const lastZone = 'timeZone' in schedule ? schedule.timeZone : LATEST_ZONE;
  const lastInstant = localToInstant(at, lastZone);
  if (lastInstant.getTime() <= now.getTime()) {
    throw new RuleViolationError('CAMPAIGN.SEND_TIME_PAST', `sendAt ${schedule.sendAt} is in the past`, [
      { path: 'sendAt', message: 'is in the past' },
    ]);
  }
  const fireAt = localToInstant(at, zone);
  if (!Number.isFinite(fireAt.getTime()) || fireAt.getTime() > now.getTime() + MAX_AHEAD_MS) {
    throw new RuleViolationError('CAMPAIGN.SEND_TIME_TOO_FAR', `sendAt ${schedule.sendAt} is more than a year ahead`, [
      { path: 'sendAt', message: 'must be within a year from now' },
    ]);
  }
  return { fireAt: fireAt.getTime() < now.getTime() ? now : fireAt, at, timeZone: zone };
}

const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/** Warnings about the send time itself, judged in the zone the marketer chose (or the tenant's). */
export function sendTimeWarnings(instant: Date, zone: string, window: SendWindow): CampaignWarning[] {
  const local = DateTime.fromJSDate(instant, { zone });
  const warnings: CampaignWarning[] = [];
  const day = WEEKDAYS[local.weekday - 1] as (typeof WEEKDAYS)[number];
  if (day === 'SAT' || day === 'SUN') {
    warnings.push({
      code: 'WEEKEND_SEND',
      message: `The send time falls on a ${local.toFormat('cccc')} in ${zone}; weekend blasts get fewer responses and more opt-outs.`,
    });
  }
  const clock = local.toFormat('HH:mm');
  if (clock < window.start || clock >= window.end || !window.days.includes(day)) {
    warnings.push({
      code: 'OUTSIDE_BUSINESS_HOURS',
      message: `The send time ${clock} in ${zone} is outside your send window (${window.start}-${window.end} ${window.days.join(',')}); recipients outside it wait for its next opening.`,
    });
  }
  return warnings;
}
