import { z } from 'zod';
import { createDocumentClient } from '../adapters/aws/dynamo/document-client';
import { DynamoWorkflowStore } from '../adapters/aws/dynamo/dynamo-workflow-store';
import type { WorkflowDeps } from '../app/workflows/workflow-deps';
import { createCampaignDeps } from './campaign-deps.factory';

/**
 * Wires the workflow use cases: the campaign pipeline's ports (contacts, settings, send log, queue, scheduler,
 * carrier, pacer) plus the workflows table named by WORKFLOWS_TABLE_NAME.
 * The receipt processor uses both: campaign ledgers, and each workflow's carrier-filtering breaker.
 */
export function createWorkflowDeps(
  env: NodeJS.ProcessEnv = process.env,
): WorkflowDeps & ReturnType<typeof createCampaignDeps> {
  const base = createCampaignDeps(env);
  const tableName = z
    .string()
    .min(1)
    .parse(env.WORKFLOWS_TABLE_NAME, { error: () => 'WORKFLOWS_TABLE_NAME is required' });
  const client = createDocumentClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION });
  return { ...base, workflows: new DynamoWorkflowStore(client, tableName) };
}
