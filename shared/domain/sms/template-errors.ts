import { RuleViolationError } from '../errors';

/**
 * Errors a message template can raise. They are rule violations of a well-formed request (the error mapper answers
 * 422), with a stable `code` and a detail pointing at the `body` field.
 */
export type TemplateError = TemplateVariableError | TemplateSyntaxError;

/** The template uses a variable that is neither built in nor a known custom field, and gives no default. */
export class TemplateVariableError extends RuleViolationError {
  constructor(
    /** The first unknown variable, e.g. `favourite_color` for `{{contact.favourite_color}}`. */
    readonly variable: string,
    /** Every unknown variable without a default, in order of first use. */
    readonly variables: readonly string[] = [variable],
  ) {
    super(
      'TEMPLATE.UNKNOWN_VARIABLE',
      `Unknown template variable "contact.${variable}" with no default`,
      variables.map((name) => ({ path: 'body', message: `Unknown variable "contact.${name}" and no default` })),
    );
  }
}

/** Text opens a `{{` placeholder that is not a well-formed `{{contact.<field>}}` or `{{contact.<field> | default: "..."}}`. */
export class TemplateSyntaxError extends RuleViolationError {
  constructor(
    /** The malformed placeholder as written (cut at 60 characters). */
    readonly fragment: string,
    /** UTF-16 offset of the fragment in the template. */
    readonly position: number,
  ) {
    const message = `Malformed template placeholder at position ${position}: ${fragment}`;
    super('TEMPLATE.SYNTAX_ERROR', message, [{ path: 'body', message }]);
  }
}
