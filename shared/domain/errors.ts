/**
 * Application errors with stable codes. No HTTP here: the error-mapper middleware owns the
 * table from error class to status, so the domain can be reused by queues and schedulers.
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly code: string;
  readonly details: ErrorDetail[];

  constructor(message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Input that is malformed or does not match its schema. */
export class ValidationError extends AppError {
  readonly code: string;
  constructor(message: string, details: ErrorDetail[] = [], code = 'VALIDATION_FAILED') {
    super(message, details);
    this.code = code;
  }
}

/** Well-formed input that breaks a business rule. */
export class RuleViolationError extends AppError {
  readonly code: string;
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(message, details);
    this.code = code;
  }
}

/** A resource that does not exist for this tenant (another tenant's resource looks the same). */
export class NotFoundError extends AppError {
  readonly code: string;
  constructor(resource: string, id: string) {
    super(`${resource} ${id} was not found`);
    this.code = `${resource.toUpperCase()}.NOT_FOUND`;
  }
}

/** A state conflict: a duplicate, a wrong state, or a concurrent change that kept losing. */
export class ConflictError extends AppError {
  readonly code: string;
  readonly meta: Record<string, unknown>;
  constructor(code: string, message: string, meta: Record<string, unknown> = {}, details: ErrorDetail[] = []) {
    super(message, details);
    this.code = code;
    this.meta = meta;
  }
}

export class UnauthorizedError extends AppError {
  readonly code = 'UNAUTHORIZED';
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** A conditional write lost against a concurrent change; use cases retry, then report a conflict. */
export class ConcurrentModificationError extends AppError {
  readonly code = 'CONCURRENT_MODIFICATION';
}
