import { z } from 'zod';
import { conditionValueSchema } from './condition-value';
import { fieldKind, filterFieldSchema, filterOperatorSchema, OPERATORS_BY_KIND } from './filter-fields';
import { findFilterLimitIssue } from './filter-limits';
import { keyedUnion } from './keyed-union';

/**
 * One test on a contact: `{field, op, value?}`. The operator must fit the field's kind and the value must fit the
 * operator (`withinDays` a whole number of days, `before` an ISO date, `exists` nothing), so that a filter the API
 * accepts always means something; see `filter-evaluator.ts` for what each operator matches.
 */
export const conditionSchema = z
  .strictObject({
    field: filterFieldSchema,
    op: filterOperatorSchema,
    value: z
      .union([z.string(), z.number(), z.boolean()], { error: 'must be a string, a number or a boolean' })
      .optional(),
  })
  .superRefine((condition, ctx) => {
    const kind = fieldKind(condition.field);
    const allowed = OPERATORS_BY_KIND[kind];
    if (!allowed.includes(condition.op)) {
      ctx.addIssue({
        code: 'custom',
        path: ['op'],
        message: `${condition.op} does not apply to ${condition.field} (a ${kind} field); use one of ${allowed.join(', ')}`,
      });
      return;
    }
    const valueSchema = conditionValueSchema(kind, condition.op);
    if (valueSchema === null) {
      if (condition.value !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: `must be left out: ${condition.op} takes no value` });
      }
      return;
    }
    const result = valueSchema.safeParse(condition.value);
    // The first issue only: a blank tag is "empty", and saying it also breaks the tag pattern would only confuse.
    const issue = result.error?.issues[0];
    if (issue !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: issue.message });
  });
export type Condition = z.infer<typeof conditionSchema>;

/**
 * A filter is recursive, and TypeScript cannot infer a type that refers to itself through a function call
 * (`keyedUnion`), so its shape is spelled out here once; the schemas below are checked against it.
 */
export type FilterGroup = { all: FilterNode[] } | { any: FilterNode[] };
export type FilterNode = FilterGroup | Condition;

const NODE_MESSAGE = 'must be a group ({"all": [...]} or {"any": [...]}) or a condition ({"field", "op", "value"})';
const FILTER_MESSAGE = 'must be {"all": [...]} or {"any": [...]}';

/** A nested group needs a condition: an empty `any` would match nobody and an empty `all` everybody, by accident. */
const nestedAllSchema = z.strictObject({
  get all() {
    return z.array(filterNodeSchema).min(1, 'must hold at least one condition');
  },
});
const nestedAnySchema = z.strictObject({
  get any() {
    return z.array(filterNodeSchema).min(1, 'must hold at least one condition');
  },
});

/** A condition or a nested group, told apart by their keys so that errors point into the one that was meant. */
const filterNodeSchema: z.ZodType<FilterNode> = keyedUnion(
  [nestedAllSchema, nestedAnySchema, conditionSchema],
  NODE_MESSAGE,
);

/**
 * A contact filter as the API takes it (Smart Lists, ad-hoc audiences): `{"all": [...]}` or `{"any": [...]}`, whose
 * items are conditions or nested groups. The top-level `{"all": []}` is allowed and matches every contact, the one
 * way to say "everyone". Size is bounded by `FILTER_LIMITS` (checked first, before anything else is parsed).
 */
export const filterSchema = z
  .unknown()
  .superRefine((input, ctx) => {
    const issue = findFilterLimitIssue(input);
    if (issue !== undefined) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  })
  .pipe(
    keyedUnion(
      [z.strictObject({ all: z.array(filterNodeSchema) }), z.strictObject({ any: nestedAnySchema.shape.any })],
      FILTER_MESSAGE,
    ),
  );
export type Filter = z.infer<typeof filterSchema>;
