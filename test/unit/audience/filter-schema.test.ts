import { filterSchema } from '../../../shared/domain/audience/filter.schema';
import { FILTER_LIMITS } from '../../../shared/domain/audience/filter-limits';
import { issuesToDetails } from '../../../shared/domain/validation';

/** The `{path, message}` details the API would answer with for this filter (none when it is valid). */
function detailsOf(filter: unknown) {
  const result = filterSchema.safeParse(filter);
  return result.success ? [] : issuesToDetails(result.error.issues);
}

function paths(filter: unknown): string[] {
  return detailsOf(filter).map((detail) => detail.path);
}

/** A chain of `depth` nested groups around one condition. */
function nested(depth: number): unknown {
  let node: unknown = { field: 'tags', op: 'exists' };
  for (let level = 0; level < depth; level++) node = level % 2 === 0 ? { all: [node] } : { any: [node] };
  return node;
}

describe('filterSchema accepts', () => {
  it.each([
    ['a tag', { field: 'tags', op: 'contains', value: 'vip' }],
    ['a tag absent', { field: 'tags', op: 'notContains', value: 'vip' }],
    ['any tag at all', { field: 'tags', op: 'exists' }],
    ['no tag at all', { field: 'tags', op: 'notExists' }],
    ['a first-name substring', { field: 'firstName', op: 'contains', value: 'ann' }],
    ['a last name', { field: 'lastName', op: 'eq', value: 'Lovelace' }],
    ['an email that is not', { field: 'email', op: 'neq', value: 'a@b.c' }],
    ['an email that is missing', { field: 'email', op: 'notExists' }],
    ['a phone prefix', { field: 'phone', op: 'contains', value: '+1312' }],
    ['a time zone', { field: 'timeZone', op: 'eq', value: 'America/Chicago' }],
    ['a creation date', { field: 'createdAt', op: 'before', value: '2026-01-01' }],
    ['an update instant', { field: 'updatedAt', op: 'after', value: '2026-01-01T09:00:00+02:00' }],
    ['a recent inbound', { field: 'lastInboundAt', op: 'withinDays', value: 30 }],
    ['an inbound ever', { field: 'lastInboundAt', op: 'exists' }],
    ['a consent status', { field: 'smsConsent', op: 'eq', value: 'opted_in' }],
    ['a consent status that is not', { field: 'smsConsent', op: 'neq', value: 'opted_out' }],
    ['a custom text', { field: 'customFields.plan', op: 'contains', value: 'gold' }],
    ['a custom boolean', { field: 'customFields.member', op: 'eq', value: true }],
    ['a custom number', { field: 'customFields.visits', op: 'eq', value: 3 }],
    ['a custom number above', { field: 'customFields.visits', op: 'gt', value: 2.5 }],
    ['a custom number at least', { field: 'customFields.visits', op: 'gte', value: -1 }],
    ['a custom number below', { field: 'customFields.visits', op: 'lt', value: 10 }],
    ['a custom number at most', { field: 'customFields.visits', op: 'lte', value: 0 }],
    ['a custom date', { field: 'customFields.appointmentAt', op: 'withinDays', value: 1 }],
    ['a custom field set', { field: 'customFields.plan', op: 'exists' }],
  ])('%s', (_label, condition) => {
    // Act
    const result = filterSchema.safeParse({ all: [condition] });

    // Assert
    expect(result.success).toBe(true);
    expect(result.data).toEqual({ all: [condition] });
  });

  it('nested groups up to the depth limit', () => {
    // Act
    const issues = detailsOf(nested(FILTER_LIMITS.maxDepth));

    // Assert
    expect(issues).toEqual([]);
  });

  it('the empty top-level all, which means everyone', () => {
    expect(detailsOf({ all: [] })).toEqual([]);
  });

  it('as many conditions as the limit', () => {
    // Arrange
    const conditions = Array.from({ length: FILTER_LIMITS.maxConditions }, () => ({ field: 'tags', op: 'exists' }));

    // Act
    const issues = detailsOf({ any: conditions });

    // Assert
    expect(issues).toEqual([]);
  });
});

describe('filterSchema rejects, naming the path', () => {
  it('an unknown operator and an unknown field', () => {
    // Arrange
    const filter = {
      all: [
        { field: 'tags', op: 'contains', value: 'vip' },
        { field: 'nickname', op: 'eq', value: 'Al' },
        { field: 'firstName', op: 'startsWith', value: 'A' },
      ],
    };

    // Act
    const issues = detailsOf(filter);

    // Assert
    expect(issues).toEqual([
      { path: 'all.1.field', message: expect.stringContaining('customFields.<name>') },
      { path: 'all.2.op', message: expect.stringContaining('withinDays') },
    ]);
  });

  it('deep inside nested groups', () => {
    // Arrange
    const filter = { any: [{ field: 'tags', op: 'exists' }, { all: [{ any: [{ field: 'email', op: 'like' }] }] }] };

    // Act / Assert
    expect(paths(filter)).toEqual(['any.1.all.0.any.0.op']);
  });

  it.each([
    ['before on a text field', { field: 'firstName', op: 'before', value: '2026-01-01' }, 'all.0.op'],
    ['gt on a date field', { field: 'createdAt', op: 'gt', value: 3 }, 'all.0.op'],
    ['contains on the consent', { field: 'smsConsent', op: 'contains', value: 'opted' }, 'all.0.op'],
    ['withinDays on tags', { field: 'tags', op: 'withinDays', value: 3 }, 'all.0.op'],
    ['eq on tags', { field: 'tags', op: 'eq', value: 'vip' }, 'all.0.op'],
    ['exists on the consent', { field: 'smsConsent', op: 'exists' }, 'all.0.op'],
  ])('an operator that does not fit the field: %s', (_label, condition, path) => {
    // Act
    const issues = detailsOf({ all: [condition] });

    // Assert
    expect(issues).toEqual([{ path, message: expect.stringContaining('does not apply to') }]);
  });

  it.each([
    ['before without a date', { field: 'createdAt', op: 'before', value: 'last week' }],
    ['before with an impossible date', { field: 'createdAt', op: 'before', value: '2026-02-30' }],
    ['after with a date-time without a zone', { field: 'createdAt', op: 'after', value: '2026-01-01T10:00:00' }],
    ['after with a number', { field: 'updatedAt', op: 'after', value: 1767225600000 }],
    ['withinDays of zero', { field: 'lastInboundAt', op: 'withinDays', value: 0 }],
    ['withinDays of a fraction', { field: 'lastInboundAt', op: 'withinDays', value: 1.5 }],
    ['withinDays of a negative number', { field: 'lastInboundAt', op: 'withinDays', value: -3 }],
    ['withinDays as text', { field: 'lastInboundAt', op: 'withinDays', value: '7' }],
    ['withinDays of more than ten years', { field: 'lastInboundAt', op: 'withinDays', value: 3651 }],
    ['withinDays without a value', { field: 'lastInboundAt', op: 'withinDays' }],
    ['gt with text', { field: 'customFields.visits', op: 'gt', value: '3' }],
    ['contains with a number', { field: 'firstName', op: 'contains', value: 3 }],
    ['contains with empty text', { field: 'firstName', op: 'contains', value: '' }],
    ['contains with a blank tag', { field: 'tags', op: 'contains', value: '   ' }],
    ['eq with a boolean on a text field', { field: 'email', op: 'eq', value: true }],
    ['eq with an unknown consent status', { field: 'smsConsent', op: 'eq', value: 'maybe' }],
    ['exists with a value', { field: 'email', op: 'exists', value: 'x' }],
    ['a value that is an object', { field: 'customFields.plan', op: 'eq', value: { gold: true } }],
    ['a value that is null', { field: 'customFields.plan', op: 'eq', value: null }],
    ['a text value too long', { field: 'firstName', op: 'contains', value: 'a'.repeat(257) }],
  ])('a value that does not fit the operator: %s', (_label, condition) => {
    // Act / Assert
    expect(paths({ all: [condition] })).toEqual(['all.0.value']);
  });

  it.each([
    ['a custom field name that is not an identifier', 'customFields.first-name'],
    ['an empty custom field name', 'customFields.'],
    ['a nested custom field', 'customFields.a.b'],
    ['the custom fields as a whole', 'customFields'],
    ['a field in another case', 'FirstName'],
    ['a number', 7],
  ])('an unknown field: %s', (_label, field) => {
    expect(paths({ all: [{ field, op: 'exists' }] })).toEqual(['all.0.field']);
  });

  it('a condition without field or op, and one with an extra key', () => {
    // Arrange
    const filter = {
      all: [{ op: 'exists' }, { field: 'email' }, { field: 'email', op: 'exists', negate: true }],
    };

    // Act
    const issues = detailsOf(filter);

    // Assert
    expect(issues).toEqual([
      { path: 'all.0.field', message: 'is required' },
      { path: 'all.1.op', message: 'is required' },
      { path: 'all.2', message: expect.stringContaining('negate') },
    ]);
  });

  it.each([
    ['an empty object', {}],
    ['both all and any', { all: [], any: [] }],
    ['a condition at the top level', { field: 'tags', op: 'exists' }],
    ['an array', [{ field: 'tags', op: 'exists' }]],
    ['a string', 'tags contains vip'],
    ['null', null],
  ])('a top level that is not one group: %s', (_label, filter) => {
    expect(paths(filter)).toEqual(['(body)']);
  });

  it('a group that is not a list', () => {
    expect(paths({ all: { field: 'tags', op: 'exists' } })).toEqual(['all']);
  });

  it('an item that mixes a group and a condition, and one that is neither', () => {
    // Arrange
    const filter = { all: [{ any: [], field: 'tags', op: 'exists' }, { foo: 1 }, 'tags'] };

    // Act
    const issues = detailsOf(filter);

    // Assert
    expect(issues.map((issue) => issue.path)).toEqual(['all.0', 'all.1', 'all.2']);
    expect(issues[0]?.message).toContain('must be a group');
  });

  it('an empty nested group, which would match everyone or no one by accident', () => {
    // Act / Assert
    expect(paths({ any: [{ field: 'tags', op: 'exists' }, { all: [] }] })).toEqual(['any.1.all']);
    expect(paths({ any: [] })).toEqual(['any']);
  });
});

describe('filterSchema limits', () => {
  it('refuses groups nested one level deeper than the limit, naming the group', () => {
    // Act
    const issues = detailsOf(nested(FILTER_LIMITS.maxDepth + 1));

    // Assert
    expect(issues).toEqual([{ path: 'any.0.all.0.any.0.all.0.any.0', message: expect.stringContaining('deeper') }]);
  });

  it('refuses one condition more than the limit', () => {
    // Arrange
    const conditions = Array.from({ length: FILTER_LIMITS.maxConditions + 1 }, () => ({ field: 'tags', op: 'exists' }));

    // Act
    const issues = detailsOf({ all: [{ any: conditions }] });

    // Assert
    expect(issues).toEqual([{ path: '(body)', message: expect.stringContaining(`${FILTER_LIMITS.maxConditions}`) }]);
  });

  it('refuses one group more than the limit', () => {
    // Arrange
    const groups = Array.from({ length: FILTER_LIMITS.maxGroups }, () => ({ any: [{ field: 'tags', op: 'exists' }] }));

    // Act
    const issues = detailsOf({ all: groups });

    // Assert
    expect(issues).toEqual([{ path: '(body)', message: expect.stringContaining(`${FILTER_LIMITS.maxGroups} groups`) }]);
  });

  it('stops early on a huge or very deep body instead of parsing it', () => {
    // Arrange
    let conditionsRead = 0;
    const conditions = Array.from({ length: 1_000_000 }, () => ({ field: 'nope', op: 'nope' }));
    const counted = new Proxy(conditions, {
      get(target, property, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property)) conditionsRead++;
        return Reflect.get(target, property, receiver);
      },
    });
    const huge = { all: counted };
    let deep: unknown = { field: 'tags', op: 'exists' };
    for (let level = 0; level < 100_000; level++) deep = { all: [deep] };

    // Act
    const hugeIssues = detailsOf(huge);
    const deepIssues = detailsOf(deep);

    // Assert: one issue each, not a million, no stack overflow, and the huge list is not walked through
    expect(hugeIssues).toHaveLength(1);
    expect(deepIssues).toHaveLength(1);
    expect(conditionsRead).toBeLessThanOrEqual(FILTER_LIMITS.maxConditions + 1);
  });
});
