import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTablesIfMissing, type TableNames } from '../../shared/adapters/aws/dynamo/create-tables';

export interface TestDynamo {
  endpoint: string;
  client: DynamoDBClient;
  tableNames: TableNames;
  stop(): Promise<void>;
}

/** Starts an in-memory dynalite on a free loopback port with every application table created. */
export async function startTestDynamo(): Promise<TestDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const tableNames: TableNames = {
    contacts: 'test-sms-contacts',
    campaigns: 'test-sms-campaigns',
    workflows: 'test-sms-workflows',
    numbers: 'test-sms-numbers',
  };
  await createTablesIfMissing(client, tableNames);
  return {
    endpoint,
    client,
    tableNames,
    async stop() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
