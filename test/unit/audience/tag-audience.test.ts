import fc from 'fast-check';
import type { TagGroup } from '../../../shared/domain/audience/audience.schema';
import { matchesTagGroup, planTagAudience } from '../../../shared/domain/audience/tag-audience';

const TAGS = ['vip', 'new', 'lead', 'churned', 'VIP', 'x y'];
const tagList = fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 4 });
const groupArb: fc.Arbitrary<TagGroup> = fc.record({ any: tagList, all: tagList, none: tagList }, { requiredKeys: [] });

/** The plain-sets reading of a tag group. */
function referenceMatches(tags: string[], group: TagGroup): boolean {
  const has = new Set(tags);
  const anyOk = !group.any?.length || group.any.some((tag) => has.has(tag));
  const allOk = (group.all ?? []).every((tag) => has.has(tag));
  const noneOk = !(group.none ?? []).some((tag) => has.has(tag));
  return anyOk && allOk && noneOk;
}

describe('matchesTagGroup', () => {
  it('agrees with the plain-sets reading', () => {
    fc.assert(
      fc.property(tagList, groupArb, (tags, group) => {
        expect(matchesTagGroup(tags, group)).toBe(referenceMatches(tags, group));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    [['vip'], { any: ['vip', 'new'] }, true],
    [['lead'], { any: ['vip', 'new'] }, false],
    [['vip', 'new'], { all: ['vip', 'new'] }, true],
    [['vip'], { all: ['vip', 'new'] }, false],
    [['vip'], { none: ['churned'] }, true],
    [['vip', 'churned'], { none: ['churned'] }, false],
    [['vip', 'new'], { any: ['vip'], all: ['new'], none: ['churned'] }, true],
    [['VIP'], { any: ['vip'] }, false],
    [[], { any: [], all: [], none: ['churned'] }, true],
  ])('%j against %j is %s', (tags, group, expected) => {
    expect(matchesTagGroup(tags, group)).toBe(expected);
  });
});

describe('planTagAudience', () => {
  const sizes: Record<string, number> = { vip: 500, new: 20, lead: 3000, churned: 10, VIP: 0, 'x y': 70 };
  const sizeOf = (tag: string) => sizes[tag] ?? 0;

  it('drives an any group from the union of its partitions', () => {
    expect(planTagAudience({ any: ['vip', 'lead'], none: ['churned'] }, sizeOf)).toEqual({
      scan: 'tags',
      tags: ['vip', 'lead'],
    });
  });

  it('drives an all group from its smallest partition', () => {
    expect(planTagAudience({ all: ['lead', 'new', 'vip'] }, sizeOf)).toEqual({ scan: 'tags', tags: ['new'] });
  });

  it('drives any plus all from whichever is cheaper', () => {
    expect(planTagAudience({ any: ['vip', 'lead'], all: ['new'] }, sizeOf)).toEqual({ scan: 'tags', tags: ['new'] });
    expect(planTagAudience({ any: ['new', 'x y'], all: ['lead'] }, sizeOf)).toEqual({
      scan: 'tags',
      tags: ['new', 'x y'],
    });
  });

  it('scans the tenant for none alone', () => {
    expect(planTagAudience({ none: ['churned'] }, sizeOf)).toEqual({ scan: 'tenant' });
    expect(planTagAudience({ any: [], all: [], none: ['churned'] }, sizeOf)).toEqual({ scan: 'tenant' });
  });

  it('asks for sizes only when it has a choice to make', () => {
    // Arrange
    const asked: string[] = [];
    const spy = (tag: string) => {
      asked.push(tag);
      return sizeOf(tag);
    };

    // Act
    planTagAudience({ any: ['vip', 'new'] }, spy);

    // Assert
    expect(asked).toEqual([]);
  });

  it('always scans a superset of the audience, and only partitions of the group', () => {
    fc.assert(
      fc.property(
        groupArb,
        fc.array(tagList, { maxLength: 30 }),
        fc.dictionary(fc.constantFrom(...TAGS), fc.nat(1000)),
        (group, contacts, tagSizes) => {
          // Act
          const plan = planTagAudience(group, (tag) => tagSizes[tag] ?? 0);

          // Assert
          if (plan.scan === 'tenant') {
            expect(group.any?.length || group.all?.length).toBeFalsy();
            return;
          }
          expect(plan.tags.length).toBeGreaterThan(0);
          expect(new Set(plan.tags).size).toBe(plan.tags.length);
          for (const tag of plan.tags) expect([...(group.any ?? []), ...(group.all ?? [])]).toContain(tag);
          for (const tags of contacts) {
            if (matchesTagGroup(tags, group)) expect(plan.tags.some((tag) => tags.includes(tag))).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
