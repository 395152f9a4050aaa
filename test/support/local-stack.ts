import { createHttpClient, type HttpClient } from './http-client';

export interface TestStack {
  url: string;
  /** A client without a token (public routes, 401 checks). */
  anonymous: HttpClient;
  /** A token for `tenantId`, issued by the stack's `POST /local/token`. */
  tokenFor(tenantId: string): Promise<string>;
  /** A client that acts as `tenantId`. */
  clientFor(tenantId: string): Promise<HttpClient>;
  stop(): Promise<void>;
}

/**
 * Starts the local stack in memory on a free port. It sets process.env and imports the handler
 * modules, so start at most one per test file (in beforeAll) and stop it in afterAll.
 */
export async function startTestStack(): Promise<TestStack> {
  process.env.LOG_LEVEL ??= 'WARN';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { startLocalStack } = await import('../../local/local-stack');
  const stack = await startLocalStack({ port: 0, dataDir: undefined });
  const anonymous = createHttpClient(stack.url);
  const tokenFor = async (tenantId: string) => {
    const response = await anonymous.post<{ token?: string }>('/local/token', { tenantId });
    if (response.status !== 200 || !response.body.token) {
      throw new Error(
        `POST /local/token for ${tenantId} answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    }
    return response.body.token;
  };
  return {
    url: stack.url,
    anonymous,
    tokenFor,
    clientFor: async (tenantId) => createHttpClient(stack.url, await tokenFor(tenantId)),
    stop: () => stack.stop(),
  };
}
