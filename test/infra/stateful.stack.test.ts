import { Match } from 'aws-cdk-lib/assertions';
import { contactsKeys } from '../../shared/adapters/aws/dynamo/contacts-keys';
import { type TableDefinition, tableDefinitions } from '../../shared/adapters/aws/dynamo/table-definitions';
import { logicalIdOf, resourcesOfType, type SynthesizedApp, synthApp } from './synth-app';

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

  it.each([['contacts'], ['campaigns'], ['workflows'], ['numbers']])(
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
    // The contacts, workflows and numbers tables keep their single index.
    for (const name of ['contacts', 'workflows', 'numbers']) {
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
    // No exception: which tenant a number belongs to lives in the operator's numbers table, not here.
    for (const [name, build] of builders) {
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

  it("keeps the operator's number registry in dev-sms-numbers, gsi1 listing what a tenant or pool holds", () => {
    expect(tableDefinitions.map((definition) => definition.logicalName)).toContain('numbers');
    synth.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'dev-sms-numbers',
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
      // Registry entries never expire.
      TimeToLiveSpecification: Match.absent(),
    });
  });

  describe('user pool (the user-to-tenant mapping, state like the tables)', () => {
    it('lives here, one pool with one web client, and outlives the stack', () => {
      synth.statefulTemplate.resourceCountIs('AWS::Cognito::UserPool', 1);
      synth.statefulTemplate.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
      synth.statefulTemplate.hasResource('AWS::Cognito::UserPool', {
        Properties: Match.objectLike({
          UserPoolName: 'dev-sms-users',
          // Dev stages leave deletion protection off (RETAIN still keeps the pool); prod turns it on.
          DeletionProtection: synth.config.deletionProtection ? 'ACTIVE' : 'INACTIVE',
        }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      for (const stack of [synth.apiTemplate, synth.messagingTemplate]) {
        stack.resourceCountIs('AWS::Cognito::UserPool', 0);
      }
    });

    it('publishes the pool and client ids for frontends and the API stack', () => {
      const poolId = logicalIdOf(synth.statefulTemplate, 'AWS::Cognito::UserPool', { UserPoolName: 'dev-sms-users' });
      const clientId = logicalIdOf(synth.statefulTemplate, 'AWS::Cognito::UserPoolClient', {
        ClientName: 'dev-sms-web',
      });
      synth.statefulTemplate.hasOutput('UserPoolId', { Value: { Ref: poolId } });
      synth.statefulTemplate.hasOutput('UserPoolClientId', { Value: { Ref: clientId } });
      // The API stack's JWT authorizer imports both.
      for (const id of [poolId, clientId]) {
        synth.statefulTemplate.hasOutput('*', { Value: { Ref: id }, Export: { Name: Match.anyValue() } });
      }
    });

    it('admits users only when an administrator creates them, with MFA and a strong password', () => {
      synth.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: Match.anyValue(),
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      });
    });

    it('records the tenant in an immutable custom attribute', () => {
      synth.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
        Schema: Match.arrayWith([Match.objectLike({ Name: 'tenantId', AttributeDataType: 'String', Mutable: false })]),
      });
    });

    it('lets the web client read custom:tenantId but never write it', () => {
      const clients = resourcesOfType(synth.statefulTemplate, 'AWS::Cognito::UserPoolClient');
      expect(clients.length).toBeGreaterThan(0);
      for (const [, client] of clients) {
        const { ReadAttributes, WriteAttributes, GenerateSecret } = client.Properties as Record<string, unknown>;
        // Without an explicit list Cognito lets the client write every attribute.
        expect(Array.isArray(WriteAttributes)).toBe(true);
        expect(WriteAttributes).not.toContain('custom:tenantId');
        expect(ReadAttributes).toContain('custom:tenantId');
        expect(GenerateSecret).toBe(false);
      }
    });
  });
});
