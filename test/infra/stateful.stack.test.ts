import { Match } from 'aws-cdk-lib/assertions';
import { contactsKeys } from '../../shared/adapters/aws/dynamo/contacts-keys';
import { type TableDefinition, tableDefinitions } from '../../shared/adapters/aws/dynamo/table-definitions';
import { resourcesOfType, type SynthesizedApp, synthApp } from './synth-app';

/** A table definition as CloudFormation spells it: what local (dynalite) tables are created from. */
function cloudFormationKeys(definition: TableDefinition) {
  return {
    KeySchema: [
      { AttributeName: definition.partitionKey, KeyType: 'HASH' },
      { AttributeName: definition.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((gsi) => ({
      IndexName: gsi.indexName,
      KeySchema: [
        { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
        ...(gsi.sortKey === undefined ? [] : [{ AttributeName: gsi.sortKey, KeyType: 'RANGE' }]),
      ],
      // The definition's default, as for a table created locally.
      Projection: { ProjectionType: gsi.projection ?? 'ALL' },
    })),
  };
}

describe('stateful stack', () => {
  let synth: SynthesizedApp;

  beforeAll(() => {
    // The tables do not depend on the bundles; skip esbuild here (the API tests bundle).
    synth = synthApp({ bundle: false });
  });
  afterAll(() => synth?.cleanup());

  it.each([['contacts'], ['campaigns'], ['workflows']])(
    'keeps %s in a pay-per-request, encrypted table with point-in-time recovery that outlives the stack',
    (name) => {
      synth.statefulTemplate.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({
          TableName: `dev-sms-${name}`,
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          // Dev stages leave deletion protection off (RETAIN still keeps the table); prod turns it on.
          DeletionProtectionEnabled: synth.config.deletionProtection,
        }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    },
  );

  it.each(tableDefinitions.map((definition) => [definition.logicalName, definition] as const))(
    'the %s table has the key schema and indexes of shared/adapters/aws/dynamo/table-definitions.ts',
    (logicalName, definition) => {
      const [table] = resourcesOfType(synth.statefulTemplate, 'AWS::DynamoDB::Table').filter(
        ([, resource]) => resource.Properties?.TableName === `dev-sms-${logicalName}`,
      );
      expect(table).toBeDefined();
      const { KeySchema, GlobalSecondaryIndexes, AttributeDefinitions } = table![1].Properties as Record<
        string,
        unknown[]
      >;
      expect({ KeySchema, GlobalSecondaryIndexes }).toEqual(cloudFormationKeys(definition));
      // Every key attribute is a string: `T#<tenantId>#...` values, never numbers.
      expect(AttributeDefinitions).toEqual(
        expect.arrayContaining([{ AttributeName: definition.partitionKey, AttributeType: 'S' }]),
      );
      expect(
        AttributeDefinitions!.every((attribute) => (attribute as { AttributeType: string }).AttributeType === 'S'),
      ).toBe(true);
    },
  );

  it('finds a ledger entry by the carrier message id: campaigns gsi2, sparse on messageId, keys only', () => {
    synth.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'dev-sms-campaigns',
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'messageId', AttributeType: 'S' }]),
      GlobalSecondaryIndexes: Match.arrayWith([
        {
          IndexName: 'gsi2',
          KeySchema: [{ AttributeName: 'messageId', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ]),
    });
    // The contacts and workflows tables keep their single index.
    for (const name of ['contacts', 'workflows']) {
      synth.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: `dev-sms-${name}`,
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' })],
      });
    }
  });

  it('expires the uncapped message-log items of the campaigns table (TTL on expiresAt)', () => {
    synth.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'dev-sms-campaigns',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it("keeps the workflows (definitions, enrollments, locks, timers) in dev-sms-workflows, gsi1 listing a tenant's workflows", () => {
    expect(tableDefinitions.map((definition) => definition.logicalName)).toContain('workflows');
    synth.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'dev-sms-workflows',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('has no table the shared definitions do not know (local tables would drift from AWS)', () => {
    const names = resourcesOfType(synth.statefulTemplate, 'AWS::DynamoDB::Table').map(
      ([, resource]) => resource.Properties?.TableName,
    );
    expect(names.sort()).toEqual(tableDefinitions.map((definition) => `dev-sms-${definition.logicalName}`).sort());
  });

  it('puts the tenant first in every partition key the data layer builds', () => {
    // The table can only name its key attributes; the values come from contacts-keys.ts.
    const builders = Object.entries(contactsKeys).filter(([, value]) => typeof value === 'function') as [
      string,
      (...args: string[]) => unknown,
    ][];
    expect(builders.length).toBeGreaterThan(0);
    // The one exception, by design: an inbound text names only our number, so the number's route is
    // what finds the tenant. It holds no tenant data, only the owning tenant's id.
    const routedByNumber = new Set(['numberRoute']);
    expect(contactsKeys.numberRoute('+12065550100').pk).toBe('NUMBER#+12065550100');
    for (const [name, build] of builders.filter(([name]) => !routedByNumber.has(name))) {
      const key = build('tenant-a', 'id-1', 'id-2', 'id-3');
      const partitionValues =
        typeof key === 'string'
          ? [key]
          : [(key as Record<string, unknown>).pk, (key as Record<string, unknown>).gsi1pk].filter(
              (value) => value !== undefined,
            );
      for (const value of partitionValues) {
        expect({ name, value }).toEqual({ name, value: expect.stringMatching(/^T#tenant-a(#|$)/) });
      }
    }
  });
});
