import { z } from 'zod';
import { createDocumentClient } from '../adapters/aws/dynamo/document-client';
import { DynamoConversationStore } from '../adapters/aws/dynamo/dynamo-conversation-store';
import type { ConversationStore } from '../ports/conversation-store.port';
import { loadRuntimeConfig } from './runtime-config';

/** The conversations' read side: both tables (texts sent are in the campaigns table, texts received in the contacts). */
export function createConversationStore(env: NodeJS.ProcessEnv = process.env): ConversationStore {
  const config = loadRuntimeConfig(env);
  const campaigns = z
    .string()
    .min(1)
    .parse(env.CAMPAIGNS_TABLE_NAME, { error: () => 'CAMPAIGNS_TABLE_NAME is required' });
  const client = createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION });
  return new DynamoConversationStore(client, { contacts: config.CONTACTS_TABLE_NAME, campaigns });
}
