import { fork } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTablesIfMissing, type TableNames } from '../shared/adapters/aws/dynamo/create-tables';

/** The local stack's table names (the handlers read them from the environment, as on Lambda). */
export const LOCAL_TABLE_NAMES: TableNames = {
  contacts: 'local-sms-contacts',
  campaigns: 'local-sms-campaigns',
  workflows: 'local-sms-workflows',
  numbers: 'local-sms-numbers',
};

export interface LocalDynamo {
  endpoint: string;
  tableNames: TableNames;
  stop(): Promise<void>;
}

/**
 * Serves DynamoDB with dynalite (in a child process, so it gets its own core) on loopback, persisted under `<dataDir>/dynamodb` (LevelDB), or in
 * memory when `dataDir` is undefined, and creates the application's tables if they are missing.
 */
export async function startLocalDynamo(dataDir: string | undefined): Promise<LocalDynamo> {
  let path: string | undefined;
  if (dataDir) {
    path = join(dataDir, 'dynamodb');
    await mkdir(path, { recursive: true });
  }
  const child = fork(join(__dirname, 'dynalite-process.cjs'), [], {
    env: { ...process.env, ...(path ? { DYNALITE_PATH: path } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Plain node: the TypeScript loader of the parent is not needed for this CommonJS file.
    execArgv: [],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite exited with code ${code} before it was ready`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`local stack: dynalite exited unexpectedly (code ${code}, signal ${signal})`);
  });
  const tableNames: TableNames = LOCAL_TABLE_NAMES;
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
        stopping = true;
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
