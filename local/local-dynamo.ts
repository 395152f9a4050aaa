import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTablesIfMissing, type TableNames } from '../shared/adapters/aws/dynamo/create-tables';

export interface LocalDynamo {
  endpoint: string;
  tableNames: TableNames;
  stop(): Promise<void>;
}

/**
 * Serves DynamoDB with dynalite on loopback, persisted under `<dataDir>/dynamodb` (LevelDB), or in
 * memory when `dataDir` is undefined, and creates the application's tables if they are missing.
 */
export async function startLocalDynamo(dataDir: string | undefined): Promise<LocalDynamo> {
  let path: string | undefined;
  if (dataDir) {
    path = join(dataDir, 'dynamodb');
    await mkdir(path, { recursive: true });
  }
  const server: Server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tableNames: TableNames = { contacts: 'local-sms-contacts' };
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createTablesIfMissing(client, tableNames);
  client.destroy();
  return {
    endpoint,
    tableNames,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
