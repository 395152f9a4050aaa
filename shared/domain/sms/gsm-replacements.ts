import { isGsmText } from './gsm-alphabet';

/**
 * Look-alikes that slip into texts pasted from word processors, phones and web pages, each mapped to the GSM-7
 * text a reader would take for the same thing. One of them is enough to turn a message into UCS-2.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  // Quotes and apostrophes
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u02bc': "'",
  '\u00b4': "'",
  '`': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2033': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2039': '<',
  '\u203a': '>',
  // Dashes and minus
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  // Ellipsis, bullets and symbols
  '\u2026': '...',
  '\u2022': '-',
  '\u00b7': '-',
  '\u00a9': '(c)',
  '\u00ae': '(R)',
  '\u2122': 'TM',
  '\u00bc': '1/4',
  '\u00bd': '1/2',
  '\u00be': '3/4',
  '\u00d7': 'x',
  '\u00f7': '/',
  '\u2044': '/',
  // Spaces and invisible characters
  '\t': ' ',
  '\u00a0': ' ',
  '\u2000': ' ',
  '\u2001': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2004': ' ',
  '\u2005': ' ',
  '\u2006': ' ',
  '\u2007': ' ',
  '\u2008': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u205f': ' ',
  '\u3000': ' ',
  '\u2028': '\n',
  '\u2029': '\n',
  '\u200b': '',
  '\u200c': '',
  '\u2060': '',
  '\ufeff': '',
  // Greek capitals that look like Latin ones (the GSM table holds only the distinct Greek capitals)
  '\u0391': 'A',
  '\u0392': 'B',
  '\u0395': 'E',
  '\u0396': 'Z',
  '\u0397': 'H',
  '\u0399': 'I',
  '\u039a': 'K',
  '\u039c': 'M',
  '\u039d': 'N',
  '\u039f': 'O',
  '\u03a1': 'P',
  '\u03a4': 'T',
  '\u03a5': 'Y',
  '\u03a7': 'X',
};

const MARKS_AND_FORMAT_CHARACTERS = /[\p{M}\p{Cf}]/gu;

/**
 * The GSM-7 text to suggest for a character that forces UCS-2, or null when there is no faithful one.
 * Tries, in order: a known look-alike (curly quotes, dashes, ellipsis, odd spaces...), the composed form of a
 * decomposed accent (e + U+0301 is the GSM é), and the compatibility form without accents (fullwidth letters,
 * ligatures, á -> a, invisible joiners dropped). It is only a suggestion; text is changed only when a caller asks for it.
 */
export function suggestGsmReplacement(char: string): string | null {
  const known = LOOK_ALIKES[char];
  if (known !== undefined) return known;
  const composed = char.normalize('NFC');
  if (isGsmText(composed)) return composed;
  const stripped = char.normalize('NFKD').replace(MARKS_AND_FORMAT_CHARACTERS, '');
  if (stripped.length > 0 && isGsmText(stripped)) return stripped;
  return null;
}
