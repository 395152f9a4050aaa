import {
  createSmartList,
  deleteSmartList,
  getSmartList,
  listSmartLists,
  updateSmartList,
} from '../../shared/app/smart-lists/smart-lists.use-case';
import { createContactsDeps } from '../../shared/config/contacts-deps.factory';
import { parseOrThrow } from '../../shared/domain/validation';
import { httpHandler } from '../../shared/middleware/http-handler';
import { createSmartListBody, listSmartListsQuery, patchSmartListBody, smartListIdParams } from './smart-lists.schema';

const deps = createContactsDeps();

export const { lambdaHandler, handler } = httpHandler({
  'POST /v1/smart-lists': async ({ tenantId, body }) => ({
    statusCode: 201,
    body: await createSmartList(tenantId, parseOrThrow(createSmartListBody, body), deps),
  }),
  'GET /v1/smart-lists': async ({ tenantId, query }) => ({
    statusCode: 200,
    body: await listSmartLists(tenantId, parseOrThrow(listSmartListsQuery, query, 'query string'), deps),
  }),
  'GET /v1/smart-lists/{id}': async ({ tenantId, pathParameters }) => ({
    statusCode: 200,
    body: await getSmartList(tenantId, parseOrThrow(smartListIdParams, pathParameters, 'path').id, deps),
  }),
  'PATCH /v1/smart-lists/{id}': async ({ tenantId, pathParameters, body }) => ({
    statusCode: 200,
    body: await updateSmartList(
      tenantId,
      parseOrThrow(smartListIdParams, pathParameters, 'path').id,
      parseOrThrow(patchSmartListBody, body),
      deps,
    ),
  }),
  'DELETE /v1/smart-lists/{id}': async ({ tenantId, pathParameters }) => {
    await deleteSmartList(tenantId, parseOrThrow(smartListIdParams, pathParameters, 'path').id, deps);
    return { statusCode: 204 };
  },
});
