import { httpHandler } from '../../shared/middleware/http-handler';
import { buildOpenApiDocument } from './openapi-document';

const document = buildOpenApiDocument();

export const { lambdaHandler, handler } = httpHandler(
  { 'GET /v1/openapi.json': async () => ({ statusCode: 200, body: document }) },
  { public: true },
);
