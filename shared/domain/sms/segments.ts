import { GSM_SEPTETS } from './gsm-alphabet';
import {
  GSM_PART_SEPTETS,
  GSM_SINGLE_SEPTETS,
  SegmentTally,
  type SmsEncoding,
  UCS2_PART_UNITS,
  UCS2_SINGLE_UNITS,
} from './segment-counter';

export {
  GSM_PART_SEPTETS,
  GSM_SINGLE_SEPTETS,
  type SmsEncoding,
  UCS2_PART_UNITS,
  UCS2_SINGLE_UNITS,
} from './segment-counter';

/** How a text travels: its encoding, how many parts it takes and how full the last one is. */
export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Septets for GSM-7 (an extension character costs two), UTF-16 code units for UCS-2. */
  units: number;
  /** 160 or 153 for GSM-7, 70 or 67 for UCS-2: the capacity of one part for this text. */
  unitsPerSegment: number;
  /** Units left in the last part before the text needs another one. */
  remainingInSegment: number;
}

const sharedTally = new SegmentTally();

function tallyOf(text: string): SegmentTally {
  const tally = sharedTally;
  tally.reset();
  tally.scan(text);
  if (tally.needsWalk()) {
    tally.beginWalk();
    tally.walk(text);
  }
  return tally;
}

/**
 * Number of SMS parts a text is billed as (0 for an empty text), without building the parts.
 * This is the hot path of the live counter and of the audience estimate, so it allocates nothing and reads each
 * character once (twice only for a concatenated text with an escape pair or a surrogate pair in it).
 */
export function countSegments(text: string): number {
  return tallyOf(text).segments();
}

/** Encoding, parts and fill of a text: what the composer's live counter shows. */
export function measureSegments(text: string): SegmentCount {
  const tally = tallyOf(text);
  return {
    encoding: tally.encoding,
    segments: tally.segments(),
    units: tally.totalUnits,
    unitsPerSegment: tally.unitsPerSegment,
    remainingInSegment: tally.remainingInSegment(),
  };
}

/**
 * The parts a text is sent as, per 3GPP TS 23.040 concatenation: up to 160 septets (GSM-7) or 70 code units (UCS-2)
 * travel as one message; beyond that each part holds 153 septets or 67 code units. A part ends early rather than
 * split an escape pair (an extension character) or a UTF-16 surrogate pair, which the receiving handset could not
 * reassemble. Grapheme clusters (emoji with modifiers, flags, combining accents) may be split between code points:
 * the standard does not forbid it and handsets rejoin the parts before display.
 */
export function splitIntoSegments(text: string): string[] {
  const tally = tallyOf(text);
  const total = tally.totalUnits;
  if (total === 0) return [];
  if (total <= (tally.gsm ? GSM_SINGLE_SEPTETS : UCS2_SINGLE_UNITS)) return [text];
  return tally.gsm ? splitGsm(text) : splitUcs2(text);
}

function splitGsm(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const cost = GSM_SEPTETS[text.charCodeAt(i)]!;
    if (used + cost > GSM_PART_SEPTETS) {
      parts.push(text.slice(start, i));
      start = i;
      used = 0;
    }
    used += cost;
  }
  parts.push(text.slice(start));
  return parts;
}

function splitUcs2(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let used = 0;
  let i = 0;
  while (i < text.length) {
    const size = isSurrogatePairAt(text, i) ? 2 : 1;
    if (used + size > UCS2_PART_UNITS) {
      parts.push(text.slice(start, i));
      start = i;
      used = 0;
    }
    used += size;
    i += size;
  }
  parts.push(text.slice(start));
  return parts;
}

function isSurrogatePairAt(text: string, index: number): boolean {
  const high = text.charCodeAt(index);
  if (high < 0xd800 || high > 0xdbff) return false;
  const low = text.charCodeAt(index + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}
