import { type ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HttpRequest } from '@smithy/types';

/** Counts the capacity units every call reports, for benchmarks and cost estimates. */
export class CapacityMeter {
  /** Set by benchmarks (and only then) to meter every DynamoDB call made in this process. */
  static active: CapacityMeter | undefined;

  readUnits = 0;
  writeUnits = 0;
  requests = 0;
  /** Requests and capacity units by command and table (`UpdateItem campaigns`), for a benchmark to say where they go. */
  readonly byCall = new Map<string, { requests: number; units: number }>();

  /** Adds what one call consumed (`ReturnConsumedCapacity: 'TOTAL'` reports table plus indexes). */
  record(kind: 'read' | 'write', consumed: ConsumedCapacity | ConsumedCapacity[] | undefined, call = ''): void {
    this.requests += 1;
    const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
    const units = list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    if (call) {
      const seen = this.byCall.get(call) ?? { requests: 0, units: 0 };
      this.byCall.set(call, { requests: seen.requests + 1, units: seen.units + units });
    }
    if (kind === 'read') this.readUnits += units;
    else this.writeUnits += units;
  }

  reset(): void {
    this.readUnits = 0;
    this.writeUnits = 0;
    this.requests = 0;
    this.byCall.clear();
  }
}

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

export interface DynamoConfig {
  /** Set for dynalite (local stack, tests); absent on AWS. */
  endpoint?: string | undefined;
  region?: string | undefined;
  maxAttempts?: number;
}

const DYNALITE_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';

function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

function signedForDynalite(request: HttpRequest): HttpRequest {
  request.headers.authorization = DYNALITE_AUTHORIZATION;
  request.headers['x-amz-date'] = '20260101T000000Z';
  return request;
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
    // Dynalite on this machine checks that a signature is there, not what it says: signing each request (an HMAC
    // chain) would be CPU spent for nothing, so every request carries the same well-formed header. Any other endpoint
    // (a VPC endpoint on AWS) is signed as usual.
    ...(config.endpoint && isLoopback(config.endpoint)
      ? { signer: { sign: async (request: HttpRequest) => signedForDynalite(request) } }
      : {}),
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const meter = CapacityMeter.active;
      if (!meter) return next(args);
      const input = args.input as {
        ReturnConsumedCapacity?: string;
        TableName?: string;
        RequestItems?: Record<string, { Keys?: unknown[] } | unknown[]>;
      };
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
      const command = context.commandName ?? '';
      const table = input.TableName ?? Object.keys(input.RequestItems ?? {}).join('+');
      const call = `${command.replace(/Command$/, '')} ${table}`.trim();
      meter.record(WRITE_COMMANDS.has(command) ? 'write' : 'read', output.ConsumedCapacity, call);
      return result;
    },
    { step: 'initialize', name: 'capacityMeter' },
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
