import { Match, type Template } from 'aws-cdk-lib/assertions';
import { type QueueName, queueEnvVars, queueNames, schedulerEnvVars } from '../../infra/messaging';
import { type TableGrants, type TableName, type TableWritePrefixes, tableEnvVars } from '../../infra/tables';
import { logicalIdOf, resourcesOfType, type SynthesizedApp } from './synth-app';

/** What `grantReadData` / `grantReadWriteData` may hand out, and nothing more. */
const readActions = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:Scan',
];
const writeActions = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
export const tableActions = {
  read: [...readActions].sort(),
  readWrite: [...readActions, ...writeActions].sort(),
} as const;

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Statements compared as sets: CDK's order of grants is not part of what the tests assert. */
export const sortStatements = (statements: Statement[]): Statement[] =>
  [...statements].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** How a stack other than the stateful one refers to the stateful stack's resources. */
export interface StatefulReferences {
  tables: Record<TableName, { arn: unknown; indexArns: unknown; name: unknown }>;
  queues: Record<QueueName, { arn: unknown; url: unknown }>;
  schedulerRoleArn: unknown;
  schedulesDeadLetterArn: unknown;
  /** The user pool and its web client, as the API stack's JWT authorizer names them. */
  userPoolId: unknown;
  webClientId: unknown;
  /** The stage's alarm topic, as an alarm outside the stateful stack would name it. */
  alarmTopicArn: unknown;
}

/**
 * `{ 'Fn::ImportValue': <export> }` of the one exported stateful output whose value is `value`; a
 * placeholder when no other stack uses the value (CDK exports only what is imported), so a
 * test expecting it fails on the comparison, naming the value. Plain outputs (for people) do not count.
 */
function importOf(stateful: Template, value: unknown): unknown {
  const outputs = Object.values(stateful.findOutputs('*', { Value: value, Export: Match.anyValue() }));
  if (outputs.length > 1) throw new Error(`expected one export of ${JSON.stringify(value)}, found ${outputs.length}`);
  if (outputs.length === 0) return { notExported: value };
  return { 'Fn::ImportValue': (outputs[0] as { Export: { Name: string } }).Export.Name };
}

export function statefulReferences(synth: SynthesizedApp): StatefulReferences {
  const stateful = synth.statefulTemplate;
  const tableRefs = (name: TableName) => {
    const id = logicalIdOf(stateful, 'AWS::DynamoDB::Table', { TableName: `${synth.config.stage}-sms-${name}` });
    const arn = importOf(stateful, { 'Fn::GetAtt': [id, 'Arn'] });
    return { arn, indexArns: { 'Fn::Join': ['', [arn, '/index/*']] }, name: importOf(stateful, { Ref: id }) };
  };
  const queueId = (queueName: string) =>
    logicalIdOf(stateful, 'AWS::SQS::Queue', { QueueName: `${synth.config.stage}-sms-${queueName}` });
  const queueRefs = (name: QueueName) => ({
    arn: importOf(stateful, { 'Fn::GetAtt': [queueId(name), 'Arn'] }),
    url: importOf(stateful, { Ref: queueId(name) }),
  });
  const [roleId] = resourcesOfType(stateful, 'AWS::IAM::Role').find(([, role]) =>
    JSON.stringify(role.Properties?.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
  )!;
  return {
    tables: {
      contacts: tableRefs('contacts'),
      campaigns: tableRefs('campaigns'),
      workflows: tableRefs('workflows'),
      numbers: tableRefs('numbers'),
    },
    queues: Object.fromEntries(queueNames.map((name) => [name, queueRefs(name)])) as StatefulReferences['queues'],
    schedulerRoleArn: importOf(stateful, { 'Fn::GetAtt': [roleId, 'Arn'] }),
    schedulesDeadLetterArn: importOf(stateful, { 'Fn::GetAtt': [queueId('schedules-dlq'), 'Arn'] }),
    userPoolId: importOf(stateful, {
      Ref: logicalIdOf(stateful, 'AWS::Cognito::UserPool', { UserPoolName: `${synth.config.stage}-sms-users` }),
    }),
    webClientId: importOf(stateful, {
      Ref: logicalIdOf(stateful, 'AWS::Cognito::UserPoolClient', { ClientName: `${synth.config.stage}-sms-web` }),
    }),
    alarmTopicArn: importOf(stateful, {
      Ref: logicalIdOf(stateful, 'AWS::SNS::Topic', { TopicName: `${synth.config.stage}-sms-alarms` }),
    }),
  };
}

/** The env vars that name a function's tables. */
export function tableEnvironment(refs: StatefulReferences, tables: TableGrants): Record<string, unknown> {
  return Object.fromEntries(
    (Object.keys(tables) as TableName[]).map((table) => [tableEnvVars[table], refs.tables[table].name]),
  );
}

/**
 * The env vars `shared/config/aws-messaging.factory.ts` reads: where every messaging resource is,
 * the workflow runner's queue (URL for sends, ARN as the target of workflow timer schedules) included.
 */
export function messagingEnvironment(refs: StatefulReferences, stage: string): Record<string, unknown> {
  return {
    ...Object.fromEntries(queueNames.map((name) => [queueEnvVars[name], refs.queues[name].url])),
    [schedulerEnvVars.groupName]: `${stage}-sms-schedules`,
    [schedulerEnvVars.roleArn]: refs.schedulerRoleArn,
    [schedulerEnvVars.launcherTargetArn]: refs.queues.launch.arn,
    [schedulerEnvVars.workflowsTargetArn]: refs.queues.workflows.arn,
    [schedulerEnvVars.deadLetterArn]: refs.schedulesDeadLetterArn,
    SMS_CONFIGURATION_SET_NAME: `${stage}-sms-messages`,
  };
}

/** An ARN in the stack's own partition, region and account, as `Stack.formatArn` renders it. */
export const stackArn = (service: string, resource: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resource}`,
    ],
  ],
});

/** The statements a function gets to send to a queue, and nothing else. */
export const sendToQueueStatement = (refs: StatefulReferences, queue: QueueName): Statement => ({
  Effect: 'Allow',
  Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
  Resource: refs.queues[queue].arn,
});

/** The statements of a function that manages the app's one-time schedules. */
export const schedulerStatements = (refs: StatefulReferences, stage: string): Statement[] => [
  {
    Effect: 'Allow',
    Action: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
    Resource: stackArn('scheduler', `schedule/${stage}-sms-schedules/*`),
  },
  {
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: refs.schedulerRoleArn,
    Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
  },
];

/** Every statement of every policy attached to the role of the function named `functionName`. */
export function functionStatements(template: Template, functionName: string): Statement[] {
  const resources = template.toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>;
  const fnId = logicalIdOf(template, 'AWS::Lambda::Function', { FunctionName: functionName });
  const roleId = (resources[fnId]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([, policy]) => (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
}

/**
 * Checks that a function may use exactly the table actions `tables` names, each on its table
 * and that table's indexes only, and returns the statements that are not about tables. A table in
 * `writePrefixes` is read whole (table and indexes), and written only through one statement: the
 * write actions, on the table alone, for items whose partition key starts with the prefix.
 */
export function expectTableGrants(
  statements: Statement[],
  refs: StatefulReferences,
  tables: TableGrants,
  writePrefixes: TableWritePrefixes = {},
): Statement[] {
  expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
  const actions = statements.flatMap((statement) => asArray(statement.Action));
  expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  const isTableStatement = (statement: Statement) =>
    asArray(statement.Action).some((action) => action.startsWith('dynamodb:'));
  const tableStatements = statements.filter(isTableStatement);
  for (const statement of tableStatements) {
    expect(asArray(statement.Action).every((action) => action.startsWith('dynamodb:'))).toBe(true);
  }
  // Only the restricted writes carry a condition, and each exactly its prefix.
  const conditioned = tableStatements.filter((statement) => statement.Condition !== undefined);
  const unconditioned = tableStatements.filter((statement) => statement.Condition === undefined);
  expect(conditioned).toHaveLength(Object.keys(writePrefixes).length);
  for (const table of Object.keys(refs.tables) as TableName[]) {
    const { arn, indexArns } = refs.tables[table];
    const onTable = unconditioned.filter(
      (statement) => JSON.stringify(asArray(statement.Resource)) === JSON.stringify([arn, indexArns]),
    );
    const granted = [...new Set(onTable.flatMap((statement) => asArray(statement.Action)))].sort();
    const access = tables[table];
    const prefix = writePrefixes[table];
    if (prefix !== undefined) {
      expect({ table, access }).toEqual({ table, access: 'readWrite' });
      expect({ table, granted }).toEqual({ table, granted: tableActions.read });
      // The writes `readWrite` would grant, no more, on the table alone and under the prefix only.
      const writes = conditioned.filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(arn));
      expect(writes.map((statement) => ({ ...statement, Action: [...asArray(statement.Action)].sort() }))).toEqual([
        {
          Effect: 'Allow',
          Action: [...writeActions].sort(),
          Resource: arn,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] } },
        },
      ]);
    } else {
      expect({ table, granted }).toEqual({ table, granted: access ? tableActions[access] : [] });
    }
  }
  // No table statement on anything but a table and its indexes (restricted writes: the table alone).
  const known = Object.values(refs.tables).map(({ arn, indexArns }) => JSON.stringify([arn, indexArns]));
  for (const statement of unconditioned) expect(known).toContain(JSON.stringify(asArray(statement.Resource)));
  const restrictedTables = (Object.keys(writePrefixes) as TableName[]).map((table) =>
    JSON.stringify(refs.tables[table].arn),
  );
  for (const statement of conditioned) expect(restrictedTables).toContain(JSON.stringify(statement.Resource));
  return statements.filter((statement) => !isTableStatement(statement));
}

/** The two statements every AppFunction has: its own log group, and X-Ray. */
export const baseStatements = (logGroupId: string): Statement[] => [
  {
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
  },
  { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
];
