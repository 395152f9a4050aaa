import { z } from 'zod';
import { createDocumentClient } from '../adapters/aws/dynamo/document-client';
import { DynamoNumberRegistry } from '../adapters/aws/dynamo/dynamo-number-registry';
import { type Clock, systemClock } from '../ports/clock.port';
import type { NumberRegistry } from '../ports/number-registry.port';
import { localAdapters } from './local-adapters';

/** The operator's functions: the number registry alone (NUMBERS_TABLE_NAME), no tenant table. */
export function createNumbersDeps(env: NodeJS.ProcessEnv = process.env): { numbers: NumberRegistry; clock: Clock } {
  const tableName = z
    .string()
    .min(1)
    .parse(env.NUMBERS_TABLE_NAME, { error: () => 'NUMBERS_TABLE_NAME is required' });
  const client = createDocumentClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION });
  return { numbers: new DynamoNumberRegistry(client, tableName), clock: localAdapters()?.clock ?? systemClock };
}
