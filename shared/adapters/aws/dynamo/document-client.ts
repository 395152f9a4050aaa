import { type ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Counts the capacity units every call reports, for benchmarks and cost estimates. */
export class CapacityMeter {
  readUnits = 0;
  writeUnits = 0;
  requests = 0;

  /** Adds what one call consumed (`ReturnConsumedCapacity: 'TOTAL'` reports table plus indexes). */
  record(kind: 'read' | 'write', consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
    this.requests += 1;
    const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
    const units = list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    if (kind === 'read') this.readUnits += units;
    else this.writeUnits += units;
  }

  reset(): void {
    this.readUnits = 0;
    this.writeUnits = 0;
    this.requests = 0;
  }
}

export interface DynamoConfig {
  /** Set for dynalite (local stack, tests); absent on AWS. */
  endpoint?: string | undefined;
  region?: string | undefined;
  maxAttempts?: number;
}

/**
 * One document client per process, with `removeUndefinedValues` so optional fields never
 * reach DynamoDB as undefined. Locally it talks to dynalite with dummy credentials.
 */
export function createDocumentClient(config: DynamoConfig = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region ?? process.env.AWS_REGION ?? 'us-east-1',
    maxAttempts: config.maxAttempts ?? 5,
    ...(config.endpoint
      ? { endpoint: config.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
