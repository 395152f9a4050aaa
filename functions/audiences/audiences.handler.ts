import { previewAudience } from '../../shared/app/audiences/preview-audience.use-case';
import { TenantContactsSnapshots } from '../../shared/app/audiences/tenant-contacts-snapshots';
import { createContactsDeps } from '../../shared/config/contacts-deps.factory';
import { parseOrThrow } from '../../shared/domain/validation';
import { httpHandler } from '../../shared/middleware/http-handler';
import { audiencePreviewBody } from './audiences.schema';

// Module scope: the snapshots live as long as the warm function.
const deps = { ...createContactsDeps(), snapshots: new TenantContactsSnapshots() };

export const { lambdaHandler, handler } = httpHandler({
  'POST /v1/audiences/preview': async ({ tenantId, body }) => {
    const { audience, messageType } = parseOrThrow(audiencePreviewBody, body);
    return { statusCode: 200, body: await previewAudience(tenantId, audience, deps, messageType) };
  },
});
