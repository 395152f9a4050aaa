import fc from 'fast-check';
import { compileInstantRange } from '../../../shared/domain/audience/instant-range';

const MIN = Date.UTC(1990, 0, 1);
const MAX = Date.UTC(2040, 0, 1);
const instant = fc.oneof(
  fc.integer({ min: MIN, max: MAX }),
  fc.constantFrom(Date.UTC(2026, 2, 2), Date.UTC(2026, 2, 2) + 1),
);

/** The same instant written the ways a timestamp can be: canonical, without milliseconds, with an offset. */
function writings(ms: number): string[] {
  const canonical = new Date(ms).toISOString();
  const shifted = new Date(ms + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
  return ms % 1000 === 0 ? [canonical, canonical.replace('.000Z', 'Z'), shifted] : [canonical, shifted];
}

describe('compileInstantRange', () => {
  it('agrees with comparing parsed instants, for every way of writing them', () => {
    fc.assert(
      fc.property(
        instant,
        fc.oneof(instant, fc.constant(-Infinity)),
        fc.oneof(instant, fc.constant(Infinity)),
        (ms, from, to) => {
          // Arrange
          const inRange = compileInstantRange(from, to);

          // Act / Assert
          for (const text of writings(ms)) expect(inRange(text)).toBe(ms >= from && ms <= to);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('includes both ends', () => {
    // Arrange
    const at = Date.UTC(2026, 2, 2, 15);
    const inRange = compileInstantRange(at, at);

    // Act / Assert
    expect(inRange('2026-03-02T15:00:00.000Z')).toBe(true);
    expect(inRange('2026-03-02T14:59:59.999Z')).toBe(false);
    expect(inRange('2026-03-02T15:00:00.001Z')).toBe(false);
    expect(inRange('2026-03-02T16:00:00+01:00')).toBe(true);
  });

  it('falls back to parsing when a bound has no canonical text', () => {
    // Arrange: a bound past year 9999
    const inRange = compileInstantRange(-Infinity, Date.UTC(12000, 0, 1));

    // Act / Assert
    expect(inRange('2026-03-02T15:00:00.000Z')).toBe(true);
  });
});
