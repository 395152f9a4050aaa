/**
 * Why a message was not delivered, one category per failure event type of AWS End User Messaging SMS
 * (`TEXT_INVALID`, `TEXT_BLOCKED`, ...), so campaign results can count failures by cause.
 */
export const FAILURE_REASONS = [
  'invalidNumber',
  'blocked',
  'carrierBlocked',
  'spam',
  'unreachable',
  'carrierUnreachable',
  'ttlExpired',
  'invalidMessage',
  'protectBlocked',
  'unknown',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

const BY_EVENT_TYPE = new Map<string, FailureReason>([
  ['TEXT_INVALID', 'invalidNumber'],
  ['TEXT_BLOCKED', 'blocked'],
  ['TEXT_CARRIER_BLOCKED', 'carrierBlocked'],
  ['TEXT_SPAM', 'spam'],
  ['TEXT_UNREACHABLE', 'unreachable'],
  ['TEXT_CARRIER_UNREACHABLE', 'carrierUnreachable'],
  ['TEXT_TTL_EXPIRED', 'ttlExpired'],
  ['TEXT_INVALID_MESSAGE', 'invalidMessage'],
  ['TEXT_PROTECT_BLOCKED', 'protectBlocked'],
]);

/**
 * The category of a failed SMS event record's `eventType`. `TEXT_UNKNOWN`, and any type this code does not know
 * (AWS adds event types over time), is `unknown` rather than an error, so a new type never breaks receipt handling.
 * Only meaningful for records that are failures: the caller decides that (see `receiptOutcome`).
 */
export function failureReasonOf(eventType: string): FailureReason {
  return BY_EVENT_TYPE.get(eventType) ?? 'unknown';
}

/** A zero count for every category, so totals always carry every key (a dashboard shows 0, not a gap). */
export function emptyFailureCounts(): Record<FailureReason, number> {
  return Object.fromEntries(FAILURE_REASONS.map((reason) => [reason, 0])) as Record<FailureReason, number>;
}

/**
 * The closest category for a send that `SendTextMessage` refused, from the rejection reason the gateway records
 * (`ErrorName:REASON`, possibly with the field: `ValidationException:INVALID_PARAMETER(destinationphonenumber)`,
 * `ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT`), so refused sends are counted with the receipts.
 *
 * The reason is read as upper-case words (split on anything but letters and digits), first rule that applies wins:
 * - `PROTECT` with `BLOCKED` (blocked by a protect configuration or number override): `protectBlocked`;
 * - `BLOCKED`, or `OPTED OUT` (the destination refuses our messages): `blocked`;
 * - `CANNOT_PARSE`, `COUNTRY_CODE_MISMATCH`, or the destination or phone number together with `INVALID`, `FAILED`
 *   or `NOT VALID` (the number is not a valid phone number): `invalidNumber`;
 * - `MESSAGE`, `BODY`, `MESSAGEBODY`, `KEYWORD` or `MAXIMUM_SIZE_EXCEEDED` (the content was refused): `invalidMessage`;
 * - anything else, including `DESTINATION_PHONE_NUMBER_NOT_VERIFIED` (a sandbox account, not the number's fault),
 *   is `unknown`.
 */
export function failureReasonOfSendError(reason: string): FailureReason {
  const words = new Set(reason.toUpperCase().split(/[^A-Z0-9]+/));
  const has = (...all: string[]) => all.every((word) => words.has(word));

  if (has('PROTECT', 'BLOCKED')) return 'protectBlocked';
  if (has('BLOCKED') || has('OPTED', 'OUT') || has('OPTEDOUT')) return 'blocked';
  const destination = has('DESTINATION') || has('DESTINATIONPHONENUMBER') || has('PHONE', 'NUMBER');
  const invalid = has('INVALID') || has('FAILED') || has('NOT', 'VALID');
  if ((destination && invalid) || has('CANNOT', 'PARSE') || has('COUNTRY', 'CODE', 'MISMATCH')) return 'invalidNumber';
  if (has('MESSAGE') || has('BODY') || has('MESSAGEBODY') || has('KEYWORD') || has('MAXIMUM', 'SIZE', 'EXCEEDED')) {
    return 'invalidMessage';
  }
  return 'unknown';
}
