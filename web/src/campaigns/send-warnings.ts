import type { AudiencePreview, Settings } from '../api/types';
import { DAY_NAMES, partsInZone, weekdayOf } from '../lib/format';

export type SendPlan =
  | { mode: 'now'; now: Date }
  | { mode: 'schedule'; date: string; time: string; timeZone: string | 'recipient' };

/**
 * What a careful marketer wants to know before a text goes out: a weekend, a time outside the send window (those
 * recipients wait for its next opening), people texted recently (the frequency cap skips them), nobody eligible.
 * Shown before the confirmation; the server's own warnings come back with the send and show on the results page.
 */
export function sendWarnings(
  plan: SendPlan,
  settings: Settings | null,
  audience: AudiencePreview | undefined,
): { code: string; message: string }[] {
  const warnings: { code: string; message: string }[] = [];
  const zone = settings?.defaultTimeZone ?? 'America/New_York';
  const local =
    plan.mode === 'now'
      ? { ...partsInZone(plan.now, zone), zone }
      : {
          date: plan.date,
          time: plan.time,
          weekday: weekdayOf(plan.date),
          zone: plan.timeZone === 'recipient' ? "each recipient's own time" : plan.timeZone,
        };
  if (local.weekday === 'SAT' || local.weekday === 'SUN') {
    warnings.push({
      code: 'WEEKEND',
      message: `That is a ${DAY_NAMES[local.weekday]}: weekend texts get fewer replies and more opt-outs.`,
    });
  }
  const window = settings?.sendWindow;
  if (window) {
    const inHours = local.time >= window.start && local.time < window.end;
    const onDay = window.days.includes(local.weekday as (typeof window.days)[number]);
    if (!inHours || !onDay) {
      warnings.push({
        code: 'OUTSIDE_WINDOW',
        message: `${plan.mode === 'now' ? 'Now' : `${local.time} on ${DAY_NAMES[local.weekday] ?? local.weekday}`} (${local.zone}) is outside your send window (${window.start}–${window.end}, ${window.days.join(', ')}): recipients get the text when the window next opens in their time zone.`,
      });
    }
  }
  if (audience) {
    if (audience.excluded.frequencyCapped > 0) {
      const cap = settings?.frequencyCap;
      warnings.push({
        code: 'RECENTLY_TEXTED',
        message: `${audience.excluded.frequencyCapped} contact${audience.excluded.frequencyCapped === 1 ? ' was' : 's were'} texted recently${cap ? ` (more than ${cap.maxMessages} in ${cap.perHours} h)` : ''} and will be skipped.`,
      });
    }
    if (audience.eligible === 0) {
      warnings.push({ code: 'NO_RECIPIENTS', message: 'No one in this audience can get the text right now.' });
    }
  }
  return warnings;
}
