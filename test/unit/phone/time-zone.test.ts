import fc from 'fast-check';
import { IANAZone } from 'luxon';
import nanpStates from '../../../shared/domain/phone/nanp-states.json';
import nanpTimeZones from '../../../shared/domain/phone/nanp-timezones.json';
import {
  candidateTimeZones,
  inferTimeZone,
  isStrictQuietHoursAreaCode,
  isValidIanaTimeZone,
} from '../../../shared/domain/phone/time-zone';

/** The same instants the module compares zones at: mid-January and mid-July. */
const WINTER = Date.UTC(2025, 0, 15, 12);
const SUMMER = Date.UTC(2025, 6, 15, 12);

function offsets(zone: string): [number, number] {
  const ianaZone = IANAZone.create(zone);
  return [ianaZone.offset(WINTER), ianaZone.offset(SUMMER)];
}

describe('inferTimeZone', () => {
  it.each([
    ['New York City 212', '+12127365000', 'America/New_York'],
    ['Los Angeles 213', '+12135551234', 'America/Los_Angeles'],
    ['Chicago 312', '+13125551234', 'America/Chicago'],
    ['Hawaii 808', '+18085551234', 'Pacific/Honolulu'],
    ['Arizona 602, no daylight saving time', '+16025551234', 'America/Phoenix'],
    ['Denver 303', '+13035551234', 'America/Denver'],
    ['Toronto 416', '+14165551234', 'America/Toronto'],
    ['Puerto Rico 787', '+17872345678', 'America/Puerto_Rico'],
    ['Seattle area 425', '+14254147755', 'America/Los_Angeles'],
    ['Florida panhandle 850 (Central exchange)', '+18502345678', 'America/Chicago'],
  ])('%s -> %s', (_label, e164, zone) => {
    // Act
    const result = inferTimeZone(e164);

    // Assert
    expect(result).toBe(zone);
  });

  it.each([
    ['Alaska 907: Adak and Anchorage', '+19072345678', ['America/Adak', 'America/Anchorage'], 'America/Adak'],
    [
      'Nevada 775: Boise and Los Angeles',
      '+17752345678',
      ['America/Boise', 'America/Los_Angeles'],
      'America/Los_Angeles',
    ],
    ['Arizona 928 283: Denver and Phoenix', '+19282832345', ['America/Denver', 'America/Phoenix'], 'America/Phoenix'],
    [
      'Newfoundland and Labrador 709: Puerto Rico and St Johns',
      '+17092345678',
      ['America/Puerto_Rico', 'America/St_Johns'],
      'America/Puerto_Rico',
    ],
  ])('%s -> the westernmost zone', (_label, e164, zones, chosen) => {
    // Act
    const candidates = candidateTimeZones(e164);
    const result = inferTimeZone(e164);

    // Assert
    expect(candidates).toEqual(zones);
    expect(result).toBe(chosen);
  });

  it('uses a longer prefix over the area code (Idaho 208: a Pocatello exchange is on Mountain time)', () => {
    // Act
    const areaCodeOnly = candidateTimeZones('+12081002345');
    const pocatello = inferTimeZone('+12082345678');

    // Assert
    expect(areaCodeOnly).toEqual(['America/Boise', 'America/Denver', 'America/Los_Angeles']);
    expect(inferTimeZone('+12081002345')).toBe('America/Los_Angeles');
    expect(pocatello).toBe('America/Denver');
  });

  it.each([
    ['toll-free 800', '+18002345678'],
    ['an unassigned area code', '+19992345678'],
    ['+1 with too few digits', '+1212555123'],
    ['+1 with too many digits', '+121255512345'],
    ['national format', '2127365000'],
    ['empty', ''],
  ])('is undefined for %s', (_label, input) => {
    // Act
    const zone = inferTimeZone(input);
    const candidates = candidateTimeZones(input);

    // Assert
    expect(zone).toBeUndefined();
    expect(candidates).toEqual([]);
  });

  it.each([
    ['London', '+442079460018', 'Europe/London'],
    ['a UK mobile', '+447400123456', 'Europe/London'],
    ['Paris', '+33142685300', 'Europe/Paris'],
    ['a French mobile', '+33612345678', 'Europe/Paris'],
    ['Berlin (Busingen keeps the same clock)', '+4930901820', 'Europe/Berlin'],
    ['Dublin', '+35312345678', 'Europe/Dublin'],
    ['Tokyo', '+81312345678', 'Asia/Tokyo'],
    ['Mumbai', '+912212345678', 'Asia/Kolkata'],
    ['Jersey, within +44', '+447797123456', 'Europe/Jersey'],
  ])('outside North America, is the zone of a one-clock country: %s', (_label, e164, zone) => {
    // Act
    const result = inferTimeZone(e164);

    // Assert
    expect(result).toBe(zone);
    expect(candidateTimeZones(e164)).toEqual([]);
  });

  it.each([
    ['Sydney (Australia has several clocks)', '+61212345678'],
    ['Moscow (Russia has several)', '+74951234567'],
    ['Madrid (the Canaries keep another clock)', '+34912345678'],
    ['Mexico City', '+525512345678'],
    ['a non-geographic +800 number', '+80012345678'],
  ])('is undefined for a number of a country with several clocks or none: %s', (_label, e164) => {
    expect(inferTimeZone(e164)).toBeUndefined();
  });

  it('returns a copy, so callers cannot corrupt the shared table', () => {
    // Arrange
    const first = candidateTimeZones('+19072345678');

    // Act
    first.push('Europe/Paris');

    // Assert
    expect(candidateTimeZones('+19072345678')).toEqual(['America/Adak', 'America/Anchorage']);
  });

  it('always picks a candidate whose clock is never later than any other candidate', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[2-9]\d{2}[2-9]\d{6}$/), (national) => {
        const e164 = `+1${national}`;
        const candidates = candidateTimeZones(e164);
        const chosen = inferTimeZone(e164);
        fc.pre(chosen !== undefined);

        expect(candidates).toContain(chosen);
        const [chosenWinter, chosenSummer] = offsets(chosen!);
        for (const zone of candidates) {
          const [winter, summer] = offsets(zone);
          expect(Math.min(chosenWinter, chosenSummer)).toBeLessThanOrEqual(Math.min(winter, summer));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('isStrictQuietHoursAreaCode', () => {
  it.each([
    ['Miami 305', '+13055551234'],
    ['Tampa 813', '+18135551234'],
    ['Palm Beach 728, new in 2025', '+17282345678'],
    ['Oklahoma City 405', '+14055551234'],
    ['Tulsa 918', '+19185551234'],
    ['Maryland 301', '+13015551234'],
    ['Baltimore 410', '+14105551234'],
  ])('is true for %s', (_label, e164) => {
    expect(isStrictQuietHoursAreaCode(e164)).toBe(true);
  });

  it.each([
    ['New York 212', '+12127365000'],
    ['Washington DC 202, next to Maryland', '+12025551234'],
    ['Texas 214', '+12145551234'],
    ['a Greek number whose digits start like 305', '+3055512345'],
    ['national format', '3055551234'],
  ])('is false for %s', (_label, e164) => {
    expect(isStrictQuietHoursAreaCode(e164)).toBe(false);
  });
});

describe('isValidIanaTimeZone', () => {
  it.each(['America/New_York', 'Pacific/Honolulu', 'Europe/London', 'UTC'])('accepts %s', (zone) => {
    expect(isValidIanaTimeZone(zone)).toBe(true);
  });

  it.each(['', 'Mars/Olympus_Mons', 'EST5EDT6', 'Etc/Unknown', 'America/New York'])('rejects %j', (zone) => {
    expect(isValidIanaTimeZone(zone)).toBe(false);
  });
});

describe('generated data', () => {
  it('knows only zones this runtime can use, for every prefix', () => {
    // Arrange
    const zones = new Set(nanpTimeZones.entries.flatMap((entry) => entry.zones));

    // Assert
    expect([...zones].filter((zone) => !isValidIanaTimeZone(zone))).toEqual([]);
  });

  it('maps each prefix once', () => {
    // Arrange
    const prefixes = nanpTimeZones.entries.flatMap((entry) => entry.prefixes);

    // Assert
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(prefixes.length).toBeGreaterThan(1500);
  });

  it('lists the Florida, Oklahoma and Maryland area codes from NANPA', () => {
    expect(nanpStates.areaCodes).toEqual({
      FL: '239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954'.split(' '),
      MD: ['227', '240', '301', '410', '443', '667'],
      OK: ['405', '539', '572', '580', '918'],
    });
  });
});
