import fc from 'fast-check';
import { filterSchema } from '../../../shared/domain/audience/filter.schema';
import { compileFilter } from '../../../shared/domain/audience/filter-evaluator';
import { conditionArb, contactArb, filterInputArb, NOW } from './audience-arbitraries';
import { referenceMatches } from './filter-reference';

describe('compiled filters against the brute-force reference', () => {
  it('agree on random nested filters and random contacts', () => {
    fc.assert(
      fc.property(filterInputArb, fc.array(contactArb, { minLength: 1, maxLength: 25 }), (input, contacts) => {
        // Arrange
        const filter = filterSchema.parse(input);

        // Act
        const matches = compileFilter(filter, NOW);

        // Assert
        for (const contact of contacts) expect(matches(contact)).toBe(referenceMatches(filter, contact, NOW));
      }),
      { numRuns: 600 },
    );
  });

  it('agree on every single condition the schema accepts', () => {
    fc.assert(
      fc.property(conditionArb, contactArb, (condition, contact) => {
        // Arrange
        const filter = filterSchema.parse({ all: [condition] });

        // Act
        const matched = compileFilter(filter, NOW)(contact);

        // Assert
        expect(matched).toBe(referenceMatches(filter, contact, NOW));
      }),
      { numRuns: 3000 },
    );
  });

  it('makes neq, notContains and notExists the exact opposites of eq, contains and exists', () => {
    const opposite = { eq: 'neq', contains: 'notContains', exists: 'notExists' } as const;
    fc.assert(
      fc.property(
        conditionArb.filter((condition) => condition.op in opposite),
        contactArb,
        (condition, contact) => {
          // Arrange
          const op = condition.op as keyof typeof opposite;
          const positive = compileFilter(filterSchema.parse({ all: [condition] }), NOW);
          const negative = compileFilter(filterSchema.parse({ all: [{ ...condition, op: opposite[op] }] }), NOW);

          // Assert
          expect(negative(contact)).toBe(!positive(contact));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
