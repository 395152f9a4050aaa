import { isGsmText } from '../../../shared/domain/sms/gsm-alphabet';
import { suggestGsmReplacement } from '../../../shared/domain/sms/gsm-replacements';

describe('suggestGsmReplacement', () => {
  it.each([
    ['\u2018', "'"],
    ['\u2019', "'"],
    ['\u201c', '"'],
    ['\u201d', '"'],
    ['\u00ab', '"'],
    ['`', "'"],
    ['\u2013', '-'],
    ['\u2014', '-'],
    ['\u2212', '-'],
    ['\u2026', '...'],
    ['\u00a0', ' '],
    ['\u2009', ' '],
    ['\t', ' '],
    ['\u200b', ''],
    ['\ufeff', ''],
    ['\u2022', '-'],
    ['\u2122', 'TM'],
    ['\u00bd', '1/2'],
    ['\u0391', 'A'],
    ['e\u0301', 'é'],
    ['á', 'a'],
    ['ç', 'c'],
    ['Ａ', 'A'],
    ['ﬁ', 'fi'],
  ])('suggests %j -> %j', (char, replacement) => {
    // Act
    const suggestion = suggestGsmReplacement(char);

    // Assert
    expect(suggestion).toBe(replacement);
    expect(isGsmText(suggestion!)).toBe(true);
  });

  it.each(['😀', '👍🏽', '你', 'ф', 'ŋ', '\u0301'])('has no faithful replacement for %j', (char) => {
    // Assert
    expect(suggestGsmReplacement(char)).toBeNull();
  });
});
