import type { Context } from 'aws-lambda';
import { ConflictError } from '../../../shared/domain/errors';
import { type HttpEvent, type HttpRequest, httpHandler, MAX_BODY_BYTES } from '../../../shared/middleware/http-handler';
import { logger } from '../../../shared/middleware/logger';
import cognitoCreateContactEvent from '../../fixtures/events/apigw-create-contact.json';

const context = {} as Context;

interface EventOptions {
  routeKey?: string;
  claims?: Record<string, string> | null;
  body?: string;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}

/** A hand-built API Gateway HTTP API (payload 2.0) event with the JWT authorizer's claims. */
function event(options: EventOptions = {}): HttpEvent {
  const routeKey = options.routeKey ?? 'POST /v1/things';
  const [method, path] = routeKey.split(' ');
  const claims = options.claims === undefined ? { tenantId: 'acme' } : options.claims;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: options.isBase64Encoded ?? false,
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.queryStringParameters ? { queryStringParameters: options.queryStringParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      ...(claims === null
        ? {}
        : { authorizer: { jwt: { claims, scopes: [] }, principalId: '', integrationLatency: 0 } }),
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'jest' },
      requestId: 'req-123',
      routeKey,
      stage: '$default',
      time: '02/Mar/2026:15:00:00 +0000',
      timeEpoch: 1772463600000,
    },
  } as HttpEvent;
}

function parse(body: string | undefined) {
  return JSON.parse(body ?? 'null') as { error: { code: string; message: string; details: { path: string }[] } };
}

describe('httpHandler', () => {
  const received: HttpRequest[] = [];
  const { lambdaHandler } = httpHandler({
    'POST /v1/things': async (request) => {
      received.push(request);
      return { statusCode: 201, body: { ok: true, tenantId: request.tenantId } };
    },
    'DELETE /v1/things/{id}': async () => ({ statusCode: 204 }),
    'GET /v1/boom': async () => {
      throw new Error('connect ECONNREFUSED 10.1.2.3 password=hunter2');
    },
    'GET /v1/conflict': async () => {
      throw new ConflictError('CONTACT.PHONE_EXISTS', 'taken', { contactId: 'c-existing' });
    },
    'POST /v1/contacts': async (request) => ({ statusCode: 201, body: { tenantId: request.tenantId } }),
  });
  const publicHandler = httpHandler(
    { 'GET /v1/openapi.json': async (request) => ({ statusCode: 200, body: { tenantId: request.tenantId } }) },
    { public: true },
  ).lambdaHandler;

  beforeEach(() => {
    received.length = 0;
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('hands the route the tenant, parsed body, path and query, and answers JSON with the request id', async () => {
    // Arrange
    const request = event({
      body: '{"name":"widget"}',
      pathParameters: { id: 'x1' },
      queryStringParameters: { limit: '5' },
    });

    // Act
    const response = await lambdaHandler(request, context);

    // Assert
    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'req-123' });
    expect(JSON.parse(response.body ?? '')).toEqual({ ok: true, tenantId: 'acme' });
    expect(received).toEqual([
      {
        tenantId: 'acme',
        body: { name: 'widget' },
        pathParameters: { id: 'x1' },
        query: { limit: '5' },
        requestId: 'req-123',
      },
    ]);
  });

  it('reads the tenant from the Cognito custom claim of a real authorizer event', async () => {
    // Act
    const response = await lambdaHandler(cognitoCreateContactEvent as unknown as HttpEvent, context);

    // Assert
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body ?? '')).toEqual({ tenantId: 'tenant-bundle' });
  });

  it('answers a 204 without a body', async () => {
    // Act
    const response = await lambdaHandler(event({ routeKey: 'DELETE /v1/things/{id}' }), context);

    // Assert
    expect(response.statusCode).toBe(204);
    expect(response.body).toBeUndefined();
  });

  it.each([
    ['no authorizer context', null],
    ['claims without a tenant', { sub: 'user-1' }],
    ['an empty tenant', { tenantId: '' }],
    ['a tenant id that could reach into keys', { tenantId: 'acme#C#other' }],
  ])('answers 401 for %s and never calls the route', async (_label, claims) => {
    // Act
    const response = await lambdaHandler(event({ claims, body: '{}' }), context);

    // Assert
    expect(response.statusCode).toBe(401);
    expect(parse(response.body).error.code).toBe('UNAUTHORIZED');
    expect(received).toHaveLength(0);
  });

  it('lets a public route through without claims', async () => {
    // Act
    const response = await publicHandler(event({ routeKey: 'GET /v1/openapi.json', claims: null }), context);

    // Assert
    expect(response.statusCode).toBe(200);
  });

  it('answers 413 for a body over 1 MB, before parsing it', async () => {
    // Arrange
    const body = JSON.stringify({ padding: 'x'.repeat(MAX_BODY_BYTES) });

    // Act
    const response = await lambdaHandler(event({ body }), context);

    // Assert
    expect(response.statusCode).toBe(413);
    expect(parse(response.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(received).toHaveLength(0);
  });

  it('measures the size in bytes, not characters', async () => {
    // Arrange: 400k three-byte characters are 1.2 MB
    const body = JSON.stringify({ padding: '€'.repeat(400_000) });

    // Act
    const response = await lambdaHandler(event({ body }), context);

    // Assert
    expect(response.statusCode).toBe(413);
  });

  it('accepts a body of exactly 1 MB', async () => {
    // Arrange
    const body = JSON.stringify('x'.repeat(MAX_BODY_BYTES - 2));

    // Act
    const response = await lambdaHandler(event({ body }), context);

    // Assert
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    expect(response.statusCode).toBe(201);
  });

  it('decodes a base64-encoded body', async () => {
    // Arrange
    const body = Buffer.from('{"name":"encoded"}').toString('base64');

    // Act
    const response = await lambdaHandler(event({ body, isBase64Encoded: true }), context);

    // Assert
    expect(response.statusCode).toBe(201);
    expect(received[0]?.body).toEqual({ name: 'encoded' });
  });

  it.each(['{"name":', "{'name':'x'}", 'undefined', '{"a":1}}'])(
    'answers 400 INVALID_JSON for the malformed body %j',
    async (body) => {
      // Act
      const response = await lambdaHandler(event({ body }), context);

      // Assert
      expect(response.statusCode).toBe(400);
      expect(parse(response.body).error).toMatchObject({ code: 'INVALID_JSON', details: [{ path: '(body)' }] });
      expect(received).toHaveLength(0);
    },
  );

  it('answers 404 ROUTE.NOT_FOUND for a route it does not serve', async () => {
    // Act
    const response = await lambdaHandler(event({ routeKey: 'GET /v1/nowhere' }), context);

    // Assert
    expect(response.statusCode).toBe(404);
    expect(parse(response.body).error.code).toBe('ROUTE.NOT_FOUND');
  });

  it('maps a domain error thrown by the route, with its metadata', async () => {
    // Act
    const response = await lambdaHandler(event({ routeKey: 'GET /v1/conflict' }), context);

    // Assert
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: { code: 'CONTACT.PHONE_EXISTS', message: 'taken', details: [], contactId: 'c-existing' },
      requestId: 'req-123',
    });
  });

  it('answers an unexpected failure with a generic 500, logs it, and leaks nothing', async () => {
    // Act
    const response = await lambdaHandler(event({ routeKey: 'GET /v1/boom' }), context);

    // Assert
    expect(response.statusCode).toBe(500);
    expect(parse(response.body).error.code).toBe('INTERNAL_ERROR');
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(logger.error).toHaveBeenCalledWith('request failed', expect.objectContaining({ routeKey: 'GET /v1/boom' }));
  });
});
