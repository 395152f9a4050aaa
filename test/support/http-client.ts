/** A response as the tests see it: status, parsed JSON body (or text, or undefined when empty) and lower-case headers. */
export interface HttpResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

export interface RequestOptions {
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent as is, e.g. malformed JSON or an oversized payload; wins over `body`. */
  rawBody?: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A small JSON client for one caller of the API: every request carries its bearer token, if it has one. */
export interface HttpClient {
  readonly baseUrl: string;
  request<T = unknown>(method: HttpMethod, path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  get<T = unknown>(path: string, options?: Omit<RequestOptions, 'body' | 'rawBody'>): Promise<HttpResponse<T>>;
  post<T = unknown>(path: string, body?: unknown, options?: RequestOptions): Promise<HttpResponse<T>>;
  patch<T = unknown>(path: string, body?: unknown, options?: RequestOptions): Promise<HttpResponse<T>>;
  delete<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
}

function withQuery(url: URL, query: RequestOptions['query']): URL {
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  if (!(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Builds a client for `baseUrl`. With a `token` every request sends `Authorization: Bearer <token>`;
 * an explicit `authorization` header in the options wins (to send a bad one).
 */
export function createHttpClient(baseUrl: string, token?: string): HttpClient {
  const request = async <T>(method: HttpMethod, path: string, options: RequestOptions = {}) => {
    const url = withQuery(new URL(path, baseUrl), options.query);
    const payload =
      options.rawBody !== undefined
        ? options.rawBody
        : options.body !== undefined
          ? JSON.stringify(options.body)
          : undefined;
    const response = await fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      ...(payload !== undefined ? { body: payload } : {}),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, body: (await readBody(response)) as T, headers };
  };
  return {
    baseUrl,
    request,
    get: (path, options) => request('GET', path, options),
    post: (path, body, options) => request('POST', path, { ...options, body }),
    patch: (path, body, options) => request('PATCH', path, { ...options, body }),
    delete: (path, options) => request('DELETE', path, options),
  };
}
