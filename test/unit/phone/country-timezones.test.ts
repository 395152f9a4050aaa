import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCountries } from 'libphonenumber-js/max';
import { countryZonesFromZoneTab } from '../../../scripts/country-zones-from-zone-tab';
import countryTimeZones from '../../../shared/domain/phone/country-timezones.json';
import { isValidIanaTimeZone } from '../../../shared/domain/phone/time-zone';

/** The IANA tz database's zone.tab the table was generated from (tzdata 2025b, as Debian ships it). */
const zoneTab = readFileSync(join(__dirname, '../../fixtures/tzdata/zone.tab'), 'utf8');

describe('the country -> zone table (shared/domain/phone/country-timezones.json)', () => {
  it('is exactly what the IANA zone.tab it names gives', () => {
    // Act
    const derived = countryZonesFromZoneTab(zoneTab);

    // Assert
    expect(countryTimeZones.source).toBe('IANA tz database 2025b, zone.tab');
    expect({ singleZone: countryTimeZones.singleZone, multiZone: countryTimeZones.multiZone }).toEqual(derived);
  });

  it('names only zones this runtime knows', () => {
    const zones = Object.values(countryTimeZones.singleZone);
    expect(zones.filter((zone) => !isValidIanaTimeZone(zone))).toEqual([]);
  });

  it('leaves the countries with several clocks to better data', () => {
    expect(countryTimeZones.multiZone).toEqual(expect.arrayContaining(['US', 'CA', 'MX', 'AU', 'RU', 'BR', 'ES']));
    expect(countryTimeZones.singleZone).toMatchObject({
      GB: 'Europe/London',
      FR: 'Europe/Paris',
      DE: 'Europe/Berlin',
      IE: 'Europe/Dublin',
    });
  });

  it('covers nearly every country libphonenumber knows (a country missing from zone.tab gets the tenant zone)', () => {
    // Arrange
    const known = new Set([...Object.keys(countryTimeZones.singleZone), ...countryTimeZones.multiZone]);

    // Act
    const missing = getCountries().filter((country) => !known.has(country));

    // Assert: only codes zone.tab has no line for (Kosovo, Ascension and Tristan da Cunha, ...)
    expect(missing.length).toBeLessThan(10);
  });
});
