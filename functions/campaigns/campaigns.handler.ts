import { TenantContactsSnapshots } from '../../shared/app/audiences/tenant-contacts-snapshots';
import { assertBudgetLeft } from '../../shared/app/campaigns/campaign-budget';
import { estimateCampaign } from '../../shared/app/campaigns/campaign-estimate.use-case';
import { saveFailedList } from '../../shared/app/campaigns/campaign-failed-list.use-case';
import {
  cancelCampaign,
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  scheduleCampaign,
  sendCampaign,
  updateCampaign,
} from '../../shared/app/campaigns/campaign-lifecycle.use-case';
import { pauseCampaign, resumeCampaign } from '../../shared/app/campaigns/campaign-pause.use-case';
import { saveClickersList, saveRespondersList } from '../../shared/app/campaigns/campaign-responders.use-case';
import { campaignMessages, campaignResults } from '../../shared/app/campaigns/campaign-results.use-case';
import { requestRecountNow } from '../../shared/app/campaigns/request-recount';
import { getSendTimeInsights } from '../../shared/app/insights/send-time-insights.use-case';
import { createCampaignDeps } from '../../shared/config/campaign-deps.factory';
import { parseOrThrow } from '../../shared/domain/validation';
import { httpHandler } from '../../shared/middleware/http-handler';
import {
  campaignIdParams,
  clickersListBody,
  createCampaignBody,
  estimateQuery,
  failedListBody,
  listCampaignsQuery,
  messagesQuery,
  patchCampaignBody,
  pauseCampaignBody,
  respondersListBody,
  scheduleCampaignBody,
  sendCampaignBody,
} from './campaigns.schema';

const deps = { ...createCampaignDeps(), snapshots: new TenantContactsSnapshots() };
const idOf = (pathParameters: Record<string, string>) => parseOrThrow(campaignIdParams, pathParameters, 'path').id;

export const { lambdaHandler, handler } = httpHandler({
  'POST /v1/campaigns': async ({ tenantId, body }) => ({
    statusCode: 201,
    body: await createCampaign(tenantId, parseOrThrow(createCampaignBody, body), deps),
  }),
  'GET /v1/campaigns': async ({ tenantId, query }) => ({
    statusCode: 200,
    body: await listCampaigns(tenantId, parseOrThrow(listCampaignsQuery, query, 'query string'), deps),
  }),
  'GET /v1/campaigns/{id}': async ({ tenantId, pathParameters }) => ({
    statusCode: 200,
    body: await getCampaign(tenantId, idOf(pathParameters), deps),
  }),
  'PATCH /v1/campaigns/{id}': async ({ tenantId, pathParameters, body }) => ({
    statusCode: 200,
    body: await updateCampaign(tenantId, idOf(pathParameters), parseOrThrow(patchCampaignBody, body), deps),
  }),
  'DELETE /v1/campaigns/{id}': async ({ tenantId, pathParameters }) => {
    await deleteCampaign(tenantId, idOf(pathParameters), deps);
    return { statusCode: 204 };
  },
  'POST /v1/campaigns/{id}/send': async ({ tenantId, pathParameters, body }) => {
    // No options: a body meant for /schedule (or anything else) is refused, not sent at once.
    parseOrThrow(sendCampaignBody, body ?? {});
    return { statusCode: 202, body: await sendCampaign(tenantId, idOf(pathParameters), deps) };
  },
  'POST /v1/campaigns/{id}/schedule': async ({ tenantId, pathParameters, body }) => ({
    statusCode: 200,
    body: await scheduleCampaign(tenantId, idOf(pathParameters), parseOrThrow(scheduleCampaignBody, body), deps),
  }),
  'POST /v1/campaigns/{id}/cancel': async ({ tenantId, pathParameters }) => ({
    statusCode: 200,
    body: await cancelCampaign(tenantId, idOf(pathParameters), deps),
  }),
  'POST /v1/campaigns/{id}/pause': async ({ tenantId, pathParameters, body }) => {
    parseOrThrow(pauseCampaignBody, body ?? {});
    return { statusCode: 200, body: await pauseCampaign(tenantId, idOf(pathParameters), deps) };
  },
  'POST /v1/campaigns/{id}/resume': async ({ tenantId, pathParameters, body }) => {
    parseOrThrow(pauseCampaignBody, body ?? {});
    const id = idOf(pathParameters);
    const resumed = await resumeCampaign(tenantId, id, deps, (campaign) => assertBudgetLeft(tenantId, campaign, deps));
    return { statusCode: 200, body: resumed };
  },
  'GET /v1/campaigns/{id}/results': async ({ tenantId, pathParameters }) => ({
    statusCode: 200,
    body: await campaignResults(tenantId, idOf(pathParameters), deps),
  }),
  'GET /v1/campaigns/{id}/estimate': async ({ tenantId, pathParameters, query }) => ({
    statusCode: 200,
    body: await estimateCampaign(
      tenantId,
      idOf(pathParameters),
      parseOrThrow(estimateQuery, query, 'query string'),
      deps,
    ),
  }),
  'GET /v1/campaigns/{id}/messages': async ({ tenantId, pathParameters, query }) => ({
    statusCode: 200,
    body: await campaignMessages(
      tenantId,
      idOf(pathParameters),
      parseOrThrow(messagesQuery, query, 'query string'),
      deps,
    ),
  }),
  'POST /v1/campaigns/{id}/reconcile': async ({ tenantId, pathParameters }) => ({
    statusCode: 202,
    body: await requestRecountNow(tenantId, idOf(pathParameters), deps),
  }),
  'POST /v1/campaigns/{id}/responders-list': async ({ tenantId, pathParameters, body }) => {
    const saved = await saveRespondersList(
      tenantId,
      idOf(pathParameters),
      parseOrThrow(respondersListBody, body) ?? {},
      deps,
    );
    return { statusCode: saved.created ? 201 : 200, body: saved };
  },
  'GET /v1/insights/send-times': async ({ tenantId }) => ({
    statusCode: 200,
    body: await getSendTimeInsights(tenantId, deps),
  }),
  'POST /v1/campaigns/{id}/failed-list': async ({ tenantId, pathParameters, body }) => {
    const saved = await saveFailedList(tenantId, idOf(pathParameters), parseOrThrow(failedListBody, body) ?? {}, deps);
    return { statusCode: saved.created ? 201 : 200, body: saved };
  },
  'POST /v1/campaigns/{id}/clickers-list': async ({ tenantId, pathParameters, body }) => {
    const saved = await saveClickersList(
      tenantId,
      idOf(pathParameters),
      parseOrThrow(clickersListBody, body) ?? {},
      deps,
    );
    return { statusCode: saved.created ? 201 : 200, body: saved };
  },
});
