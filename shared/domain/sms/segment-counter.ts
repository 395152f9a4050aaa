import { GSM_SEPTETS } from './gsm-alphabet';

/** Septets in a single GSM-7 message (140 octets of user data, TS 23.040 9.2.3.24). */
export const GSM_SINGLE_SEPTETS = 160;
/** Septets per part of a concatenated GSM-7 message: the 6-octet concatenation header leaves 153. */
export const GSM_PART_SEPTETS = 153;
/** UCS-2 code units in a single message. */
export const UCS2_SINGLE_UNITS = 70;
/** UCS-2 code units per part of a concatenated message. */
export const UCS2_PART_UNITS = 67;

export type SmsEncoding = 'GSM-7' | 'UCS-2';

const HIGH_SURROGATE_MIN = 0xd800;
const HIGH_SURROGATE_MAX = 0xdbff;
const LOW_SURROGATE_MIN = 0xdc00;
const LOW_SURROGATE_MAX = 0xdfff;

/** What one piece of text contributes to a message, so a template can measure its fixed parts once. */
export interface ChunkStats {
  gsm: boolean;
  septets: number;
  units: number;
  hasExtension: boolean;
  hasHighSurrogate: boolean;
}

/** Measures a piece of text in one pass over its code units. */
export function measureChunk(text: string): ChunkStats {
  const tally = new SegmentTally();
  tally.scan(text);
  return {
    gsm: tally.gsm,
    septets: tally.septets,
    units: tally.units,
    hasExtension: tally.hasExtension,
    hasHighSurrogate: tally.hasHighSurrogate,
  };
}

/**
 * Counts the parts of a message fed to it as consecutive chunks, without joining them.
 *
 * Why a reusable, mutable object: the audience preview counts segments for every contact, and the message is a
 * template's fixed parts interleaved with each contact's values. Scanning the chunks in place (and walking them a
 * second time only when an escape pair or a surrogate pair could straddle a part boundary) keeps that loop free of
 * allocations. Usage: `reset()`, `scan()` (or `addStats()`) every chunk, then if `needsWalk()`, `beginWalk()` and
 * `walk()` every chunk again in the same order; finally read `segments()` and `remainingInSegment()`.
 */
export class SegmentTally {
  gsm = true;
  septets = 0;
  units = 0;
  hasExtension = false;
  hasHighSurrogate = false;
  private walked = false;
  private parts = 0;
  private used = 0;
  private previousWasHigh = false;

  /** Starts a new message. */
  reset(): void {
    this.gsm = true;
    this.septets = 0;
    this.units = 0;
    this.hasExtension = false;
    this.hasHighSurrogate = false;
    this.walked = false;
  }

  /** Adds one chunk's characters to the totals. */
  scan(text: string): void {
    const length = text.length;
    let septets = 0;
    let gsm = this.gsm;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      const cost = GSM_SEPTETS[code]!;
      if (cost === 0) {
        gsm = false;
        if (code >= HIGH_SURROGATE_MIN && code <= HIGH_SURROGATE_MAX) this.hasHighSurrogate = true;
      } else {
        septets += cost;
        if (cost === 2) this.hasExtension = true;
      }
    }
    this.gsm = gsm;
    this.septets += septets;
    this.units += length;
  }

  /** Adds a chunk measured earlier with `measureChunk`. */
  addStats(stats: ChunkStats): void {
    if (!stats.gsm) this.gsm = false;
    this.septets += stats.septets;
    this.units += stats.units;
    if (stats.hasExtension) this.hasExtension = true;
    if (stats.hasHighSurrogate) this.hasHighSurrogate = true;
  }

  get encoding(): SmsEncoding {
    return this.gsm ? 'GSM-7' : 'UCS-2';
  }

  /** Units the message costs in its encoding: septets for GSM-7 (escapes included), UTF-16 code units for UCS-2. */
  get totalUnits(): number {
    return this.gsm ? this.septets : this.units;
  }

  /** Units a part can hold for this message: the single-message size until it needs concatenation. */
  get unitsPerSegment(): number {
    const total = this.totalUnits;
    if (this.gsm) return total > GSM_SINGLE_SEPTETS ? GSM_PART_SEPTETS : GSM_SINGLE_SEPTETS;
    return total > UCS2_SINGLE_UNITS ? UCS2_PART_UNITS : UCS2_SINGLE_UNITS;
  }

  /**
   * True when the count needs a second pass: the message is concatenated and holds an escape pair (GSM-7) or a
   * high surrogate (UCS-2), either of which may be pushed whole into the next part and leave a gap behind it.
   */
  needsWalk(): boolean {
    const total = this.totalUnits;
    if (this.gsm) return total > GSM_SINGLE_SEPTETS && this.hasExtension;
    return total > UCS2_SINGLE_UNITS && this.hasHighSurrogate;
  }

  beginWalk(): void {
    this.walked = true;
    this.parts = 1;
    this.used = 0;
    this.previousWasHigh = false;
  }

  /** Places one chunk's characters into parts greedily, never splitting an escape pair or a surrogate pair. */
  walk(text: string): void {
    const length = text.length;
    let parts = this.parts;
    let used = this.used;
    if (this.gsm) {
      for (let i = 0; i < length; i++) {
        const cost = GSM_SEPTETS[text.charCodeAt(i)]!;
        if (used + cost > GSM_PART_SEPTETS) {
          parts++;
          used = cost;
        } else {
          used += cost;
        }
      }
    } else {
      let previousWasHigh = this.previousWasHigh;
      for (let i = 0; i < length; i++) {
        const code = text.charCodeAt(i);
        if (previousWasHigh && code >= LOW_SURROGATE_MIN && code <= LOW_SURROGATE_MAX) {
          if (used + 1 > UCS2_PART_UNITS) {
            parts++;
            used = 2;
          } else {
            used += 1;
          }
          previousWasHigh = false;
        } else {
          if (used + 1 > UCS2_PART_UNITS) {
            parts++;
            used = 1;
          } else {
            used += 1;
          }
          previousWasHigh = code >= HIGH_SURROGATE_MIN && code <= HIGH_SURROGATE_MAX;
        }
      }
      this.previousWasHigh = previousWasHigh;
    }
    this.parts = parts;
    this.used = used;
  }

  /** Parts the message needs; 0 for an empty message, which sends nothing. */
  segments(): number {
    if (this.walked) return this.parts;
    const total = this.totalUnits;
    if (total === 0) return 0;
    const single = this.gsm ? GSM_SINGLE_SEPTETS : UCS2_SINGLE_UNITS;
    if (total <= single) return 1;
    return Math.ceil(total / (this.gsm ? GSM_PART_SEPTETS : UCS2_PART_UNITS));
  }

  /** Units still free in the last part before the message needs one more. */
  remainingInSegment(): number {
    const perSegment = this.unitsPerSegment;
    if (this.walked) return perSegment - this.used;
    const total = this.totalUnits;
    if (total <= perSegment) return perSegment - total;
    return this.segments() * perSegment - total;
  }
}
