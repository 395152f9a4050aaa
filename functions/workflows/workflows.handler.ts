import { submitForm } from '../../shared/app/workflows/submit-form.use-case';
import {
  activateWorkflow,
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listEnrollments,
  listWorkflows,
  pauseWorkflow,
  resumeWorkflow,
  updateWorkflow,
} from '../../shared/app/workflows/workflow-definitions.use-case';
import { createWorkflowDeps } from '../../shared/config/workflow-deps.factory';
import { parseOrThrow } from '../../shared/domain/validation';
import { httpHandler } from '../../shared/middleware/http-handler';
import {
  createWorkflowBody,
  enrollmentsQuery,
  formIdParams,
  formSubmissionBody,
  listWorkflowsQuery,
  patchWorkflowBody,
  workflowIdParams,
} from './workflows.schema';

const deps = createWorkflowDeps();

const idOf = (pathParameters: Record<string, string>) => parseOrThrow(workflowIdParams, pathParameters, 'path').id;

export const { lambdaHandler, handler } = httpHandler({
  'POST /v1/workflows': async ({ tenantId, body }) => ({
    statusCode: 201,
    body: await createWorkflow(tenantId, parseOrThrow(createWorkflowBody, body), deps),
  }),
  'GET /v1/workflows': async ({ tenantId, query }) => ({
    statusCode: 200,
    body: await listWorkflows(tenantId, parseOrThrow(listWorkflowsQuery, query, 'query string'), deps),
  }),
  'GET /v1/workflows/{id}': async ({ tenantId, pathParameters }) => ({
    statusCode: 200,
    body: await getWorkflow(tenantId, idOf(pathParameters), deps),
  }),
  'PATCH /v1/workflows/{id}': async ({ tenantId, pathParameters, body }) => ({
    statusCode: 200,
    body: await updateWorkflow(tenantId, idOf(pathParameters), parseOrThrow(patchWorkflowBody, body), deps),
  }),
  'DELETE /v1/workflows/{id}': async ({ tenantId, pathParameters }) => {
    await deleteWorkflow(tenantId, idOf(pathParameters), deps);
    return { statusCode: 204 };
  },
  'POST /v1/workflows/{id}/activate': async ({ tenantId, pathParameters }) => ({
    statusCode: 200,
    body: await activateWorkflow(tenantId, idOf(pathParameters), deps),
  }),
  'POST /v1/workflows/{id}/pause': async ({ tenantId, pathParameters }) => ({
    statusCode: 200,
    body: await pauseWorkflow(tenantId, idOf(pathParameters), deps),
  }),
  'POST /v1/workflows/{id}/resume': async ({ tenantId, pathParameters }) => ({
    statusCode: 200,
    body: await resumeWorkflow(tenantId, idOf(pathParameters), deps),
  }),
  'GET /v1/workflows/{id}/enrollments': async ({ tenantId, pathParameters, query }) => ({
    statusCode: 200,
    body: await listEnrollments(
      tenantId,
      idOf(pathParameters),
      parseOrThrow(enrollmentsQuery, query, 'query string'),
      deps,
    ),
  }),
  'POST /v1/forms/{formId}/submissions': async ({ tenantId, pathParameters, body }) => ({
    statusCode: 202,
    body: await submitForm(
      tenantId,
      parseOrThrow(formIdParams, pathParameters, 'path').formId,
      parseOrThrow(formSubmissionBody, body),
      deps,
    ),
  }),
});
