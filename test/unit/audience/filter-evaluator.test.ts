import { filterSchema } from '../../../shared/domain/audience/filter.schema';
import { compileFilter, type FilterableContact } from '../../../shared/domain/audience/filter-evaluator';

const NOW = new Date('2026-03-02T15:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY_MS + extraMs).toISOString();

function contact(overrides: Partial<FilterableContact> = {}): FilterableContact {
  return {
    id: '01JCONTACT00000000000000001',
    phone: '+13122345678',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.com',
    tags: ['customer', 'vip'],
    timeZone: 'America/Chicago',
    customFields: { plan: 'Gold', visits: 3, member: true, appointmentAt: '2026-03-03T09:00:00-06:00' },
    smsConsent: { status: 'opted_in', source: 'api', at: NOW.toISOString() },
    createdAt: daysAgo(40),
    updatedAt: daysAgo(2),
    lastInboundAt: daysAgo(5),
    ...overrides,
  };
}

/** Parses the condition as the API would, compiles it and runs it on the contact. */
function matches(condition: object, subject: FilterableContact = contact()): boolean {
  return compileFilter(filterSchema.parse({ all: [condition] }), NOW)(subject);
}

describe('tags', () => {
  it('contains means having that exact tag', () => {
    expect(matches({ field: 'tags', op: 'contains', value: 'vip' })).toBe(true);
    expect(matches({ field: 'tags', op: 'contains', value: 'VIP' })).toBe(false);
    expect(matches({ field: 'tags', op: 'contains', value: 'vi' })).toBe(false);
    expect(matches({ field: 'tags', op: 'contains', value: ' vip ' })).toBe(true);
  });

  it('notContains means not having it', () => {
    expect(matches({ field: 'tags', op: 'notContains', value: 'vip' })).toBe(false);
    expect(matches({ field: 'tags', op: 'notContains', value: 'lead' })).toBe(true);
    expect(matches({ field: 'tags', op: 'notContains', value: 'lead' }, contact({ tags: [] }))).toBe(true);
  });

  it('exists and notExists mean having any tag or none', () => {
    expect(matches({ field: 'tags', op: 'exists' })).toBe(true);
    expect(matches({ field: 'tags', op: 'exists' }, contact({ tags: [] }))).toBe(false);
    expect(matches({ field: 'tags', op: 'notExists' }, contact({ tags: [] }))).toBe(true);
  });
});

describe('text fields', () => {
  it('contains is a case-insensitive substring', () => {
    expect(matches({ field: 'firstName', op: 'contains', value: 'DA' })).toBe(true);
    expect(matches({ field: 'lastName', op: 'contains', value: 'love' })).toBe(true);
    expect(matches({ field: 'email', op: 'contains', value: '@EXAMPLE.' })).toBe(true);
    expect(matches({ field: 'phone', op: 'contains', value: '+1312' })).toBe(true);
    expect(matches({ field: 'timeZone', op: 'contains', value: 'chicago' })).toBe(true);
    expect(matches({ field: 'firstName', op: 'contains', value: 'Bob' })).toBe(false);
  });

  it('contains treats the value as text, not as a pattern', () => {
    expect(matches({ field: 'email', op: 'contains', value: 'ada.example' })).toBe(false);
    expect(matches({ field: 'firstName', op: 'contains', value: '.*' })).toBe(false);
    expect(matches({ field: 'firstName', op: 'contains', value: '(a+' }, contact({ firstName: 'x(A+y' }))).toBe(true);
  });

  it('contains folds accented letters', () => {
    expect(matches({ field: 'firstName', op: 'contains', value: 'ÉLO' }, contact({ firstName: 'Héloïse' }))).toBe(true);
  });

  it('notContains is the opposite, and matches a missing value', () => {
    expect(matches({ field: 'firstName', op: 'notContains', value: 'ada' })).toBe(false);
    expect(matches({ field: 'firstName', op: 'notContains', value: 'ada' }, contact({ firstName: null }))).toBe(true);
  });

  it('eq is case-insensitive equality of the whole value', () => {
    expect(matches({ field: 'firstName', op: 'eq', value: 'ada' })).toBe(true);
    expect(matches({ field: 'timeZone', op: 'eq', value: 'america/chicago' })).toBe(true);
    expect(matches({ field: 'firstName', op: 'eq', value: 'Ad' })).toBe(false);
    expect(matches({ field: 'firstName', op: 'eq', value: 'Ada' }, contact({ firstName: 'Ada\n' }))).toBe(false);
    expect(matches({ field: 'email', op: 'eq', value: 'ada@example.com' }, contact({ email: null }))).toBe(false);
  });

  it('neq is the opposite, and matches a missing value', () => {
    expect(matches({ field: 'lastName', op: 'neq', value: 'LOVELACE' })).toBe(false);
    expect(matches({ field: 'lastName', op: 'neq', value: 'Byron' })).toBe(true);
    expect(matches({ field: 'lastName', op: 'neq', value: 'Byron' }, contact({ lastName: null }))).toBe(true);
  });

  it('exists means a non-empty value', () => {
    expect(matches({ field: 'email', op: 'exists' })).toBe(true);
    expect(matches({ field: 'email', op: 'exists' }, contact({ email: null }))).toBe(false);
    expect(matches({ field: 'firstName', op: 'exists' }, contact({ firstName: '' }))).toBe(false);
    expect(matches({ field: 'email', op: 'notExists' }, contact({ email: null }))).toBe(true);
  });
});

describe('date fields', () => {
  it('before and after are strict, against an instant or a calendar date at midnight UTC', () => {
    const subject = contact({ createdAt: '2026-01-01T00:00:00.000Z' });
    expect(matches({ field: 'createdAt', op: 'before', value: '2026-01-01' }, subject)).toBe(false);
    expect(matches({ field: 'createdAt', op: 'after', value: '2026-01-01' }, subject)).toBe(false);
    expect(matches({ field: 'createdAt', op: 'before', value: '2026-01-01T00:00:00.001Z' }, subject)).toBe(true);
    expect(matches({ field: 'createdAt', op: 'after', value: '2025-12-31T23:59:59Z' }, subject)).toBe(true);
  });

  it('reads offsets in the value', () => {
    const subject = contact({ updatedAt: '2026-01-01T10:00:00.000Z' });
    expect(matches({ field: 'updatedAt', op: 'before', value: '2026-01-01T11:30:00+01:00' }, subject)).toBe(true);
    expect(matches({ field: 'updatedAt', op: 'after', value: '2026-01-01T09:30:00+01:00' }, subject)).toBe(true);
  });

  it('withinDays counts 24-hour days back from the injected now, both ends included', () => {
    expect(matches({ field: 'lastInboundAt', op: 'withinDays', value: 5 })).toBe(true);
    expect(matches({ field: 'lastInboundAt', op: 'withinDays', value: 4 })).toBe(false);
    expect(
      matches({ field: 'lastInboundAt', op: 'withinDays', value: 5 }, contact({ lastInboundAt: daysAgo(5, -1) })),
    ).toBe(false);
    expect(
      matches({ field: 'lastInboundAt', op: 'withinDays', value: 1 }, contact({ lastInboundAt: daysAgo(0) })),
    ).toBe(true);
    expect(matches({ field: 'createdAt', op: 'withinDays', value: 1 }, contact({ createdAt: daysAgo(0, 1) }))).toBe(
      false,
    );
  });

  it('withinDays moves with now', () => {
    // Arrange
    const filter = filterSchema.parse({ all: [{ field: 'lastInboundAt', op: 'withinDays', value: 7 }] });
    const subject = contact({ lastInboundAt: '2026-03-01T00:00:00.000Z' });

    // Act / Assert
    expect(compileFilter(filter, new Date('2026-03-05T00:00:00.000Z'))(subject)).toBe(true);
    expect(compileFilter(filter, new Date('2026-03-09T00:00:00.000Z'))(subject)).toBe(false);
  });

  it('a missing date matches no comparison, and exists says whether it is set', () => {
    for (const lastInboundAt of [null, undefined]) {
      const subject = contact({ lastInboundAt });
      expect(matches({ field: 'lastInboundAt', op: 'before', value: '2100-01-01' }, subject)).toBe(false);
      expect(matches({ field: 'lastInboundAt', op: 'after', value: '1900-01-01' }, subject)).toBe(false);
      expect(matches({ field: 'lastInboundAt', op: 'withinDays', value: 3650 }, subject)).toBe(false);
      expect(matches({ field: 'lastInboundAt', op: 'exists' }, subject)).toBe(false);
      expect(matches({ field: 'lastInboundAt', op: 'notExists' }, subject)).toBe(true);
    }
    expect(matches({ field: 'lastInboundAt', op: 'exists' })).toBe(true);
  });
});

describe('consent', () => {
  it('eq and neq compare the consent status', () => {
    const unknown = contact({ smsConsent: { status: 'unknown', source: 'import', at: NOW.toISOString() } });
    expect(matches({ field: 'smsConsent', op: 'eq', value: 'opted_in' })).toBe(true);
    expect(matches({ field: 'smsConsent', op: 'eq', value: 'opted_in' }, unknown)).toBe(false);
    expect(matches({ field: 'smsConsent', op: 'neq', value: 'opted_in' }, unknown)).toBe(true);
    expect(matches({ field: 'smsConsent', op: 'eq', value: 'unknown' }, unknown)).toBe(true);
  });
});

describe('custom fields', () => {
  it('exists means a value other than empty text, and notExists the opposite', () => {
    expect(matches({ field: 'customFields.plan', op: 'exists' })).toBe(true);
    expect(matches({ field: 'customFields.member', op: 'exists' }, contact({ customFields: { member: false } }))).toBe(
      true,
    );
    expect(matches({ field: 'customFields.visits', op: 'exists' }, contact({ customFields: { visits: 0 } }))).toBe(
      true,
    );
    expect(matches({ field: 'customFields.plan', op: 'exists' }, contact({ customFields: { plan: '' } }))).toBe(false);
    expect(matches({ field: 'customFields.nothing', op: 'exists' })).toBe(false);
    expect(matches({ field: 'customFields.nothing', op: 'notExists' })).toBe(true);
  });

  it('never reads a name from the object prototype', () => {
    expect(matches({ field: 'customFields.constructor', op: 'exists' })).toBe(false);
    expect(matches({ field: 'customFields.toString', op: 'notExists' })).toBe(true);
    expect(
      matches(
        { field: 'customFields.constructor', op: 'eq', value: 'x' },
        contact({ customFields: { constructor: 'X' } }),
      ),
    ).toBe(true);
  });

  it('contains and notContains apply to text values only', () => {
    expect(matches({ field: 'customFields.plan', op: 'contains', value: 'gol' })).toBe(true);
    expect(matches({ field: 'customFields.visits', op: 'contains', value: '3' })).toBe(false);
    expect(matches({ field: 'customFields.visits', op: 'notContains', value: '3' })).toBe(true);
  });

  it('eq compares values of the same type only, text ignoring case', () => {
    expect(matches({ field: 'customFields.plan', op: 'eq', value: 'GOLD' })).toBe(true);
    expect(matches({ field: 'customFields.visits', op: 'eq', value: 3 })).toBe(true);
    expect(matches({ field: 'customFields.visits', op: 'eq', value: '3' })).toBe(false);
    expect(matches({ field: 'customFields.member', op: 'eq', value: true })).toBe(true);
    expect(matches({ field: 'customFields.member', op: 'eq', value: 'true' })).toBe(false);
    expect(matches({ field: 'customFields.member', op: 'neq', value: false })).toBe(true);
  });

  it('gt, gte, lt and lte compare numbers and never match other types', () => {
    expect(matches({ field: 'customFields.visits', op: 'gt', value: 2 })).toBe(true);
    expect(matches({ field: 'customFields.visits', op: 'gt', value: 3 })).toBe(false);
    expect(matches({ field: 'customFields.visits', op: 'gte', value: 3 })).toBe(true);
    expect(matches({ field: 'customFields.visits', op: 'lt', value: 3.5 })).toBe(true);
    expect(matches({ field: 'customFields.visits', op: 'lt', value: 3 })).toBe(false);
    expect(matches({ field: 'customFields.visits', op: 'lte', value: 3 })).toBe(true);
    expect(
      matches({ field: 'customFields.visits', op: 'lte', value: 100 }, contact({ customFields: { visits: '3' } })),
    ).toBe(false);
    expect(matches({ field: 'customFields.missing', op: 'gte', value: -100 })).toBe(false);
  });

  it('date operators apply to text holding an ISO date with a zone', () => {
    expect(matches({ field: 'customFields.appointmentAt', op: 'after', value: '2026-03-03' })).toBe(true);
    expect(matches({ field: 'customFields.appointmentAt', op: 'before', value: '2026-03-03T15:00:01Z' })).toBe(true);
    expect(
      matches(
        { field: 'customFields.renewal', op: 'before', value: '2026-03-01' },
        contact({ customFields: { renewal: '2026-02-01' } }),
      ),
    ).toBe(true);
    const notDates = ['next week', '2026-02-30', '2026-02-01T10:00:00', '20260201'];
    for (const renewal of notDates) {
      const subject = contact({ customFields: { renewal } });
      expect(matches({ field: 'customFields.renewal', op: 'before', value: '2100-01-01' }, subject)).toBe(false);
    }
    expect(matches({ field: 'customFields.visits', op: 'after', value: '1970-01-01' })).toBe(false);
  });

  it('withinDays applies to custom dates in the past days only', () => {
    const recent = contact({ customFields: { lastVisitAt: daysAgo(2) } });
    expect(matches({ field: 'customFields.lastVisitAt', op: 'withinDays', value: 3 }, recent)).toBe(true);
    expect(matches({ field: 'customFields.lastVisitAt', op: 'withinDays', value: 1 }, recent)).toBe(false);
    expect(matches({ field: 'customFields.appointmentAt', op: 'withinDays', value: 30 })).toBe(false);
  });
});

describe('groups', () => {
  it('all needs every item and any needs one, nested', () => {
    // Arrange
    const filter = filterSchema.parse({
      all: [
        { field: 'tags', op: 'contains', value: 'vip' },
        {
          any: [
            { field: 'firstName', op: 'eq', value: 'Bob' },
            { field: 'customFields.visits', op: 'gte', value: 3 },
          ],
        },
      ],
    });
    const matches = compileFilter(filter, NOW);

    // Act / Assert
    expect(matches(contact())).toBe(true);
    expect(matches(contact({ tags: [] }))).toBe(false);
    expect(matches(contact({ customFields: {} }))).toBe(false);
    expect(matches(contact({ customFields: {}, firstName: 'bob' }))).toBe(true);
  });

  it('the empty top-level all matches everyone', () => {
    expect(compileFilter(filterSchema.parse({ all: [] }), NOW)(contact())).toBe(true);
  });

  it('handles groups of one, two and many items alike', () => {
    const yes = { field: 'tags', op: 'exists' };
    const no = { field: 'tags', op: 'notExists' };
    for (const [items, all, any] of [
      [[yes], true, true],
      [[no], false, false],
      [[yes, no], false, true],
      [[no, no], false, false],
      [[yes, yes, yes, no], false, true],
      [[no, no, no, no], false, false],
      [[yes, yes, yes, yes], true, true],
    ] as const) {
      expect(compileFilter(filterSchema.parse({ all: items }), NOW)(contact())).toBe(all);
      expect(compileFilter(filterSchema.parse({ any: items }), NOW)(contact())).toBe(any);
    }
  });
});

describe('compileFilter', () => {
  it('refuses an invalid now', () => {
    expect(() => compileFilter({ all: [] }, new Date('nope'))).toThrow(RangeError);
  });

  it('refuses a filter that did not go through the schema', () => {
    const unparsed = { all: [{ field: 'firstName', op: 'before', value: '2026-01-01' }] } as never;
    expect(() => compileFilter(unparsed, NOW)).toThrow(/filterSchema/);
  });
});
