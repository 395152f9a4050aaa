import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { PayloadTooLargeError, UnauthorizedError, ValidationError } from '../domain/errors';
import { mapError } from './error-mapper';
import { logger } from './logger';

/** Request bodies above this size are refused with a 413 before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** What a route handler gets: the tenant from the token, the parsed JSON body, path and query. */
export interface HttpRequest {
  tenantId: string;
  body: unknown;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  requestId: string;
}

export interface HttpResult {
  statusCode: number;
  body?: unknown;
}

export type RouteHandler = (request: HttpRequest) => Promise<HttpResult>;

/** Reads the tenant from the JWT claims the authorizer verified (Cognito puts it in `custom:tenantId`). */
export function tenantFromClaims(event: HttpEvent): string {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const tenantId = claims.tenantId ?? claims['custom:tenantId'];
  if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) {
    throw new UnauthorizedError('A valid bearer token with a tenantId claim is required');
  }
  return tenantId;
}

function parseBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`The request body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationError(
      'The request body is not valid JSON',
      [{ path: '(body)', message: 'is not valid JSON' }],
      'INVALID_JSON',
    );
  }
}

function json(statusCode: number, body: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/**
 * Builds the Lambda handler of an API function from its routes, keyed by API Gateway route key
 * (`POST /v1/contacts/{id}/tags`). Owns auth, body limits, JSON parsing and error mapping, so no
 * route builds its own error response.
 */
export function httpHandler(routes: Record<string, RouteHandler>, options: { public?: boolean } = {}) {
  const lambdaHandler = async (event: HttpEvent, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    try {
      const route = routes[event.routeKey];
      if (!route) return json(404, notFoundBody(event, requestId), requestId);
      const tenantId = options.public ? '' : tenantFromClaims(event);
      const request: HttpRequest = {
        tenantId,
        body: parseBody(event),
        pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
        query: (event.queryStringParameters ?? {}) as Record<string, string>,
        requestId,
      };
      const result = await route(request);
      logger.info('request handled', { routeKey: event.routeKey, status: result.statusCode, tenantId });
      return json(result.statusCode, result.body, requestId);
    } catch (error) {
      const mapped = mapError(error, requestId);
      if (mapped.expected)
        logger.info('request refused', {
          routeKey: event.routeKey,
          status: mapped.statusCode,
          code: mapped.body.error.code,
        });
      else logger.error('request failed', { routeKey: event.routeKey, error: error as Error });
      return json(mapped.statusCode, mapped.body, requestId);
    }
  };
  return {
    lambdaHandler,
    handler: middy<HttpEvent, APIGatewayProxyStructuredResultV2>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .handler(lambdaHandler),
  };
}

function notFoundBody(event: HttpEvent, requestId: string) {
  return {
    error: { code: 'ROUTE.NOT_FOUND', message: `No route for ${event.routeKey}`, details: [] },
    requestId,
  };
}
