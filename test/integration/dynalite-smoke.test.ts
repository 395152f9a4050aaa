import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';

describe('test dynalite', () => {
  let dynamo: TestDynamo;
  beforeAll(async () => {
    dynamo = await startTestDynamo();
  });
  afterAll(async () => dynamo.stop());

  it('creates the contacts table with its GSI', async () => {
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: dynamo.tableNames.contacts }));
    expect(Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['gsi1']);
  });
});
