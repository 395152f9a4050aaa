import type { LocalStack, LocalStackOptions } from '../../local/local-stack';
import { createHttpClient, type HttpClient } from './http-client';

export interface TestStackOptions {
  /** The simulated carrier's settings (mps, receiptDelayMs, ...); the SIM_* defaults otherwise. */
  carrier?: LocalStackOptions['carrier'];
  /** Send worker invocations at once. */
  sendConcurrency?: number;
  /** Persist dynalite, schedules and the carrier's outbox under this folder (a restart test); in memory otherwise. */
  dataDir?: string;
  /**
   * Import the stack and the handler modules afresh (jest.resetModules): handler modules build their adapters once
   * at import, so a second stack in the same test file (a restart) needs new module instances.
   */
  freshModules?: boolean;
}

export interface TestStack {
  url: string;
  /** The stack itself: its queue, scheduler and simulated carrier are `stack.messaging`. */
  stack: LocalStack;
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
 * modules, so start at most one per test file (in beforeAll) and stop it in afterAll; a test that
 * restarts the stack stops the first one before it starts the next with `freshModules`.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  process.env.LOG_LEVEL ??= 'WARN';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (options.freshModules) jest.resetModules();
  const { startLocalStack } = await import('../../local/local-stack');
  const stack = await startLocalStack({
    port: 0,
    dataDir: options.dataDir,
    ...(options.carrier ? { carrier: options.carrier } : {}),
    ...(options.sendConcurrency ? { sendConcurrency: options.sendConcurrency } : {}),
  });
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
    stack,
    anonymous,
    tokenFor,
    clientFor: async (tenantId) => createHttpClient(stack.url, await tokenFor(tenantId)),
    stop: () => stack.stop(),
  };
}
