import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { type TableDefinition, tableDefinitions } from './table-definitions';

/** Physical table names by logical name. */
export type TableNames = Record<TableDefinition['logicalName'], string>;

function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  const attributes = new Set<string>([definition.partitionKey, definition.sortKey]);
  for (const gsi of definition.globalSecondaryIndexes) {
    attributes.add(gsi.partitionKey);
    if (gsi.sortKey) attributes.add(gsi.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: definition.partitionKey, KeyType: 'HASH' },
      { AttributeName: definition.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((gsi) => ({
      IndexName: gsi.indexName,
      KeySchema: [
        { AttributeName: gsi.partitionKey, KeyType: 'HASH' as const },
        ...(gsi.sortKey ? [{ AttributeName: gsi.sortKey, KeyType: 'RANGE' as const }] : []),
      ],
      Projection: { ProjectionType: gsi.projection ?? 'ALL' },
    })),
  };
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/**
 * Creates every table the application uses when it does not exist yet (local stack and tests;
 * on AWS the CDK stateful stack owns the tables). Waits until each one is ACTIVE.
 */
export async function createTablesIfMissing(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const definition of tableDefinitions) {
    const tableName = names[definition.logicalName];
    if (await tableExists(client, tableName)) continue;
    await client.send(new CreateTableCommand(createTableInput(definition, tableName)));
    for (let attempt = 0; attempt < 100; attempt++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
