import * as errors from '../../../shared/domain/errors';
import {
  type AppError,
  ConcurrentModificationError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  RuleViolationError,
  UnauthorizedError,
  ValidationError,
} from '../../../shared/domain/errors';
import { mapError } from '../../../shared/middleware/error-mapper';

/** One instance of every AppError class, and the status the contract gives it. */
const cases: { error: AppError; status: number; code: string }[] = [
  {
    error: new ValidationError('phone: is required', [{ path: 'phone', message: 'is required' }]),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  { error: new ValidationError('not JSON', [], 'INVALID_JSON'), status: 400, code: 'INVALID_JSON' },
  { error: new UnauthorizedError('token required'), status: 401, code: 'UNAUTHORIZED' },
  { error: new NotFoundError('Contact', 'c1'), status: 404, code: 'CONTACT.NOT_FOUND' },
  {
    error: new ConflictError('CONTACT.PHONE_EXISTS', 'phone taken', { contactId: 'c1' }),
    status: 409,
    code: 'CONTACT.PHONE_EXISTS',
  },
  {
    error: new ConcurrentModificationError('changed meanwhile'),
    status: 409,
    code: 'CONCURRENT_MODIFICATION',
  },
  { error: new PayloadTooLargeError('too big'), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { error: new RuleViolationError('CAMPAIGN.SEND_AT_PAST', 'in the past'), status: 422, code: 'CAMPAIGN.SEND_AT_PAST' },
];

describe('mapError', () => {
  it.each(cases.map((c) => [c.error.constructor.name, c.code, c.status, c.error] as const))(
    'maps %s (%s) to %i with the contract error body',
    (_name, code, status, error) => {
      // Act
      const mapped = mapError(error, 'req-42');

      // Assert
      expect(mapped.statusCode).toBe(status);
      expect(mapped.expected).toBe(true);
      expect(mapped.body).toEqual({
        error: expect.objectContaining({ code, message: error.message, details: error.details }),
        requestId: 'req-42',
      });
    },
  );

  it('has a case above for every AppError class the domain exports', () => {
    // Arrange
    const exported: { name: string; prototype: unknown }[] = Object.values(errors);
    const appErrorClasses = exported.filter((type) => type.prototype instanceof errors.AppError);

    // Act
    const covered = new Set<unknown>(cases.map((c) => c.error.constructor));

    // Assert
    expect(appErrorClasses.length).toBeGreaterThan(0);
    expect(appErrorClasses.filter((type) => !covered.has(type)).map((type) => type.name)).toEqual([]);
  });

  it('carries the conflicting contact id on a 409', () => {
    // Act
    const mapped = mapError(new ConflictError('CONTACT.PHONE_EXISTS', 'taken', { contactId: '01JEXISTING' }), 'r');

    // Assert
    expect(mapped.body.error.contactId).toBe('01JEXISTING');
  });

  it('keeps the field details of a 400', () => {
    // Act
    const mapped = mapError(
      new ValidationError('bad', [{ path: 'sendWindow.start', message: 'must not be earlier than 08:00' }]),
      'r',
    );

    // Assert
    expect(mapped.body.error.details).toEqual([
      { path: 'sendWindow.start', message: 'must not be earlier than 08:00' },
    ]);
  });

  it.each([
    ['an Error', new Error('connect ECONNREFUSED 10.0.0.7:8000 password=hunter2')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'secret')")],
    ['a thrown string', 'password=hunter2'],
    ['undefined', undefined],
  ])('maps %s to a generic 500 that reveals nothing', (_label, thrown) => {
    // Act
    const mapped = mapError(thrown, 'req-500');

    // Assert
    expect(mapped.statusCode).toBe(500);
    expect(mapped.expected).toBe(false);
    expect(mapped.body).toEqual({
      error: { code: 'INTERNAL_ERROR', message: expect.any(String), details: [] },
      requestId: 'req-500',
    });
    const text = JSON.stringify(mapped.body);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('ECONNREFUSED');
    expect(text).not.toContain('secret');
  });
});
