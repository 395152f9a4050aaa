import type { z } from 'zod';
import { type ErrorDetail, ValidationError } from './errors';

/** Turns zod issues into error details whose `path` names the offending field (`sendWindow.start`, `contacts.3.phone`). */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix: (string | number)[] = []): ErrorDetail[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path].map(String).join('.');
    return { path: path || '(body)', message: issue.message };
  });
}

/** Parses with a zod schema or throws a ValidationError naming every failing field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = issuesToDetails(result.error.issues);
  const first = details[0];
  throw new ValidationError(`Invalid ${what}${first ? `: ${first.path}: ${first.message}` : ''}`, details);
}
