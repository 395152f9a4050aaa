/**
 * The GSM 03.38 default alphabet (3GPP TS 23.038, section 6.2.1) and its extension table (6.2.1.1).
 * Each index of `BASIC_TABLE` is the character's 7-bit code; 0x1B is the escape to the extension table.
 */
const BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Characters reached through the escape code 0x1B: form feed, ^ { } \ [ ~ ] | and the euro sign. */
const EXTENSION_TABLE = '\f^{}\\[~]|€';

const ESCAPE_CODE = 0x1b;

/** Septets per UTF-16 code unit: 0 when the unit is outside GSM-7, 1 for the basic table, 2 for the extension table. */
export const GSM_SEPTETS: Uint8Array = buildSeptetTable();

function buildSeptetTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let code = 0; code < BASIC_TABLE.length; code++) {
    if (code !== ESCAPE_CODE) table[BASIC_TABLE.charCodeAt(code)] = 1;
  }
  for (let i = 0; i < EXTENSION_TABLE.length; i++) table[EXTENSION_TABLE.charCodeAt(i)] = 2;
  return table;
}

/** The basic table as a string of 128 characters (the escape slot included), for tests and documentation. */
export const GSM_BASIC_CHARACTERS = BASIC_TABLE;

/** The extension-table characters, each of which costs an escape septet plus its own. */
export const GSM_EXTENSION_CHARACTERS = EXTENSION_TABLE;

/**
 * Septets a character costs in GSM-7 (0 when it cannot be encoded), so callers can price text without a table of their own.
 * Only single UTF-16 code units can be GSM characters; anything astral is never GSM.
 */
export function gsmSeptetsOf(char: string): number {
  return char.length === 1 ? GSM_SEPTETS[char.charCodeAt(0)]! : 0;
}

/** True when every character of the text is in the basic or extension table, i.e. the text can travel as GSM-7. */
export function isGsmText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (GSM_SEPTETS[text.charCodeAt(i)] === 0) return false;
  }
  return true;
}
