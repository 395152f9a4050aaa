import fc from 'fast-check';
import { GSM_BASIC_CHARACTERS, GSM_EXTENSION_CHARACTERS } from '../../../shared/domain/sms/gsm-alphabet';
import { countSegments, measureSegments, splitIntoSegments } from '../../../shared/domain/sms/segments';

const gsmCharacters = [...GSM_BASIC_CHARACTERS.replace('\u001b', ''), ...GSM_EXTENSION_CHARACTERS];
const gsmCharacter = fc.constantFrom(...gsmCharacters);
/** Characters that stress the rules: extension characters, UCS-2, emoji, clusters and lone surrogates. */
const anyCharacter = fc.oneof(
  { weight: 6, arbitrary: gsmCharacter },
  { weight: 1, arbitrary: fc.constantFrom('’', '—', 'ф', 'é', '\u00a0', '\u0301', '\ufe0f', '\u200d') },
  { weight: 1, arbitrary: fc.constantFrom('😀', '👍🏽', '🇫🇷', '👨‍👩‍👧', '1️⃣') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud83d', '\ude00') },
);
const anyText = fc.string({ unit: anyCharacter, maxLength: 500 });
const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

describe('segment properties', () => {
  it('never decreases as text grows', () => {
    fc.assert(
      fc.property(anyText, anyText, (text, more) => {
        expect(countSegments(text + more)).toBeGreaterThanOrEqual(countSegments(text));
      }),
      { numRuns: 500 },
    );
  });

  it('sends pure GSM text of 160 septets or less as one segment', () => {
    fc.assert(
      fc.property(fc.array(gsmCharacter, { minLength: 1, maxLength: 160 }), (characters) => {
        // Arrange: drop characters from the end until the text fits 160 septets
        let text = characters.join('');
        while (measureSegments(text).units > 160) text = text.slice(0, -1);

        // Assert
        expect(measureSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
        expect(splitIntoSegments(text)).toEqual([text]);
      }),
    );
  });

  it('never breaks a surrogate pair or an escape pair, and fills every part it can', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        // Act
        const parts = splitIntoSegments(text);
        const { encoding, segments } = measureSegments(text);

        // Assert
        expect(parts.join('')).toBe(text);
        expect(parts).toHaveLength(segments);
        expect(countSegments(text)).toBe(segments);
        if (parts.length < 2) return;
        const capacity = encoding === 'GSM-7' ? 153 : 67;
        const unitsOf = (part: string) => (encoding === 'GSM-7' ? measureSegments(part).units : part.length);
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i]!;
          expect(unitsOf(part)).toBeLessThanOrEqual(capacity);
          const next = parts[i + 1];
          if (next === undefined) continue;
          const splitsPair = isHigh(part.charCodeAt(part.length - 1)) && isLow(next.charCodeAt(0));
          expect(splitsPair).toBe(false);
          // Greedy: the next part's first character (or pair) did not fit
          const firstSize = isHigh(next.charCodeAt(0)) && isLow(next.charCodeAt(1)) ? 2 : 1;
          expect(unitsOf(part + next.slice(0, firstSize))).toBeGreaterThan(capacity);
        }
      }),
      { numRuns: 500 },
    );
  });
});
