import { ValidationError } from '../../../domain/errors';

/** Encodes a DynamoDB LastEvaluatedKey as an opaque URL-safe cursor. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  if (!key) return null;
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Decodes a cursor and checks that every key in it belongs to the tenant, so a forged cursor
 * cannot start a query inside another tenant's data (it would be a 400, never data).
 */
export function decodeCursor(cursor: string | undefined, tenantPrefix: string): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    !Array.isArray(key) &&
    Object.entries(key).every(
      ([name, value]) =>
        typeof value === 'string' && (!name.endsWith('pk') || value === tenantPrefix || value.startsWith(`${tenantPrefix}#`)),
    );
  if (!valid) throw invalidCursorError();
  return key as Record<string, unknown>;
}

/** The error for a cursor that this API did not hand out for this list. */
export function invalidCursorError(): ValidationError {
  return new ValidationError('cursor: is not a cursor this API returned for this list', [
    { path: 'cursor', message: 'is not a cursor this API returned for this list' },
  ]);
}
