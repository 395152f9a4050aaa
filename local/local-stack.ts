import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type ApiFunctionName, apiFunctions, apiRoutes } from '../functions/routes';
import { createLambdaContext } from '../shared/adapters/local/lambda-context';
import type { LocalClock } from '../shared/adapters/local/local-clock';
import type { SimulatedCarrierOptions } from '../shared/adapters/local/simulated-carrier';
import { createCampaignDeps } from '../shared/config/campaign-deps.factory';
import type { HttpEvent } from '../shared/middleware/http-handler';
import { toApiGatewayEvent } from './api-gateway-event';
import { type ClockTravel, createClockTravel } from './clock-travel';
import { lockDataDir } from './data-dir-lock';
import { LocalAuth } from './local-auth';
import { controlCarrier } from './local-carrier-route';
import { moveClock, readClock } from './local-clock-route';
import { type LocalDynamo, startLocalDynamo } from './local-dynamo';
import { postInboundRaw, postInboundText } from './local-inbound';
import { type LocalMessaging, startLocalMessaging } from './local-messaging';
import { createLocalNumbers, type LocalNumbers } from './local-numbers';
import { resumeSendingCampaigns } from './resume-campaigns';
import { createRouteMatcher } from './route-matcher';
import { openStackClock, saveStackClock } from './stack-clock';
import { createConsoleServer, defaultConsoleDir } from './web-console';

/** API Gateway's own payload limit; the handlers refuse anything above 1 MB themselves. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** What the `/local/*` routes accept, like the API's handlers. */
const LOCAL_MAX_BODY_BYTES = 1024 * 1024;
/** API Gateway HTTP API's integration timeout: an API handler has at most this long. */
const API_TIMEOUT_MS = 29_000;

type LambdaHandler = (event: HttpEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalStackOptions {
  port?: number;
  /** Where dynalite and local secrets live; undefined keeps everything in memory (tests, benchmarks). */
  dataDir?: string | undefined;
  /** The simulated carrier's settings; by default read from SIM_* variables. */
  carrier?: Partial<SimulatedCarrierOptions>;
  /** Send worker invocations at once (the event source's maximum concurrency). Default 8. */
  sendConcurrency?: number;
  /**
   * The one clock of the whole stack (handlers, queue, scheduler, carrier, workflow timers). Default: the machine's
   * time, or where a previous run on the same `dataDir` had moved it.
   */
  clock?: LocalClock;
  /** The built web console served at `/` (API and `/local/*` routes first); default `web/dist`, null for none. */
  consoleDir?: string | null;
}

export interface LocalStack {
  url: string;
  dynamo: LocalDynamo;
  auth: LocalAuth;
  messaging: LocalMessaging;
  clock: LocalClock;
  /** The operator's number registry on the local stack (assign numbers, give a tenant its simulated number). */
  numbers: LocalNumbers;
  /** Moves the clock forward, firing what falls due on the way in order (what `POST /local/clock` does). */
  travel: ClockTravel;
  stop(): Promise<void>;
}

function errorBody(code: string, message: string, requestId: string) {
  return JSON.stringify({ error: { code, message, details: [] }, requestId });
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The one-machine stack: dynalite plus an HTTP server that turns each request into the API
 * Gateway v2 event Lambda would get (claims from a verified local token) and calls the very
 * handler module that is deployed to Lambda.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  // One stack per data folder: a second would share dynalite's store and fail in confusing ways.
  const releaseDataDir = dataDir ? await lockDataDir(dataDir) : undefined;
  try {
    return await startOn(dataDir, options, releaseDataDir);
  } catch (error) {
    await releaseDataDir?.();
    throw error;
  }
}

async function startOn(
  dataDir: string | undefined,
  options: LocalStackOptions,
  releaseDataDir: (() => Promise<void>) | undefined,
): Promise<LocalStack> {
  const clock = options.clock ?? (await openStackClock(dataDir));
  await saveStackClock(dataDir, clock);
  const dynamo = await startLocalDynamo(dataDir);
  const auth = await LocalAuth.open(dataDir ?? resolve('.data', 'ephemeral'));

  // Handlers read their configuration from the environment at cold start, as on Lambda.
  process.env.CONTACTS_TABLE_NAME = dynamo.tableNames.contacts;
  process.env.CAMPAIGNS_TABLE_NAME = dynamo.tableNames.campaigns;
  process.env.NUMBERS_TABLE_NAME = dynamo.tableNames.numbers;
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.POWERTOOLS_SERVICE_NAME ??= 'sms-engine-local';
  process.env.LOG_LEVEL ??= 'WARN';
  // Tracked links point at this server's `GET /l/{code}`; set again once it listens (port 0 picks one then).
  process.env.SHORT_LINK_BASE_URL = `http://127.0.0.1:${options.port ?? 3000}/l/`;

  // The queue, scheduler and carrier go in before any handler module builds its dependencies.
  const messaging = await startLocalMessaging({
    dataDir,
    carrier: options.carrier,
    sendConcurrency: options.sendConcurrency,
    clock,
  });
  const travel = createClockTravel(clock, messaging);
  const numbers = createLocalNumbers(dynamo.endpoint, dynamo.tableNames.numbers, clock);

  const handlers = new Map<ApiFunctionName, LambdaHandler>();
  for (const name of Object.keys(apiFunctions) as ApiFunctionName[]) {
    const module = (await import(resolve(__dirname, '..', apiFunctions[name].entry))) as { handler: LambdaHandler };
    handlers.set(name, module.handler);
  }
  const matchRoute = createRouteMatcher(apiRoutes);
  const webConsole =
    options.consoleDir === null ? undefined : createConsoleServer(options.consoleDir ?? defaultConsoleDir);

  const localRoutes: Record<string, (body: unknown, url: URL) => Promise<{ status: number; body: unknown }>> = {
    'GET /local/outbox': async (_body, url) => {
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const to = url.searchParams.get('to') ?? undefined;
      return {
        status: 200,
        body: { items: messaging.carrier.outbox({ to, limit: Number.isFinite(limit) ? limit : 100 }) },
      };
    },
    'POST /local/sms-events': async (body) => {
      const records = Array.isArray(body) ? body : [body];
      if (records.length === 0 || records.some((r) => typeof r !== 'object' || r === null)) {
        return {
          status: 400,
          body: {
            error: {
              code: 'VALIDATION_FAILED',
              message: 'The body must be an SMS event record or an array of them',
              details: [{ path: '(body)', message: 'must be an SMS event record or an array of them' }],
            },
          },
        };
      }
      // One SNS notification per record, as the configuration set publishes them.
      await messaging.queue.sendMessages(
        'receipts',
        records.map((record) => ({ body: record })),
      );
      return { status: 202, body: { accepted: records.length } };
    },
    'POST /local/inbound-raw': async (body) => postInboundRaw(messaging, body, clock),
    'POST /local/inbound': async (body) => postInboundText(messaging, body, clock),
    'POST /local/numbers': async (body) => numbers.assign(body),
    'POST /local/carrier': async (body) => controlCarrier(messaging, body),
    'GET /local/clock': async () => readClock(clock),
    'POST /local/clock': async (body) => {
      const moved = await moveClock(travel, body);
      await saveStackClock(dataDir, clock);
      return moved;
    },
    'POST /local/token': async (body) => {
      const tenantId = (body as { tenantId?: unknown } | undefined)?.tenantId;
      if (typeof tenantId !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(tenantId)) {
        return {
          status: 400,
          body: {
            error: {
              code: 'VALIDATION_FAILED',
              message: 'tenantId: must be 1-64 letters, digits, dots, dashes or underscores',
              details: [{ path: 'tenantId', message: 'must be 1-64 letters, digits, dots, dashes or underscores' }],
            },
          },
        };
      }
      await numbers.ensureNumber(tenantId);
      return { status: 200, body: { token: await auth.sign(tenantId) } };
    },
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const send = (status: number, body: string | undefined, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    const body = await readBody(req);
    if (!body) return send(413, errorBody('PAYLOAD_TOO_LARGE', 'The request body is too large', 'local'));

    const local = localRoutes[`${method} ${url.pathname}`];
    if (local) {
      // The same 1 MB the API's handlers allow.
      if (body.length > LOCAL_MAX_BODY_BYTES) {
        return send(413, errorBody('PAYLOAD_TOO_LARGE', 'The request body is larger than 1 MB', 'local'));
      }
      let parsed: unknown;
      try {
        parsed = body.length ? JSON.parse(body.toString('utf8')) : undefined;
      } catch {
        return send(400, errorBody('INVALID_JSON', 'The request body is not valid JSON', 'local'));
      }
      const result = await local(parsed, url);
      return send(result.status, JSON.stringify(result.body));
    }

    const match = matchRoute(method, url.pathname);
    if (!match && (await webConsole?.handle(req, res, url))) return;
    if (!match) return send(404, errorBody('ROUTE.NOT_FOUND', `No route for ${method} ${url.pathname}`, 'local'));
    let claims: Record<string, string | number | boolean> | undefined;
    if (!match.route.public) {
      claims = await auth.verify(req.headers.authorization);
      if (!claims) return send(401, errorBody('UNAUTHORIZED', 'A valid bearer token is required', 'local'));
    }
    const event = toApiGatewayEvent(
      { method, url, headers: req.headers, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
      match.routeKey,
      match.pathParameters,
      claims,
      clock.now(),
    );
    const handler = handlers.get(match.route.function) as LambdaHandler;
    const result = await handler(
      event,
      createLambdaContext(match.route.function, event.requestContext.requestId, API_TIMEOUT_MS, clock),
    );
    send(result.statusCode ?? 200, result.body, (result.headers ?? {}) as Record<string, string>);
  };

  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      console.error('local stack: request failed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(errorBody('INTERNAL_ERROR', 'The local stack failed to handle the request', 'local'));
    });
  });
  server.keepAliveTimeout = 5_000;
  // A restart first recovers what the previous run left sending, before any worker runs or the API answers: results
  // read by anyone are then already right.
  const resumed = await resumeSendingCampaigns(dynamo.endpoint, dynamo.tableNames.campaigns, createCampaignDeps());
  await messaging.startWorkers();
  if (resumed > 0) console.log(`local stack: resumed ${resumed} campaign(s) that were sending when it stopped`);
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, '127.0.0.1', resolvePromise);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.SHORT_LINK_BASE_URL = `${url}/l/`;
  return {
    url,
    dynamo,
    auth,
    messaging,
    clock,
    numbers,
    travel,
    async stop() {
      await new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      });
      await messaging.stop();
      await dynamo.stop();
      await saveStackClock(dataDir, clock);
      await releaseDataDir?.();
    },
  };
}
