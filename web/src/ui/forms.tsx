import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useCallback,
  useId,
  useMemo,
  useState,
} from 'react';
import { ApiError, type FieldIssue } from '../api/client';

/** The errors of the last failed request, by field path, plus the message for what no field claims. */
export interface FieldErrors {
  /** Messages for `path` (exact), or for any of `also` (parent paths such as `sendWindow` for `sendWindow.start`). */
  at: (path: string, ...also: string[]) => string | undefined;
  /** Records a failure: an ApiError's details by path; anything else as a general message. */
  fail: (error: unknown) => void;
  clear: () => void;
  /** The general message (no details, or details naming a field the form does not show). */
  general: string | undefined;
  issues: FieldIssue[];
}

/** Shows an API error next to the field its `details[].path` names (`fields` are the paths this form shows). */
export function useFieldErrors(fields: string[]): FieldErrors {
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [message, setMessage] = useState<string>();
  const fieldKey = fields.join('|');
  const shown = useMemo(() => fieldKey.split('|'), [fieldKey]);

  const claims = useCallback(
    (issue: FieldIssue) =>
      shown.some(
        (field) => issue.path === field || issue.path.startsWith(`${field}.`) || field.startsWith(`${issue.path}.`),
      ),
    [shown],
  );
  const at = useCallback(
    (path: string, ...also: string[]) => {
      const mine = issues.filter(
        (issue) =>
          issue.path === path ||
          issue.path.startsWith(`${path}.`) ||
          also.includes(issue.path) ||
          also.some((parent) => issue.path.startsWith(`${parent}.`) && !shown.includes(issue.path)),
      );
      return mine.length ? mine.map((issue) => issue.message).join('; ') : undefined;
    },
    [issues, shown],
  );
  const fail = useCallback((error: unknown) => {
    if (error instanceof ApiError) {
      setIssues(error.details);
      setMessage(error.message);
    } else {
      setIssues([]);
      setMessage(error instanceof Error ? error.message : String(error));
    }
  }, []);
  const clear = useCallback(() => {
    setIssues([]);
    setMessage(undefined);
  }, []);
  const unclaimed = issues.filter((issue) => !claims(issue));
  const general =
    message === undefined
      ? undefined
      : issues.length === 0
        ? message
        : unclaimed.length
          ? unclaimed.map((issue) => `${issue.path}: ${issue.message}`).join('; ')
          : undefined;
  return { at, fail, clear, general, issues };
}

interface FieldShellProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
  className?: string;
}

/** A visible label, an optional hint and the field's error, wired with ids so screen readers read all three. */
export function FieldShell({ label, hint, error, children, className }: FieldShellProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/** A field's error, announced as it appears; `id` lets the field name it in `aria-describedby`. */
export function FieldError({ message, id }: { message: string | undefined; id?: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {message}
    </p>
  );
}

type Common = { label: ReactNode; hint?: ReactNode; error?: string | undefined; className?: string };

export function TextField({ label, hint, error, className, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldShell label={label} hint={hint} error={error} className={className}>
      {({ id, describedBy, invalid }) => (
        <input id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...input} />
      )}
    </FieldShell>
  );
}

export function TextArea({
  label,
  hint,
  error,
  className,
  ...input
}: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldShell label={label} hint={hint} error={error} className={className}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...input} />
      )}
    </FieldShell>
  );
}

export function SelectField({
  label,
  hint,
  error,
  className,
  children,
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldShell label={label} hint={hint} error={error} className={className}>
      {({ id, describedBy, invalid }) => (
        <select id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} {...select}>
          {children}
        </select>
      )}
    </FieldShell>
  );
}

/** A form-level error (what no field claimed). */
export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <div className="banner banner-error" role="alert">
      {message}
    </div>
  );
}
