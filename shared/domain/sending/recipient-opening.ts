import { nextCommonOpening } from './common-opening';
import { DAY_MS, type DailyWindow } from './daily-window';
import type { ZoneClock } from './zone-clock';
import { nextOpeningInZone } from './zoned-window';

/**
 * How far ahead a deferral looks: a week and a day holds an opening of every weekly window within 08:00-21:00, DST
 * changes included (they happen at night).
 */
export const SEARCH_HORIZON_MS = 8 * DAY_MS;

/** The zones a recipient may be in: `primary` (the contact's own zone) is one of `all`. */
export interface RecipientClocks {
  readonly primary: ZoneClock;
  readonly all: readonly ZoneClock[];
}

/**
 * The earliest instant at or after `instant` at which a message may go to a recipient, or undefined when even the
 * recipient's own zone has no opening within {@link SEARCH_HORIZON_MS}.
 *
 * The rule: an instant is permitted when the window is open in every zone of the recipient, or, when the zones have
 * no common opening within the horizon from that instant (a one-hour window across two zones, or a stored zone far
 * from the number's area code), when it is open in the primary zone. Without that fallback such a message could only
 * be deferred forever, which drops it; the contact's own zone is the best evidence of where the recipient is.
 *
 * Because the fallback is part of the rule, an instant this returns is itself permitted, and nothing earlier is.
 */
export function nextPermittedInstant(
  instant: number,
  clocks: RecipientClocks,
  window: DailyWindow,
): number | undefined {
  // Looking two horizons ahead tells, for every instant up to one horizon ahead, whether a common opening follows it.
  const common = nextCommonOpening(instant, clocks.all, window, instant + 2 * SEARCH_HORIZON_MS);
  if (common !== undefined && common <= instant + SEARCH_HORIZON_MS) return common;
  const own = nextOpeningInZone(instant, clocks.primary, window, instant + SEARCH_HORIZON_MS);
  if (own !== undefined && (common === undefined || own < common - SEARCH_HORIZON_MS)) return own;
  return common;
}
