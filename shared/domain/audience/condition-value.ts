import { z } from 'zod';
import { consentStatusSchema, tagSchema } from '../contacts/contact.schema';
import type { FieldKind, FilterOperator } from './filter-fields';
import { isoDateValueSchema } from './iso-instant';

/** Longer needles than this match nothing a contact holds (names are at most 100 characters, emails 254). */
export const MAX_TEXT_VALUE_LENGTH = 256;

/** Ten years: enough for any "active in the last N days"; a bigger number is a typo. */
export const MAX_WITHIN_DAYS = 3650;

/** An error message that says "is required" when the value is missing, else what it must be. */
function expected(what: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`) };
}

const textValue = z
  .string(expected('a string'))
  .min(1, 'must not be empty')
  .max(MAX_TEXT_VALUE_LENGTH, `must be at most ${MAX_TEXT_VALUE_LENGTH} characters`);
const tagValue = z.string(expected('a tag')).pipe(tagSchema);
const numberValue = z.number(expected('a finite number'));
const withinDaysValue = z
  .number(expected('a whole number of days'))
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(MAX_WITHIN_DAYS, `must be at most ${MAX_WITHIN_DAYS} days`);
const consentValue = z.enum(consentStatusSchema.options, expected(consentStatusSchema.options.join(', ')));
const customEqualsValue = z.union([textValue, z.number(), z.boolean()], expected('a string, a number or a boolean'));
const dateValue = z.string(expected('a date')).pipe(isoDateValueSchema);

/**
 * The schema a condition's `value` must satisfy for this kind of field and operator, or `null` when the operator
 * takes no value (`exists`, `notExists`). Assumes the operator applies to the kind (see `OPERATORS_BY_KIND`).
 */
export function conditionValueSchema(kind: FieldKind, op: FilterOperator): z.ZodType | null {
  switch (op) {
    case 'exists':
    case 'notExists':
      return null;
    case 'contains':
    case 'notContains':
      return kind === 'tags' ? tagValue : textValue;
    case 'eq':
    case 'neq':
      if (kind === 'consent') return consentValue;
      return kind === 'custom' ? customEqualsValue : textValue;
    case 'before':
    case 'after':
      return dateValue;
    case 'withinDays':
      return withinDaysValue;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return numberValue;
  }
}
