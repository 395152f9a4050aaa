import {
  GSM_BASIC_CHARACTERS,
  GSM_EXTENSION_CHARACTERS,
  gsmSeptetsOf,
  isGsmText,
} from '../../../shared/domain/sms/gsm-alphabet';

describe('GSM 03.38 default alphabet', () => {
  it('has 128 basic codes, the escape 0x1B among them', () => {
    // Assert
    expect(GSM_BASIC_CHARACTERS).toHaveLength(128);
    expect(GSM_BASIC_CHARACTERS.charCodeAt(0x1b)).toBe(0x1b);
    expect(GSM_BASIC_CHARACTERS[0x00]).toBe('@');
    expect(GSM_BASIC_CHARACTERS[0x02]).toBe('$');
    expect(GSM_BASIC_CHARACTERS[0x09]).toBe('Ç');
    expect(GSM_BASIC_CHARACTERS[0x24]).toBe('¤');
    expect(GSM_BASIC_CHARACTERS[0x40]).toBe('¡');
    expect(GSM_BASIC_CHARACTERS[0x60]).toBe('¿');
    expect(GSM_BASIC_CHARACTERS[0x7f]).toBe('à');
  });

  it('costs one septet for every basic character but the escape itself', () => {
    // Arrange
    const basic = [...GSM_BASIC_CHARACTERS].filter((char) => char !== '\u001b');

    // Act
    const costs = new Set(basic.map(gsmSeptetsOf));

    // Assert
    expect(basic).toHaveLength(127);
    expect([...costs]).toEqual([1]);
    expect(gsmSeptetsOf('\u001b')).toBe(0);
  });

  it('costs two septets (escape + code) for each extension character', () => {
    // Assert
    expect(GSM_EXTENSION_CHARACTERS).toBe('\f^{}\\[~]|€');
    for (const char of GSM_EXTENSION_CHARACTERS) expect(gsmSeptetsOf(char)).toBe(2);
  });

  it.each([
    ['`', 'grave accent'],
    ['ç', 'lower-case c cedilla (the table holds Ç)'],
    ['’', 'curly apostrophe'],
    ['\u00a0', 'non-breaking space'],
    ['\t', 'tab'],
    ['á', 'a acute'],
    ['😀', 'emoji (astral)'],
    ['ф', 'Cyrillic'],
    ['Α', 'Greek capital alpha (looks like A)'],
  ])('rejects %j (%s)', (char) => {
    // Assert
    expect(gsmSeptetsOf(char)).toBe(0);
    expect(isGsmText(`abc${char}`)).toBe(false);
  });

  it('accepts text made only of basic and extension characters, including CR LF', () => {
    // Assert
    expect(isGsmText('Hi Ann!\r\nSave 20% {today} at ÄÖÜ £5 / €6 ~ [x] | ^ \\ @ _')).toBe(true);
    expect(isGsmText('')).toBe(true);
  });
});
