import {
  countSegments,
  GSM_PART_SEPTETS,
  GSM_SINGLE_SEPTETS,
  measureSegments,
  splitIntoSegments,
  UCS2_PART_UNITS,
  UCS2_SINGLE_UNITS,
} from '../../../shared/domain/sms/segments';

const gsm = (length: number) => 'a'.repeat(length);
/** 'ф' forces UCS-2 and is one UTF-16 code unit. */
const ucs2 = (length: number) => 'ф'.repeat(length);
const EMOJI = '😀';

describe('segment limits (TS 23.040)', () => {
  it('uses 160/153 septets for GSM-7 and 70/67 code units for UCS-2', () => {
    // Assert
    expect([GSM_SINGLE_SEPTETS, GSM_PART_SEPTETS, UCS2_SINGLE_UNITS, UCS2_PART_UNITS]).toEqual([160, 153, 70, 67]);
  });
});

describe('countSegments / measureSegments', () => {
  it('reports an empty text as GSM-7 with no segment to send', () => {
    // Act
    const count = measureSegments('');

    // Assert
    expect(count).toEqual({ encoding: 'GSM-7', segments: 0, units: 0, unitsPerSegment: 160, remainingInSegment: 160 });
  });

  it.each([
    [1, 1, 160, 159],
    [160, 1, 160, 0],
    [161, 2, 153, 145],
    [306, 2, 153, 0],
    [307, 3, 153, 152],
    [459, 3, 153, 0],
    [460, 4, 153, 152],
  ])('GSM-7 text of %i septets takes %i segment(s)', (septets, segments, unitsPerSegment, remainingInSegment) => {
    // Act
    const count = measureSegments(gsm(septets));

    // Assert
    expect(count).toEqual({ encoding: 'GSM-7', segments, units: septets, unitsPerSegment, remainingInSegment });
    expect(countSegments(gsm(septets))).toBe(segments);
  });

  it.each([
    [1, 1, 70, 69],
    [70, 1, 70, 0],
    [71, 2, 67, 63],
    [134, 2, 67, 0],
    [135, 3, 67, 66],
    [201, 3, 67, 0],
    [202, 4, 67, 66],
  ])('UCS-2 text of %i code units takes %i segment(s)', (units, segments, unitsPerSegment, remainingInSegment) => {
    // Act
    const count = measureSegments(ucs2(units));

    // Assert
    expect(count).toEqual({ encoding: 'UCS-2', segments, units, unitsPerSegment, remainingInSegment });
  });

  it('turns a 160-character text into three UCS-2 parts with one curly quote', () => {
    // Arrange
    const straight = `${gsm(159)}'`;
    const curly = `${gsm(159)}’`;

    // Act / Assert
    expect(measureSegments(straight)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(measureSegments(curly)).toMatchObject({ encoding: 'UCS-2', segments: 3, units: 160 });
  });

  it('counts an extension character as two septets, also against the single-message limit', () => {
    // Assert
    expect(measureSegments(`${gsm(158)}€`)).toMatchObject({ segments: 1, units: 160, remainingInSegment: 0 });
    expect(measureSegments(`${gsm(159)}€`)).toMatchObject({ segments: 2, units: 161 });
    expect(measureSegments('{}[]~|^\\\f€')).toMatchObject({ encoding: 'GSM-7', units: 20 });
  });

  it('moves an escape pair that would straddle a part boundary whole into the next part', () => {
    // Arrange: 306 septets would fit two parts exactly, but '€' sits on septets 153-154
    const text = `${gsm(152)}€${gsm(152)}`;

    // Act
    const count = measureSegments(text);

    // Assert
    expect(count).toMatchObject({ encoding: 'GSM-7', units: 306, segments: 3 });
    expect(count.remainingInSegment).toBe(GSM_PART_SEPTETS - 1);
    expect(splitIntoSegments(text)).toEqual([gsm(152), `€${gsm(151)}`, gsm(1)]);
  });

  it('keeps an escape pair that ends exactly on a part boundary in that part', () => {
    // Arrange
    const text = `${gsm(151)}€${gsm(10)}`;

    // Act
    const parts = splitIntoSegments(text);

    // Assert
    expect(parts).toEqual([`${gsm(151)}€`, gsm(10)]);
    expect(countSegments(text)).toBe(2);
  });

  it('counts a surrogate pair (emoji) as two UCS-2 code units, also against the single-message limit', () => {
    // Assert
    expect(measureSegments(`${ucs2(68)}${EMOJI}`)).toMatchObject({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(measureSegments(`${ucs2(69)}${EMOJI}`)).toMatchObject({ segments: 2, units: 71 });
  });

  it('moves a surrogate pair that would straddle a part boundary whole into the next part', () => {
    // Arrange: 134 units would fit two parts exactly, but the emoji sits on units 67-68
    const text = `${ucs2(66)}${EMOJI}${ucs2(66)}`;

    // Act
    const count = measureSegments(text);

    // Assert
    expect(count).toMatchObject({ encoding: 'UCS-2', units: 134, segments: 3, remainingInSegment: 66 });
    expect(splitIntoSegments(text)).toEqual([ucs2(66), `${EMOJI}${ucs2(65)}`, ucs2(1)]);
  });

  it('keeps a surrogate pair that ends exactly on a part boundary in that part', () => {
    // Arrange
    const text = `${ucs2(65)}${EMOJI}${ucs2(10)}`;

    // Assert
    expect(splitIntoSegments(text)).toEqual([`${ucs2(65)}${EMOJI}`, ucs2(10)]);
    expect(countSegments(text)).toBe(2);
  });

  it('may split a grapheme cluster between code points, which the standard allows', () => {
    // Arrange: a thumbs-up with a skin tone is two surrogate pairs; the boundary falls between them
    const text = `${ucs2(65)}👍🏽${ucs2(10)}`;

    // Act
    const parts = splitIntoSegments(text);

    // Assert
    expect(parts).toEqual([`${ucs2(65)}👍`, `🏽${ucs2(10)}`]);
  });

  it('counts a lone surrogate as one code unit that pairs with nothing', () => {
    // Arrange
    const text = `${ucs2(66)}\ud83d${ucs2(10)}`;

    // Assert
    expect(measureSegments(text)).toMatchObject({ encoding: 'UCS-2', units: 77, segments: 2 });
    expect(splitIntoSegments(text)).toEqual([`${ucs2(66)}\ud83d`, ucs2(10)]);
  });

  it('treats CR LF line breaks as two GSM-7 septets', () => {
    // Assert
    expect(measureSegments('Hi\r\nthere')).toMatchObject({ encoding: 'GSM-7', units: 9, segments: 1 });
  });
});

describe('splitIntoSegments', () => {
  it('returns no part for an empty text and the text itself when it fits one message', () => {
    // Assert
    expect(splitIntoSegments('')).toEqual([]);
    expect(splitIntoSegments(gsm(160))).toEqual([gsm(160)]);
    expect(splitIntoSegments(ucs2(70))).toEqual([ucs2(70)]);
  });

  it('fills GSM-7 parts with 153 septets and UCS-2 parts with 67 code units', () => {
    // Assert
    expect(splitIntoSegments(gsm(161)).map((part) => part.length)).toEqual([153, 8]);
    expect(splitIntoSegments(ucs2(71)).map((part) => part.length)).toEqual([67, 4]);
  });

  it('splits a text that is UCS-2 because of one character in UCS-2 units everywhere', () => {
    // Arrange
    const text = `’${gsm(100)}`;

    // Assert
    expect(splitIntoSegments(text).map((part) => part.length)).toEqual([67, 34]);
  });
});
