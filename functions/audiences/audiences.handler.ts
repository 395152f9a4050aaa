import { previewAudience } from '../../shared/app/audiences/preview-audience.use-case';
import { createContactsDeps } from '../../shared/config/contacts-deps.factory';
import { parseOrThrow } from '../../shared/domain/validation';
import { httpHandler } from '../../shared/middleware/http-handler';
import { audiencePreviewBody } from './audiences.schema';

const deps = createContactsDeps();

export const { lambdaHandler, handler } = httpHandler({
  'POST /v1/audiences/preview': async ({ tenantId, body }) => {
    const { audience, messageType } = parseOrThrow(audiencePreviewBody, body);
    return { statusCode: 200, body: await previewAudience(tenantId, audience, deps, messageType) };
  },
});
