import type { HttpClient } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/local-stack';
import { type Contact, expectError } from './helpers/api';

let stack: TestStack;
let api: HttpClient;
let phones = 10;

/** A distinct valid number per call (Las Vegas 702-555-01xx). */
const nextPhone = () => `+1 702 555 01${phones++}`;

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.clientFor('errors');
});

afterAll(async () => stack.stop());

describe('contacts API errors', () => {
  it.each([
    ['an invalid phone', { phone: '555-CALL-NOW' }, 'phone'],
    ['a phone of the wrong type', { phone: 2127365000 }, 'phone'],
    ['no phone', { firstName: 'Ada' }, 'phone'],
    ['an invalid email', { phone: '+12127365000', email: 'ada-at-example' }, 'email'],
    ['an unknown time zone', { phone: '+12127365000', timeZone: 'Mars/Base' }, 'timeZone'],
    [
      'a custom field name that is not an identifier',
      { phone: '+12127365000', customFields: { 'my field': 1 } },
      'customFields.my field',
    ],
    [
      'a nested custom field value',
      { phone: '+12127365000', customFields: { plan: { tier: 1 } } },
      'customFields.plan',
    ],
    ['opted_out at creation', { phone: '+12127365000', smsConsent: 'opted_out' }, 'smsConsent'],
    ['a tag that is not a string', { phone: '+12127365000', tags: ['ok', 7] }, 'tags.1'],
  ])('answers 400 naming the field for %s', async (_label, body, path) => {
    // Act
    const response = await api.post('/v1/contacts', body);

    // Assert
    const error = expectError(response, 400);
    expect(error.details[0]?.path).toBe(path);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('answers 400 for an unknown field and says which one', async () => {
    // Act
    const response = await api.post('/v1/contacts', { phone: '+12127365000', nickname: 'Ace' });

    // Assert
    const error = expectError(response, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(error.details)).toContain('nickname');
  });

  it('answers 400 INVALID_JSON for a malformed body', async () => {
    // Act
    const response = await api.request('POST', '/v1/contacts', { rawBody: '{"phone": "+12127365000",' });

    // Assert
    const error = expectError(response, 400, 'INVALID_JSON');
    expect(error.details).toEqual([{ path: '(body)', message: expect.any(String) }]);
  });

  it('answers 413 for a body over 1 MB', async () => {
    // Arrange
    const rawBody = JSON.stringify({
      contacts: Array.from({ length: 1000 }, (_, i) => ({
        phone: '+12127365000',
        firstName: `${i}`.padEnd(1100, 'x'),
      })),
    });

    // Act
    const response = await api.request('POST', '/v1/contacts/import', { rawBody });

    // Assert
    expect(Buffer.byteLength(rawBody)).toBeGreaterThan(1024 * 1024);
    expectError(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers 400 to an import of more than 1000 rows, naming contacts', async () => {
    // Act
    const response = await api.post('/v1/contacts/import', {
      contacts: Array.from({ length: 1001 }, () => ({ phone: '+12127365000' })),
    });

    // Assert
    const error = expectError(response, 400);
    expect(error.details[0]?.path).toBe('contacts');
  });

  it('answers 409 with the existing contact id for a phone the tenant already has', async () => {
    // Arrange
    const first = await api.post<Contact>('/v1/contacts', { phone: '+1 415 555 0123' });

    // Act
    const response = await api.post('/v1/contacts', { phone: '(415) 555-0123', firstName: 'Twin' });

    // Assert
    expect(first.status).toBe(201);
    const error = expectError(response, 409, 'CONTACT.PHONE_EXISTS');
    expect(error.contactId).toBe(first.body.id);
  });

  it('answers 409 naming the owner when a PATCH moves a contact onto a taken phone', async () => {
    // Arrange
    const owner = await api.post<Contact>('/v1/contacts', { phone: '+1 617 555 0123' });
    const mover = await api.post<Contact>('/v1/contacts', { phone: '+1 202 555 0123' });

    // Act
    const response = await api.patch(`/v1/contacts/${mover.body.id}`, { phone: '617-555-0123' });

    // Assert
    const error = expectError(response, 409, 'CONTACT.PHONE_EXISTS');
    expect(error.contactId).toBe(owner.body.id);
  });

  it.each([
    ['GET', '/v1/contacts/01NOSUCHCONTACT000000000000'],
    ['PATCH', '/v1/contacts/01NOSUCHCONTACT000000000000'],
    ['DELETE', '/v1/contacts/01NOSUCHCONTACT000000000000'],
    ['GET', '/v1/contacts/01NOSUCHCONTACT000000000000/consent'],
    ['POST', '/v1/contacts/01NOSUCHCONTACT000000000000/tags'],
    ['DELETE', '/v1/contacts/01NOSUCHCONTACT000000000000/tags/vip'],
  ] as const)('answers 404 to %s %s for a contact that does not exist', async (method, path) => {
    // Arrange
    const body = method === 'PATCH' ? { firstName: 'X' } : method === 'POST' ? { tags: ['vip'] } : undefined;

    // Act
    const response = await api.request(method, path, { body });

    // Assert
    expectError(response, 404, 'CONTACT.NOT_FOUND');
  });

  it.each([
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit above 500', { limit: 501 }, 'limit'],
    ['a limit that is not a number', { limit: 'ten' }, 'limit'],
    ['a cursor this API never issued', { cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
    ['a cursor with a forged key', { cursor: Buffer.from('{"pk":"T#errors"}').toString('base64url') }, 'cursor'],
  ])('answers 400 naming the query parameter for %s', async (_label, query, path) => {
    // Act
    const response = await api.get('/v1/contacts', { query });

    // Assert
    const error = expectError(response, 400);
    expect(error.details.map((d) => d.path)).toContain(path);
  });

  it.each([
    ['PATCH', 'an empty patch', {}],
    ['PATCH', 'a patch that opts out with an unknown status', { smsConsent: 'maybe' }],
    ['POST', 'a tags body without tags', { tags: [] }],
  ] as const)('answers 400 to %s with %s', async (method, _label, body) => {
    // Arrange
    const contact = await api.post<Contact>('/v1/contacts', { phone: nextPhone() });
    const path = method === 'PATCH' ? `/v1/contacts/${contact.body.id}` : `/v1/contacts/${contact.body.id}/tags`;

    // Act
    const response = await api.request(method, path, { body });

    // Assert
    expectError(response, 400);
  });

  it('echoes the request id of the error in the x-request-id header', async () => {
    // Act
    const response = await api.post<{ requestId: string }>('/v1/contacts', { phone: 'nope' });

    // Assert
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
  });
});

describe('authentication', () => {
  it.each([
    ['no token', undefined],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
  ])('answers 401 for %s', async (_label, authorization) => {
    // Act
    const response = await stack.anonymous.get('/v1/contacts', {
      ...(authorization ? { headers: { authorization } } : {}),
    });

    // Assert
    expectError(response, 401, 'UNAUTHORIZED');
  });

  it('answers 401 for a token whose signature was tampered with', async () => {
    // Arrange
    const token = await stack.tokenFor('errors');
    const [header, payload] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), tenantId: 'someone-else' }),
    ).toString('base64url');
    const forged = `${header}.${forgedPayload}.${token.split('.')[2]}`;

    // Act
    const response = await stack.anonymous.post(
      '/v1/contacts',
      { phone: '+12127365000' },
      { headers: { authorization: `Bearer ${forged}` } },
    );

    // Assert
    expectError(response, 401, 'UNAUTHORIZED');
  });

  it('answers 401 on every contacts route without a token', async () => {
    // Arrange
    const calls = [
      stack.anonymous.post('/v1/contacts', { phone: '+12127365000' }),
      stack.anonymous.get('/v1/contacts'),
      stack.anonymous.post('/v1/contacts/import', { contacts: [{ phone: '+12127365000' }] }),
      stack.anonymous.get('/v1/contacts/any'),
      stack.anonymous.patch('/v1/contacts/any', { firstName: 'X' }),
      stack.anonymous.delete('/v1/contacts/any'),
      stack.anonymous.get('/v1/contacts/any/consent'),
      stack.anonymous.post('/v1/contacts/any/tags', { tags: ['x'] }),
      stack.anonymous.delete('/v1/contacts/any/tags/x'),
    ];

    // Act
    const responses = await Promise.all(calls);

    // Assert
    expect(responses.map((r) => r.status)).toEqual(Array(calls.length).fill(401));
  });
});
