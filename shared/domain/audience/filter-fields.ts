import { z } from 'zod';
import { customFieldNameSchema } from '../contacts/contact.schema';

/**
 * The contact fields a filter can test and the kind of value each holds. The kind, not the field, decides which
 * operators make sense (`before` on a name is a mistake the API refuses rather than a filter that matches nobody).
 */
export const STANDARD_FIELD_KINDS = {
  tags: 'tags',
  firstName: 'text',
  lastName: 'text',
  email: 'text',
  phone: 'text',
  timeZone: 'text',
  createdAt: 'date',
  updatedAt: 'date',
  lastInboundAt: 'date',
  smsConsent: 'consent',
} as const;

export type StandardField = keyof typeof STANDARD_FIELD_KINDS;

/** `custom` fields hold whatever was stored (string, number or boolean), so their operators check the value's type. */
export type FieldKind = (typeof STANDARD_FIELD_KINDS)[StandardField] | 'custom';

/** A custom field is addressed as `customFields.<name>`, the name being what contacts use as its key. */
export const CUSTOM_FIELD_PREFIX = 'customFields.';

const STANDARD_FIELDS = Object.keys(STANDARD_FIELD_KINDS) as [StandardField, ...StandardField[]];

const FIELD_MESSAGE = `must be one of ${STANDARD_FIELDS.join(', ')} or ${CUSTOM_FIELD_PREFIX}<name>`;

/** The `field` of a condition. */
export const filterFieldSchema = z.union(
  [z.enum(STANDARD_FIELDS), z.templateLiteral([CUSTOM_FIELD_PREFIX, customFieldNameSchema])],
  { error: (issue) => (issue.input === undefined ? 'is required' : FIELD_MESSAGE) },
);
export type FilterField = z.infer<typeof filterFieldSchema>;

export const FILTER_OPERATORS = [
  'contains',
  'notContains',
  'eq',
  'neq',
  'exists',
  'notExists',
  'before',
  'after',
  'withinDays',
  'gt',
  'gte',
  'lt',
  'lte',
] as const;

/** The `op` of a condition. */
export const filterOperatorSchema = z.enum(FILTER_OPERATORS, {
  error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${FILTER_OPERATORS.join(', ')}`),
});
export type FilterOperator = z.infer<typeof filterOperatorSchema>;

/**
 * Which operators apply to which kind of field. Custom fields take every operator because their type is only known
 * per contact: an operator simply does not match a value of another type (`gt` never matches a string).
 */
export const OPERATORS_BY_KIND: Readonly<Record<FieldKind, readonly FilterOperator[]>> = {
  tags: ['contains', 'notContains', 'exists', 'notExists'],
  text: ['contains', 'notContains', 'eq', 'neq', 'exists', 'notExists'],
  date: ['before', 'after', 'withinDays', 'exists', 'notExists'],
  consent: ['eq', 'neq'],
  custom: FILTER_OPERATORS,
};

/** The kind of a (validated) field; custom fields are recognised by their prefix. */
export function fieldKind(field: FilterField): FieldKind {
  return field.startsWith(CUSTOM_FIELD_PREFIX) ? 'custom' : STANDARD_FIELD_KINDS[field as StandardField];
}

/** The custom field's name in `customFields.<name>`. */
export function customFieldName(field: FilterField): string {
  return field.slice(CUSTOM_FIELD_PREFIX.length);
}
