import type { DailyWindow } from './daily-window';
import type { ZoneClock } from './zone-clock';
import { nextOpeningInZone } from './zoned-window';

/**
 * The earliest instant in `[instant, until]` at which the window is open in every zone at once, or undefined. A
 * recipient whose number spans several zones may be in any of them, so only such an instant is safe for all.
 *
 * Each round asks one zone for its next opening from the current candidate; a later answer becomes the new
 * candidate, and the search ends when every zone agrees. The candidate only moves forward and only to some zone's
 * opening, so the rounds are bounded by the openings in the range.
 */
export function nextCommonOpening(
  instant: number,
  clocks: readonly ZoneClock[],
  window: DailyWindow,
  until: number,
): number | undefined {
  let candidate = instant;
  let agreeing = 0;
  for (let index = 0; agreeing < clocks.length; index = (index + 1) % clocks.length) {
    const opening = nextOpeningInZone(candidate, clocks[index]!, window, until);
    if (opening === undefined) return undefined;
    if (opening === candidate) {
      agreeing++;
    } else {
      candidate = opening;
      agreeing = 1;
    }
  }
  return candidate;
}
