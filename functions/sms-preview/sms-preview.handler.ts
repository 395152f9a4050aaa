import { resolveAudienceForPreview } from '../../shared/app/audiences/resolve-audience.use-case';
import { TenantContactsSnapshots } from '../../shared/app/audiences/tenant-contacts-snapshots';
import { previewSms } from '../../shared/app/sms/preview-sms.use-case';
import { createContactsDeps } from '../../shared/config/contacts-deps.factory';
import { parseOrThrow } from '../../shared/domain/validation';
import { httpHandler } from '../../shared/middleware/http-handler';
import { smsPreviewBody } from './sms-preview.schema';

const deps = { ...createContactsDeps(), snapshots: new TenantContactsSnapshots() };

export const { lambdaHandler, handler } = httpHandler({
  'POST /v1/sms/preview': async ({ tenantId, body }) => {
    const { audience, ...input } = parseOrThrow(smsPreviewBody, body);
    const audiencePages = audience ? resolveAudienceForPreview(tenantId, audience, deps) : undefined;
    // Read per request: the local stack sets it once it listens.
    const shortLinkBaseUrl = process.env.SHORT_LINK_BASE_URL;
    return { statusCode: 200, body: await previewSms(tenantId, { ...input, audiencePages, shortLinkBaseUrl }, deps) };
  },
});
