import fc from 'fast-check';
import { contactsKeys } from '../../../shared/adapters/aws/dynamo/contacts-keys';
import { decodeCursor, encodeCursor } from '../../../shared/adapters/aws/dynamo/cursor';
import { ValidationError } from '../../../shared/domain/errors';
import { mapError } from '../../../shared/middleware/error-mapper';

const tenantIdArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);

const CREATED_AT = '2026-03-02T15:00:00.000Z';

function listingKey(tenantId: string, contactId: string) {
  return {
    ...contactsKeys.contact(tenantId, contactId),
    ...contactsKeys.contactListing(tenantId, contactId, CREATED_AT),
  };
}

function decodeError(cursor: string, tenantId: string): unknown {
  try {
    decodeCursor(cursor, contactsKeys.tenantPrefix(tenantId));
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('cursor codec', () => {
  it('round-trips a key of the tenant', () => {
    // Arrange
    const key = listingKey('acme', '01JCONTACT');

    // Act
    const decoded = decodeCursor(encodeCursor(key) ?? undefined, contactsKeys.tenantPrefix('acme'));

    // Assert
    expect(decoded).toEqual(key);
  });

  it('encodes the end of a list as null and decodes an absent cursor as the start', () => {
    // Act
    const encoded = encodeCursor(undefined);
    const decoded = decodeCursor(undefined, contactsKeys.tenantPrefix('acme'));

    // Assert
    expect(encoded).toBeNull();
    expect(decoded).toBeUndefined();
  });

  it('emits URL-safe text', () => {
    // Act
    const cursor = encodeCursor(listingKey('acme', '01J/+?=&'));

    // Assert
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("refuses another tenant's cursor with a 400 naming cursor", () => {
    // Arrange
    const cursor = encodeCursor(listingKey('tenant-a', '01JCONTACT')) as string;

    // Act
    const error = decodeError(cursor, 'tenant-b');

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    const mapped = mapError(error, 'req-1');
    expect(mapped.statusCode).toBe(400);
    expect(mapped.body.error.details).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });

  it('refuses a tenant whose id merely starts with this tenant id', () => {
    // Arrange
    const cursor = encodeCursor(listingKey('acme-evil', '01JCONTACT')) as string;

    // Act
    const error = decodeError(cursor, 'acme');

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
  });

  it("refuses a cursor whose index key (gsi1pk) belongs to another tenant even when pk is this tenant's", () => {
    // Arrange
    const cursor = encodeCursor({
      ...contactsKeys.contact('tenant-a', 'c1'),
      ...contactsKeys.contactListing('tenant-b', 'c1', CREATED_AT),
    }) as string;

    // Act
    const error = decodeError(cursor, 'tenant-a');

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
  });

  it.each([
    ['not base64 JSON', 'not a cursor at all'],
    ['a JSON array', Buffer.from('["T#acme"]').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['a number where a key string belongs', Buffer.from('{"pk":1}').toString('base64url')],
  ])('refuses %s with a ValidationError', (_label, cursor) => {
    // Act
    const error = decodeError(cursor, 'acme');

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
  });

  it("never decodes one tenant's cursor for another tenant (property)", () => {
    fc.assert(
      fc.property(tenantIdArb, tenantIdArb, fc.string({ minLength: 1, maxLength: 30 }), (owner, other, contactId) => {
        fc.pre(owner !== other);
        // Arrange
        const cursor = encodeCursor(listingKey(owner, contactId)) as string;

        // Act
        const ownError = decodeError(cursor, owner);
        const otherError = decodeError(cursor, other);

        // Assert
        expect(ownError).toBeUndefined();
        expect(otherError).toBeInstanceOf(ValidationError);
      }),
    );
  });

  describe('with the shape of the list', () => {
    const shape = {
      attributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      equals: { gsi1pk: contactsKeys.contactListingPartition('acme'), sk: '#CONTACT' },
      startsWith: { gsi1sk: 'C#' },
    };

    it("accepts a key of the list's own query", () => {
      // Arrange
      const key = listingKey('acme', '01JCONTACT');

      // Act
      const decoded = decodeCursor(encodeCursor(key) ?? undefined, contactsKeys.tenantPrefix('acme'), shape);

      // Assert
      expect(decoded).toEqual(key);
    });

    it.each([
      ['a key of another list of the tenant', { pk: 'T#acme#TAG#vip', sk: 'C#01JCONTACT' }],
      ['a key with only the tenant partition', { pk: 'T#acme' }],
      ['a key with an extra attribute', { ...listingKey('acme', 'c1'), extra: 'x' }],
      ['a key outside the sort-key range', { ...listingKey('acme', 'c1'), gsi1sk: 'X#1' }],
    ])('refuses %s with a ValidationError', (_label, key) => {
      // Act
      const act = () => decodeCursor(encodeCursor(key) ?? undefined, contactsKeys.tenantPrefix('acme'), shape);

      // Assert
      expect(act).toThrow(ValidationError);
    });
  });
});
