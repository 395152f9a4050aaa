import fc from 'fast-check';
import type { FilterableContact } from '../../../shared/domain/audience/filter-evaluator';
import { type FilterField, fieldKind, OPERATORS_BY_KIND } from '../../../shared/domain/audience/filter-fields';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';

export const NOW = new Date('2026-03-02T15:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;

/** Letters in both cases (ASCII and accented) and characters that mean something in a regular expression. */
const textUnit = fc.constantFrom('a', 'A', 'b', 'B', 'é', 'É', '.', '*', '(', '$', '\\', ' ', '+', '?', '[');
const text = fc.string({ unit: textUnit, maxLength: 5 });
const needle = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: textUnit, minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom('america', 'CHICAGO', 'utc', 'Europe/Paris', '+1312', 'EXAMPLE.com', '5') },
);

const TAGS = ['vip', 'VIP', 'new', 'lead', 'a b', 'x.y'];
const CUSTOM_NAMES = ['score', 'plan', 'visitAt', 'constructor', 'toString'];
/** Valid and invalid date texts: impossible days, a date-time without a zone, free text. */
const DATE_TEXTS = [
  '2026-03-01',
  '2026-02-28T23:59:59Z',
  '2026-03-02T15:00:00.000Z',
  '2026-03-02T16:00:00+01:00',
  '2026-01-15',
  '2025-12-31T23:00:00-05:00',
  '2026-02-30',
  '2026-03-01T10:00:00',
  'not a date',
];
const DATE_VALUES = ['2026-03-01', '2026-02-28T23:59:59Z', '2026-03-02T15:00:00.000Z', '2026-02-01', '2026-01-15'];

/** An instant near NOW, often exactly on a day boundary, so `withinDays` edges are exercised. */
const instant = fc
  .tuple(
    fc.oneof(fc.integer({ min: -5, max: 1 }), fc.integer({ min: -60, max: 3 })),
    fc.constantFrom(0, 0, 1, -1, 3_600_000),
  )
  .map(([days, offset]) => new Date(NOW.getTime() + days * DAY_MS + offset).toISOString());

const customValue = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, -1.5),
  fc.boolean(),
  text,
  fc.constantFrom(...DATE_TEXTS),
);

export const contactArb: fc.Arbitrary<FilterableContact> = fc.record({
  id: fc.constant('01JCONTACT'),
  phone: fc.constantFrom('+13125550100', '+447700900123', '3125550100', '+1 312 555 0100', ''),
  firstName: fc.option(text, { nil: null }),
  lastName: fc.option(text, { nil: null }),
  email: fc.option(fc.oneof(text, fc.constantFrom('ada@example.com', 'BOB@Example.COM')), { nil: null }),
  tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 4 }),
  timeZone: fc.constantFrom('America/Chicago', 'Europe/Paris', 'UTC'),
  customFields: fc.record(Object.fromEntries(CUSTOM_NAMES.map((name) => [name, customValue])), {
    requiredKeys: [],
  }) as fc.Arbitrary<Contact['customFields']>,
  smsConsent: fc.record({
    status: fc.constantFrom('opted_in' as const, 'opted_out' as const, 'unknown' as const),
    source: fc.constant('api' as const),
    at: fc.constant(NOW.toISOString()),
  }),
  createdAt: instant,
  updatedAt: instant,
  lastInboundAt: fc.oneof(instant, fc.constant(null), fc.constant(undefined)),
});

const FIELDS: FilterField[] = [
  'tags',
  'firstName',
  'lastName',
  'email',
  'phone',
  'timeZone',
  'createdAt',
  'updatedAt',
  'lastInboundAt',
  'smsConsent',
  ...CUSTOM_NAMES.map((name) => `customFields.${name}` as const),
];

function valueFor(field: FilterField, op: string): fc.Arbitrary<string | number | boolean | undefined> {
  const kind = fieldKind(field);
  switch (op) {
    case 'exists':
    case 'notExists':
      return fc.constant(undefined);
    case 'contains':
    case 'notContains':
      return kind === 'tags' ? fc.constantFrom(...TAGS, ' vip ', 'missing') : needle;
    case 'eq':
    case 'neq':
      if (kind === 'consent') return fc.constantFrom('opted_in', 'opted_out', 'unknown');
      if (kind === 'custom') return fc.oneof(needle, fc.integer({ min: -3, max: 3 }), fc.boolean());
      return fc.oneof(needle, fc.constantFrom('america/chicago', 'ADA@EXAMPLE.COM', '+13125550100'));
    case 'before':
    case 'after':
      return fc.oneof(fc.constantFrom(...DATE_VALUES), instant);
    case 'withinDays':
      return fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 90 }));
    default:
      return fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -1.5));
  }
}

/** Any valid condition: a field, an operator that fits it, a value that fits the operator. */
export const conditionArb = fc
  .constantFrom(...FIELDS)
  .chain((field) => fc.constantFrom(...OPERATORS_BY_KIND[fieldKind(field)]).map((op) => ({ field, op })))
  .chain(({ field, op }) =>
    valueFor(field, op).map((value) => (value === undefined ? { field, op } : { field, op, value })),
  );

/** Groups nested three levels deep at most, three items each: within the filter limits by construction. */
function nodeArb(level: number): fc.Arbitrary<unknown> {
  const items = fc.array(
    level < 3 ? fc.oneof({ weight: 2, arbitrary: conditionArb }, nodeArb(level + 1)) : conditionArb,
    {
      minLength: 1,
      maxLength: 3,
    },
  );
  return fc.oneof(
    items.map((all) => ({ all })),
    items.map((any) => ({ any })),
  );
}

/** A raw filter body, to be parsed by filterSchema. */
export const filterInputArb = nodeArb(1);
