import { IANAZone } from 'luxon';

/**
 * Two instants, one in northern winter and one in northern summer, at which a country's zones are compared: the same
 * instants `shared/domain/phone/time-zone.ts` compares zones at, so the choice does not depend on the day it is made.
 */
const REFERENCE_INSTANTS = [Date.UTC(2025, 0, 15, 12), Date.UTC(2025, 6, 15, 12)] as const;

export interface CountryZones {
  /** ISO 3166-1 alpha-2 code -> the one zone of a country whose zones all keep the same clock. */
  singleZone: Record<string, string>;
  /** Countries whose zones keep different clocks (a contact's zone cannot be told from the country alone). */
  multiZone: string[];
}

/**
 * Reads the IANA tz database's `zone.tab` (country code, coordinates, zone, comment; the zones of a country listed
 * most populous first) and keeps, per country, the zone to infer for a phone number of that country: its first zone,
 * when every zone it lists shows the same UTC offset in winter and in summer (Germany's Europe/Busingen keeps
 * Berlin's clock, so +49 is Europe/Berlin); none when its zones differ (Spain's Canary Islands, Australia, Russia).
 */
export function countryZonesFromZoneTab(zoneTab: string): CountryZones {
  const zonesByCountry = new Map<string, string[]>();
  for (const line of zoneTab.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [country, , zone] = line.split('\t');
    if (!country || !zone || !/^[A-Z]{2}$/.test(country)) throw new Error(`zone.tab: unreadable line ${line}`);
    zonesByCountry.set(country, [...(zonesByCountry.get(country) ?? []), zone]);
  }
  const singleZone: Record<string, string> = {};
  const multiZone: string[] = [];
  for (const country of [...zonesByCountry.keys()].sort()) {
    const zones = zonesByCountry.get(country) ?? [];
    const clocks = new Set(zones.map(clockOf));
    if (clocks.size === 1) singleZone[country] = zones[0]!;
    else multiZone.push(country);
  }
  return { singleZone, multiZone };
}

function clockOf(zone: string): string {
  if (!IANAZone.isValidZone(zone)) throw new Error(`zone.tab names ${zone}, which this runtime does not know`);
  const ianaZone = IANAZone.create(zone);
  return REFERENCE_INSTANTS.map((instant) => ianaZone.offset(instant)).join('/');
}
