import { assignNumber, routeUnroutedInbound } from '../../shared/app/numbers/sender-numbers.use-case';
import { createInboundQueue } from '../../shared/config/aws-messaging.factory';
import { localAdapters } from '../../shared/config/local-adapters';
import { createNumbersDeps } from '../../shared/config/numbers-deps.factory';
import { pageQuerySchema } from '../../shared/domain/pagination.schema';
import { parseOrThrow } from '../../shared/domain/validation';
import { httpHandler } from '../../shared/middleware/http-handler';
import { assignNumberBody, routeUnroutedBody, unroutedParams } from './numbers-admin.schema';

const deps = createNumbersDeps();
const inboundQueue = createInboundQueue(process.env, localAdapters()?.queue);

/**
 * The operator's routes (IAM-authorized on AWS; no tenant token reaches them): assign sender numbers, list them, and
 * see and re-route inbound texts no tenant could be found for.
 */
export const { lambdaHandler, handler } = httpHandler(
  {
    'GET /admin/numbers': async ({ query }) => ({
      statusCode: 200,
      body: await deps.numbers.listNumbers(parseOrThrow(pageQuerySchema, query, 'query')),
    }),
    'POST /admin/numbers': async ({ body }) => ({
      statusCode: 201,
      body: await assignNumber(parseOrThrow(assignNumberBody, body), deps),
    }),
    'GET /admin/unrouted': async ({ query }) => ({
      statusCode: 200,
      body: await deps.numbers.listUnrouted(parseOrThrow(pageQuerySchema, query, 'query')),
    }),
    'POST /admin/unrouted/{inboundMessageId}/route': async ({ pathParameters, body }) => {
      const { inboundMessageId } = parseOrThrow(unroutedParams, pathParameters, 'path');
      const { tenantId } = parseOrThrow(routeUnroutedBody, body);
      if (!inboundQueue) throw new Error('INBOUND_QUEUE_URL is required to re-route an inbound text');
      await routeUnroutedInbound(inboundMessageId, tenantId, { ...deps, queue: inboundQueue });
      return { statusCode: 202, body: { inboundMessageId, tenantId, status: 'routing' } };
    },
  },
  { public: true },
);
