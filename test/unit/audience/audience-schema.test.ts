import { audienceSchema, MAX_TAGS_PER_LIST, tagGroupSchema } from '../../../shared/domain/audience/audience.schema';
import { issuesToDetails } from '../../../shared/domain/validation';

function detailsOf(audience: unknown) {
  const result = audienceSchema.safeParse(audience);
  return result.success ? [] : issuesToDetails(result.error.issues);
}

describe('audienceSchema', () => {
  it.each([
    ['a Smart List', { smartListId: '01JSMARTLIST0000000000000' }],
    ['a tag group with any', { tags: { any: ['vip', 'new'] } }],
    ['a tag group with all and none', { tags: { all: ['vip'], none: ['churned'] } }],
    ['a tag group with none only', { tags: { none: ['churned'] } }],
    ['a filter', { filter: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] } }],
  ])('accepts %s', (_label, audience) => {
    // Act
    const result = audienceSchema.safeParse(audience);

    // Assert
    expect(result.success).toBe(true);
    expect(result.data).toEqual(audience);
  });

  it.each([
    ['two kinds', { smartListId: 'x', filter: { all: [] } }],
    ['all three kinds', { smartListId: 'x', tags: { any: ['a'] }, filter: { all: [] } }],
    ['no kind', {}],
    ['an unknown kind', { segment: 'x' }],
    ['a list', [{ smartListId: 'x' }]],
    ['null', null],
  ])('refuses %s as a whole', (_label, audience) => {
    // Act
    const issues = detailsOf(audience);

    // Assert
    expect(issues).toEqual([{ path: '(body)', message: expect.stringContaining('exactly one of') }]);
  });

  it('names the path into a filter, prefixed with filter', () => {
    // Arrange
    const audience = {
      filter: {
        all: [
          { field: 'tags', op: 'contains', value: 'vip' },
          { field: 'firstName', op: 'eq', value: 'Ann' },
          { field: 'lastInboundAt', op: 'sometime' },
        ],
      },
    };

    // Act / Assert
    expect(detailsOf(audience).map((detail) => detail.path)).toEqual(['filter.all.2.op']);
  });

  it('refuses an extra key beside a known kind', () => {
    expect(detailsOf({ smartListId: 'x', name: 'VIPs' })).toEqual([
      { path: '(body)', message: expect.stringContaining('name') },
    ]);
  });

  it('refuses an empty Smart List id', () => {
    expect(detailsOf({ smartListId: '  ' }).map((detail) => detail.path)).toEqual(['smartListId']);
  });
});

describe('tagGroupSchema', () => {
  it.each([
    ['no list', {}],
    ['only empty lists', { any: [], all: [], none: [] }],
  ])('refuses a group that names no tag: %s', (_label, group) => {
    // Act
    const result = tagGroupSchema.safeParse(group);

    // Assert
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'must name at least one tag in any, all or none',
    ]);
  });

  it('names the bad tag by its path', () => {
    // Act
    const result = audienceSchema.safeParse({ tags: { any: ['vip', ''], none: [3] } });

    // Assert (the shared tag schema may say two things about one tag)
    const paths = new Set(result.error?.issues.map((issue) => issue.path.join('.')));
    expect([...paths]).toEqual(['tags.any.1', 'tags.none.0']);
  });

  it('refuses an unknown list and a list too long', () => {
    // Arrange
    const tooMany = Array.from({ length: MAX_TAGS_PER_LIST + 1 }, (_, index) => `tag${index}`);

    // Act
    const unknownList = tagGroupSchema.safeParse({ some: ['vip'] });
    const longList = tagGroupSchema.safeParse({ any: tooMany });

    // Assert
    expect(unknownList.success).toBe(false);
    expect(longList.error?.issues[0]?.path).toEqual(['any']);
  });

  it('trims tags and drops repeats', () => {
    expect(tagGroupSchema.parse({ any: [' vip', 'vip ', 'new'] })).toEqual({ any: ['vip', 'new'] });
  });
});
