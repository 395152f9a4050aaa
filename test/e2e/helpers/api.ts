import type { ConsentEvent, Contact } from '../../../shared/domain/contacts/contact.schema';
import type { Settings } from '../../../shared/domain/settings/settings.schema';
import type { ErrorBody } from '../../../shared/middleware/error-mapper';
import type { HttpResponse } from '../../support/http-client';

export type { ConsentEvent, Contact, ErrorBody, Settings };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ImportResult {
  created: number;
  updated: number;
  rejected: { index: number; error: ErrorBody['error'] }[];
}

/** ISO-8601 in UTC with milliseconds, as the contract writes timestamps. */
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Asserts the contract's error body and returns it, so a test can look at code and details. */
export function expectError(response: HttpResponse<unknown>, status: number, code?: string): ErrorBody['error'] {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: {
      error: expect.objectContaining({
        code: code ?? expect.any(String),
        message: expect.any(String),
        details: expect.any(Array),
      }),
      requestId: expect.any(String),
    },
  });
  return (response.body as ErrorBody).error;
}
