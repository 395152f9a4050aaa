import { ValidationError } from '../../../domain/errors';

/** Encodes a DynamoDB LastEvaluatedKey as an opaque URL-safe cursor. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  if (!key) return null;
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** What the key of one list looks like, so a cursor of another list (or a forged one) is a 400, not a 500. */
export interface CursorShape {
  /** The exact attribute names of the key: the table's, plus the index's for an index query. */
  attributes: readonly string[];
  /** Attributes that must hold exactly this value (the partition the query reads). */
  equals?: Record<string, string>;
  /** Attributes that must start with this text (the sort-key range the query reads). */
  startsWith?: Record<string, string>;
}

function fitsShape(key: Record<string, unknown>, shape: CursorShape): boolean {
  const names = Object.keys(key);
  return (
    names.length === shape.attributes.length &&
    shape.attributes.every((name) => typeof key[name] === 'string') &&
    Object.entries(shape.equals ?? {}).every(([name, value]) => key[name] === value) &&
    Object.entries(shape.startsWith ?? {}).every(([name, prefix]) => String(key[name]).startsWith(prefix))
  );
}

/**
 * Decodes a cursor and checks that every key in it belongs to the tenant, so a forged cursor
 * cannot start a query inside another tenant's data (it would be a 400, never data). With a
 * `shape`, the key must also be one the list's own query could have returned: DynamoDB refuses
 * any other start key with an error that would otherwise surface as a 500.
 */
export function decodeCursor(
  cursor: string | undefined,
  tenantPrefix: string,
  shape?: CursorShape,
): Record<string, unknown> | undefined {
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
        typeof value === 'string' &&
        (!name.endsWith('pk') || value === tenantPrefix || value.startsWith(`${tenantPrefix}#`)),
    );
  if (!valid || (shape && !fitsShape(key as Record<string, unknown>, shape))) throw invalidCursorError();
  return key as Record<string, unknown>;
}

/** The error for a cursor that this API did not hand out for this list. */
export function invalidCursorError(): ValidationError {
  return new ValidationError('cursor: is not a cursor this API returned for this list', [
    { path: 'cursor', message: 'is not a cursor this API returned for this list' },
  ]);
}
