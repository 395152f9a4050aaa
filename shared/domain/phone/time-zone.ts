import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import countryTimeZonesData from './country-timezones.json';
import nanpStatesData from './nanp-states.json';
import nanpTimeZonesData from './nanp-timezones.json';

/** libphonenumber's answer when it knows nothing about a prefix. */
const UNKNOWN_TIME_ZONE = 'Etc/Unknown';

/** A North American (+1) number in E.164: the national number is always ten digits. */
const NANP_E164 = /^\+1(\d{10})$/;

/**
 * Two instants, one in northern winter and one in northern summer, at which zones are compared. Comparing at fixed
 * instants instead of "now" keeps the choice the same all year and in tests; only a change in a zone's rules moves it.
 */
const REFERENCE_INSTANTS = [Date.UTC(2025, 0, 15, 12), Date.UTC(2025, 6, 15, 12)] as const;

const timeZoneTableSchema = z.object({
  entries: z.array(
    z.object({
      zones: z.array(z.string().min(1)).min(1),
      prefixes: z.array(z.string().regex(/^\d{1,9}$/)).min(1),
    }),
  ),
});

const strictAreaCodesSchema = z.object({
  areaCodes: z.record(z.string(), z.array(z.string().regex(/^\d{3}$/))),
});

interface PrefixAnswer {
  /** Every zone the prefix maps to, in the data's order. */
  readonly zones: readonly string[];
  /** The one zone to store on a contact; see {@link inferTimeZone}. */
  readonly chosen: string | undefined;
}

/**
 * Checks that a string names a time zone in the IANA database known to this runtime, as stored on contacts and passed
 * to EventBridge Scheduler's `ScheduleExpressionTimezone`: an unknown name would otherwise fail later, far from where
 * it was accepted.
 */
export function isValidIanaTimeZone(zone: string): boolean {
  return typeof zone === 'string' && zone !== UNKNOWN_TIME_ZONE && IANAZone.create(zone).isValid;
}

/** Sort key: UTC offsets at the reference instants, smallest first, i.e. whose local clock reads earliest. */
function offsetKey(zone: string): number[] {
  const ianaZone = IANAZone.create(zone);
  return REFERENCE_INSTANTS.map((instant) => ianaZone.offset(instant)).sort((a, b) => a - b);
}

function compareRestrictiveness(a: string, b: string): number {
  const keyA = offsetKey(a);
  const keyB = offsetKey(b);
  for (let index = 0; index < keyA.length; index++) {
    const difference = (keyA[index] ?? 0) - (keyB[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.localeCompare(b);
}

function chooseMostRestrictive(zones: readonly string[]): string | undefined {
  return [...zones].sort(compareRestrictiveness)[0];
}

/** Builds the prefix map once at module load: every lookup after that is a few `Map.get` calls. */
function buildPrefixIndex(): { index: Map<string, PrefixAnswer>; lengthsLongestFirst: number[] } {
  const table = timeZoneTableSchema.parse(nanpTimeZonesData);
  const index = new Map<string, PrefixAnswer>();
  for (const entry of table.entries) {
    const zones = Object.freeze(entry.zones.filter(isValidIanaTimeZone));
    const answer: PrefixAnswer = Object.freeze({ zones, chosen: chooseMostRestrictive(zones) });
    for (const prefix of entry.prefixes) index.set(prefix, answer);
  }
  const lengthsLongestFirst = [...new Set([...index.keys()].map((prefix) => prefix.length))].sort((a, b) => b - a);
  return { index, lengthsLongestFirst };
}

const { index: prefixIndex, lengthsLongestFirst } = buildPrefixIndex();

const countryTimeZonesSchema = z.object({
  singleZone: z.record(z.string().regex(/^[A-Z]{2}$/), z.string().min(1)),
});

/** Country -> its one zone, for countries whose zones all keep one clock (see `scripts/build-country-timezones.ts`). */
const singleZoneCountries = new Map(
  Object.entries(countryTimeZonesSchema.parse(countryTimeZonesData).singleZone).filter(([, zone]) =>
    isValidIanaTimeZone(zone),
  ),
);

/** An E.164 number outside the North American plan (+1); the country calling code never starts with 0. */
const NON_NANP_E164 = /^\+[2-9]\d{5,14}$/;

/**
 * The zone of a number's country when that country keeps one clock (+44 -> Europe/London, +49 -> Europe/Berlin), from
 * libphonenumber's metadata (which country a number belongs to, e.g. Jersey or Guernsey within +44) and the IANA tz
 * database's country list. Undefined for a country with several clocks (+61 Australia, +7 Russia, +34 Spain with the
 * Canaries), for non-geographic numbers and for anything that is not such a number.
 */
function countryTimeZone(e164: string): string | undefined {
  if (!NON_NANP_E164.test(e164)) return undefined;
  const country = parsePhoneNumberFromString(e164)?.country;
  return country === undefined ? undefined : singleZoneCountries.get(country);
}

const strictAreaCodesByState = strictAreaCodesSchema.parse(nanpStatesData).areaCodes;
const strictAreaCodes = new Set(Object.values(strictAreaCodesByState).flat());
const strictStateByAreaCode = new Map(
  Object.entries(strictAreaCodesByState).flatMap(([state, codes]) => codes.map((code) => [code, state] as const)),
);

function lookUp(e164: string): PrefixAnswer | undefined {
  const nationalNumber = NANP_E164.exec(e164)?.[1];
  if (nationalNumber === undefined) return undefined;
  for (const length of lengthsLongestFirst) {
    const answer = prefixIndex.get(nationalNumber.slice(0, length));
    if (answer !== undefined) return answer;
  }
  return undefined;
}

/**
 * Lists every IANA zone a North American number's prefix may be in, so that quiet-hours checks can honour all of them
 * when a prefix straddles a zone line. Returns an empty list when the number is not a +1 E.164 number or the prefix is
 * unknown (toll-free and other non-geographic codes, unassigned area codes).
 */
export function candidateTimeZones(e164: string): string[] {
  return [...(lookUp(e164)?.zones ?? [])];
}

/**
 * Infers the one time zone to store on a contact from its number, so that sends can be timed in the recipient's local
 * time without asking for it. Outside North America it is the zone of the number's country when that country keeps one
 * clock (+44 Europe/London, +33 Europe/Paris), else `undefined` (the caller keeps the tenant's zone). For a North
 * American (+1) number it is the prefix's zone, `undefined` when {@link candidateTimeZones} is empty.
 *
 * When a prefix spans several zones (e.g. 208 Idaho, 907 Alaska, 605 South Dakota) the most restrictive one for
 * quiet hours is chosen, defined as the westernmost: the zone whose local clock reads earliest, i.e. whose UTC offset
 * is smallest (compared in winter and in summer, so that America/Phoenix, which keeps standard time, wins over
 * America/Denver). 08:00 there is the latest of the candidates' 08:00s, so a message sent at or after it never
 * wakes anyone in any of the candidate zones.
 *
 * The trade-off: the evening limit is then judged in the westernmost zone too, so 20:30 there can be 21:30 in an
 * eastern candidate zone. Morning was chosen because an early text is the classic complaint and the tenant's default
 * window (10:00-17:00) leaves hours of slack in the evening. A caller that must honour both ends in every zone
 * should intersect the windows of all {@link candidateTimeZones} instead.
 */
export function inferTimeZone(e164: string): string | undefined {
  return lookUp(e164)?.chosen ?? countryTimeZone(e164);
}

/**
 * Tells whether a number's area code belongs to Florida, Oklahoma or Maryland, whose telemarketing laws end texting
 * at 20:00 local instead of 21:00. The law follows where the recipient lives, which the area code approximates (the
 * design judges it by area code); a number that is not +1 E.164 is never strict.
 */
export function isStrictQuietHoursAreaCode(e164: string): boolean {
  const nationalNumber = NANP_E164.exec(e164)?.[1];
  return nationalNumber !== undefined && strictAreaCodes.has(nationalNumber.slice(0, 3));
}

/** The state (USPS code) of a Florida, Oklahoma or Maryland area code; undefined for any other number. */
export function strictStateOfAreaCode(e164: string): string | undefined {
  const nationalNumber = NANP_E164.exec(e164)?.[1];
  return nationalNumber === undefined ? undefined : strictStateByAreaCode.get(nationalNumber.slice(0, 3));
}
