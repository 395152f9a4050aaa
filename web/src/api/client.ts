import createClient from 'openapi-fetch';
import type { paths } from './schema.gen';

/** The typed client every page calls the API with (types generated from `GET /v1/openapi.json`). */
export type Api = ReturnType<typeof createClient<paths>>;

/** One entry of an API error's `details`: `path` names the field (`name`, `sendWindow.start`, `steps.2.body`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** An answer other than 2xx, with the API's error body (`{error: {code, message, details}}`) when it had one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldIssue[];

  constructor(status: number, body: unknown) {
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    const message = typeof error?.message === 'string' ? error.message : `The request failed (${status})`;
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof error?.code === 'string' ? error.code : `HTTP_${status}`;
    this.details = Array.isArray(error?.details)
      ? (error.details as unknown[]).filter(
          (detail): detail is FieldIssue =>
            typeof (detail as FieldIssue)?.path === 'string' && typeof (detail as FieldIssue)?.message === 'string',
        )
      : [];
  }
}

/** Turns openapi-fetch's `{data, error, response}` into the data, or throws an {@link ApiError}. */
export async function must<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) throw new ApiError(response.status, error);
  return data as NonNullable<T>;
}

export interface ApiOptions {
  /** Origin of the API; '' calls the console's own origin (the local stack, or CloudFront's `/v1/*` behaviour). */
  baseUrl: string;
  /** The bearer token to send, read on every call so a refreshed token is used at once. */
  token: () => Promise<string | undefined>;
  /** Told when the API answers 401: the session is over. */
  onUnauthorized: () => void;
}

/** Builds the typed client with the bearer token and the 401 handling in one middleware. */
export function createApi(options: ApiOptions): Api {
  const client = createClient<paths>({ baseUrl: options.baseUrl || globalThis.location?.origin || '' });
  client.use({
    async onRequest({ request }) {
      const token = await options.token();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) options.onUnauthorized();
      return response;
    },
  });
  return client;
}
