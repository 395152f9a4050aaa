import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClockAdvance } from '../../local/clock-travel';
import type { LocalStack, LocalStackOptions } from '../../local/local-stack';
import { LocalClock } from '../../shared/adapters/local/local-clock';
import { createHttpClient, type HttpClient } from './http-client';

/**
 * Where every test stack's clock starts: a Wednesday afternoon in the United States (14:00 in New York, 11:00 in Los
 * Angeles), inside every default send window. `TEST_CLOCK_START` (test-only) moves it, to show that no test leans on
 * the hour or the weekday it starts at: the tests that need a time of day advance the clock to it.
 */
export const TEST_CLOCK_START = process.env.TEST_CLOCK_START ?? '2026-03-04T19:00:00.000Z';

function clockStart(start: string): number {
  const at = Date.parse(start);
  if (Number.isNaN(at)) throw new Error(`TEST_CLOCK_START must be an ISO-8601 date-time, got ${JSON.stringify(start)}`);
  return at;
}

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
  /**
   * The stack's clock. By default a new one at {@link TEST_CLOCK_START}; a restart on a `dataDir` whose first stack
   * saved its clock there goes on from that clock, as `npm start` does.
   */
  clock?: LocalClock;
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
  /** The stack's clock (runs at real speed from its start; moved forward by `advance`). */
  clock: LocalClock;
  /** The stack's time now. */
  now(): Date;
  /**
   * `POST /local/clock`: moves the clock forward by an ISO-8601 duration or to an instant, firing what falls due on the
   * way, and resolves once the stack has settled.
   */
  advance(by: string | { to: string | Date }): Promise<ClockAdvance>;
  /** `POST /local/numbers`: the operator assigns `number` to the tenant (or to a pool it joins). */
  assignNumber(tenantId: string, number: string, options?: { mps?: number; pool?: string }): Promise<void>;
  stop(): Promise<void>;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
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
  const savedClock = options.dataDir !== undefined && (await exists(join(options.dataDir, 'clock.json')));
  const given = options.clock ?? (savedClock ? undefined : new LocalClock({ startAt: clockStart(TEST_CLOCK_START) }));
  const stack = await startLocalStack({
    ...(given ? { clock: given } : {}),
    port: 0,
    dataDir: options.dataDir,
    ...(options.carrier ? { carrier: options.carrier } : {}),
    ...(options.sendConcurrency ? { sendConcurrency: options.sendConcurrency } : {}),
  });
  const clock = stack.clock;
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
    clock,
    now: () => clock.now(),
    advance: async (by) => {
      const body =
        typeof by === 'string' ? { advance: by } : { to: by.to instanceof Date ? by.to.toISOString() : by.to };
      const response = await anonymous.post<ClockAdvance>('/local/clock', body);
      if (response.status !== 200) {
        throw new Error(
          `POST /local/clock ${JSON.stringify(body)} answered ${response.status}: ${JSON.stringify(response.body)}`,
        );
      }
      return response.body;
    },
    assignNumber: async (tenantId, number, options = {}) => {
      // Like a first token's simulated number, it allows any rate the tests' settings choose, unless told otherwise.
      const response = await anonymous.post('/local/numbers', { tenantId, number, mps: 3000, ...options });
      if (response.status !== 201) {
        throw new Error(`POST /local/numbers ${number} answered ${response.status}: ${JSON.stringify(response.body)}`);
      }
    },
    stop: () => stack.stop(),
  };
}
