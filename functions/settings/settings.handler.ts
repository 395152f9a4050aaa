import { getSettings, updateSettings } from '../../shared/app/settings/settings.use-case';
import { createContactsDeps } from '../../shared/config/contacts-deps.factory';
import { parseOrThrow } from '../../shared/domain/validation';
import { httpHandler } from '../../shared/middleware/http-handler';
import { patchSettingsBody } from './settings.schema';

const deps = createContactsDeps();

export const { lambdaHandler, handler } = httpHandler({
  'GET /v1/settings': async ({ tenantId }) => ({ statusCode: 200, body: await getSettings(tenantId, deps) }),
  'PATCH /v1/settings': async ({ tenantId, body }) => ({
    statusCode: 200,
    body: await updateSettings(tenantId, parseOrThrow(patchSettingsBody, body), deps),
  }),
});
