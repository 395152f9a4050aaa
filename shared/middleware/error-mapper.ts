import {
  AppError,
  ConcurrentModificationError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  RuleViolationError,
  UnauthorizedError,
  ValidationError,
} from '../domain/errors';

/** The one table from error class to HTTP status. Anything not listed is a 500. */
const statusByErrorClass: [abstract new (...args: never[]) => AppError, number][] = [
  [ValidationError, 400],
  [UnauthorizedError, 401],
  [NotFoundError, 404],
  [ConflictError, 409],
  // Use cases retry these; one that still escapes is a conflict the client may retry, not a server fault.
  [ConcurrentModificationError, 409],
  [PayloadTooLargeError, 413],
  [RuleViolationError, 422],
];

export interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[]; [meta: string]: unknown };
  requestId: string;
}

/** Maps an error to a status and the contract's error body; unknown errors reveal nothing. */
export function mapError(
  error: unknown,
  requestId: string,
): { statusCode: number; body: ErrorBody; expected: boolean } {
  if (error instanceof AppError) {
    const entry = statusByErrorClass.find(([type]) => error instanceof type);
    if (entry) {
      const meta = error instanceof ConflictError ? error.meta : {};
      return {
        statusCode: entry[1],
        body: { error: { code: error.code, message: error.message, details: error.details, ...meta }, requestId },
        expected: true,
      };
    }
  }
  return {
    statusCode: 500,
    body: {
      error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side; it was logged', details: [] },
      requestId,
    },
    expected: false,
  };
}
