import {
  isSupportedCountry,
  ParseError,
  parsePhoneNumberFromString,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';

export type ParsePhoneNumberResult = { ok: true; e164: string; country?: string } | { ok: false; reason: string };

/**
 * Longer input is refused before parsing: no phone number needs it, and it bounds the parser's work on hostile input.
 * E.164 allows 15 digits; this leaves room for spaces, punctuation and a leading `00`/`011`.
 */
const MAX_INPUT_LENGTH = 64;

/** Sentences for libphonenumber's error codes (`ParseError` messages and `validatePhoneNumberLength` results). */
const REASONS = new Map<string, string>([
  ['INVALID_COUNTRY', 'The phone number has an unknown country calling code.'],
  ['NOT_A_NUMBER', 'This is not a phone number: write its digits, with + and the country code if it is from abroad.'],
  ['TOO_SHORT', 'The phone number is too short.'],
  ['TOO_LONG', 'The phone number is too long.'],
  ['INVALID_LENGTH', 'The phone number does not have a valid length for its country.'],
]);

function reasonFor(code: string | undefined): string {
  return (code !== undefined && REASONS.get(code)) || 'The phone number is not valid.';
}

function failure(reason: string): ParsePhoneNumberResult {
  return { ok: false, reason };
}

/**
 * Normalises a phone number typed by a user or imported from a file into E.164, the one form stored on contacts and
 * sent to the carrier, so that duplicates and opt-outs match whatever the formatting. It checks the number against
 * the full numbering-plan metadata (`libphonenumber-js/max`), not only its length, so that a number no carrier can
 * deliver to is refused at the door with a reason a person can act on, rather than failing later at send time.
 *
 * Accepts national format, read with `defaultCountry` (ISO 3166-1 alpha-2, e.g. the tenant's country), and
 * international format with `+`. The whole string must be the number: text around it is refused rather than guessed
 * at, and so are numbers with an extension, which cannot receive text messages. Never throws on any string.
 */
export function parsePhoneNumber(input: string, defaultCountry: string): ParsePhoneNumberResult {
  const country = typeof defaultCountry === 'string' ? defaultCountry.trim().toUpperCase() : '';
  if (!isSupportedCountry(country)) {
    return failure(`The default country "${defaultCountry}" is not a supported ISO 3166-1 alpha-2 country code.`);
  }
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') return failure('The phone number is empty.');
  if (text.length > MAX_INPUT_LENGTH) return failure(reasonFor('TOO_LONG'));

  let phoneNumber: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    phoneNumber = parsePhoneNumberWithError(text, { defaultCountry: country, extract: false });
  } catch (error) {
    if (error instanceof ParseError) return failure(reasonFor(error.message));
    throw error;
  }

  if (phoneNumber.ext !== undefined) {
    return failure('The phone number has an extension; text messages need a number without one.');
  }
  if (!phoneNumber.isPossible()) {
    return failure(reasonFor(validatePhoneNumberLength(text, country) ?? 'INVALID_LENGTH'));
  }
  if (!phoneNumber.isValid()) {
    return failure('The phone number is not a valid number: no such number exists in its country’s numbering plan.');
  }
  return phoneNumber.country === undefined
    ? { ok: true, e164: phoneNumber.number }
    : { ok: true, e164: phoneNumber.number, country: phoneNumber.country };
}

/**
 * Masks a phone number for logs, keeping the country calling code and the last two digits (`+1********55`), so that
 * logs can tell countries and numbers apart in an investigation without holding personal data. Anything that is not
 * E.164 is masked entirely, since it may be some other personal data.
 */
export function maskPhoneNumber(e164: string): string {
  if (typeof e164 !== 'string' || !/^\+\d{3,15}$/.test(e164)) return '***';
  const callingCode = parsePhoneNumberFromString(e164)?.countryCallingCode ?? '';
  const digits = e164.slice(1);
  const hidden = Math.max(digits.length - callingCode.length - 2, 0);
  return `+${callingCode}${'*'.repeat(hidden)}${digits.slice(callingCode.length + hidden)}`;
}
