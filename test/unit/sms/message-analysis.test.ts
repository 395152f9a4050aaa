import { analyzeMessage } from '../../../shared/domain/sms/message-analysis';
import { messageAnalysisSchema } from '../../../shared/domain/sms/sms.schema';

describe('analyzeMessage', () => {
  it('reports a GSM-7 text with its counts and no offending character', () => {
    // Act
    const analysis = analyzeMessage('Hi Ann, 20% off {today} only!');

    // Assert
    expect(analysis).toEqual({
      text: 'Hi Ann, 20% off {today} only!',
      encoding: 'GSM-7',
      segments: 1,
      characters: 29,
      units: 31,
      unitsPerSegment: 160,
      remainingInSegment: 129,
      nonGsmCharacters: [],
      appliedReplacements: [],
    });
    expect(messageAnalysisSchema.parse(analysis)).toEqual(analysis);
  });

  it('lists every character that forces UCS-2 with its position and a GSM suggestion', () => {
    // Act
    const analysis = analyzeMessage('It’s “on” — now… 😀');

    // Assert
    expect(analysis.encoding).toBe('UCS-2');
    expect(analysis.nonGsmCharacters).toEqual([
      { char: '’', position: 2, unicode: 'U+2019', replacement: "'" },
      { char: '“', position: 5, unicode: 'U+201C', replacement: '"' },
      { char: '”', position: 8, unicode: 'U+201D', replacement: '"' },
      { char: '—', position: 10, unicode: 'U+2014', replacement: '-' },
      { char: '…', position: 15, unicode: 'U+2026', replacement: '...' },
      { char: '😀', position: 17, unicode: 'U+1F600', replacement: null },
    ]);
  });

  it('counts user-perceived characters and reports a grapheme cluster once', () => {
    // Act
    const analysis = analyzeMessage('Hi 👍🏽 e\u0301');

    // Assert
    expect(analysis.characters).toBe(6);
    expect(analysis.units).toBe(10);
    expect(analysis.nonGsmCharacters.map(({ char, replacement }) => [char, replacement])).toEqual([
      ['👍🏽', null],
      ['e\u0301', 'é'],
    ]);
  });

  it('never changes the text unless asked', () => {
    // Arrange
    const text = `${'a'.repeat(150)} don’t`;

    // Act
    const analysis = analyzeMessage(text);

    // Assert
    expect(analysis).toMatchObject({ text, encoding: 'UCS-2', segments: 3, appliedReplacements: [] });
  });

  it('applies the suggestions when asked, and says which it applied', () => {
    // Arrange
    const text = `${'a'.repeat(150)} don’t… 😀`;

    // Act
    const analysis = analyzeMessage(text, { applyReplacements: true });

    // Assert
    expect(analysis.text).toBe(`${'a'.repeat(150)} don't... 😀`);
    expect(analysis.appliedReplacements).toEqual([
      { char: '’', position: 154, replacement: "'" },
      { char: '…', position: 156, replacement: '...' },
    ]);
    expect(analysis.nonGsmCharacters).toEqual([{ char: '😀', position: 160, unicode: 'U+1F600', replacement: null }]);
  });

  it('brings a text back to one GSM-7 segment when every offender has a replacement', () => {
    // Arrange
    const text = `“Sale”\u00a0– ${'a'.repeat(140)}`;

    // Act
    const before = analyzeMessage(text);
    const after = analyzeMessage(text, { applyReplacements: true });

    // Assert
    expect(before).toMatchObject({ encoding: 'UCS-2', segments: 3 });
    expect(after).toMatchObject({ encoding: 'GSM-7', segments: 1, text: `"Sale" - ${'a'.repeat(140)}` });
  });
});
