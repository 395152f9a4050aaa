import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resourceName } from '../config';
import {
  type MessagingResources,
  messagingEnvironment,
  type SchedulingResources,
  SMS_CONFIGURATION_SET_ENV_VAR,
  type SmsConfigurationSet,
  schedulerEnvVars,
} from '../messaging';

/** Repository root: entries, the lock file and the esbuild project root are resolved from here. */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** Access a function gets to a table; mirrors `tables` in `functions/routes.ts`. */
export type TableAccess = 'read' | 'readWrite';

/**
 * An ESM bundle has no `require`, yet CommonJS code bundled into it still calls it (for Node
 * built-ins); the banner recreates it so such calls work instead of throwing at cold start.
 */
export const esmRequireBanner =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * How cdk-nag spells a table's ARN in a finding, so an acknowledgement can name the exact
 * finding: `<LogicalId.Arn>` for a table of the same stack, the CloudFormation export name for
 * a table of another stack.
 */
function tableArnInFindings(scope: Construct, table: ITable): string {
  // For another stack's table, exportValue returns the same export the cross-stack grant uses.
  const consumer = Stack.of(scope);
  const producer = Stack.of(table);
  const arn = consumer.resolve(producer === consumer ? table.tableArn : producer.exportValue(table.tableArn));
  if (typeof arn?.['Fn::ImportValue'] === 'string') return arn['Fn::ImportValue'];
  const getAtt = arn?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt.length === 2) return `<${getAtt[0]}.${getAtt[1]}>`;
  throw new Error(`Cannot name table ARN ${JSON.stringify(arn)} as cdk-nag does; bind tables created in this app`);
}

/** The item writes `grantReadWriteData` hands out (its reads come from `grantReadData`). */
export const tableWriteActions = [
  'dynamodb:BatchWriteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/**
 * The table's write actions, on items whose partition key starts with `prefix` only.
 * `dynamodb:LeadingKeys` is the partition key of every item a request writes (all of them, for a
 * BatchWriteItem), and ForAllValues makes each one match: a batch that slips one item outside the
 * prefix is refused whole. Every write names its key, so the set a write presents is never empty.
 * On the table alone: items are written to the table, never to an index.
 */
function restrictedWriteStatement(table: ITable, prefix: string): PolicyStatement {
  if (prefix === '' || /[*?]/.test(prefix)) {
    throw new Error(`A leading-key prefix must be literal and non-empty, got ${JSON.stringify(prefix)}`);
  }
  return new PolicyStatement({
    actions: [...tableWriteActions],
    resources: [table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] } },
  });
}

export interface AppFunctionProps {
  /** Short name, e.g. `contacts`; the function is named `resourceName(stage, name)`. */
  name: string;
  /** Handler entry file relative to the repository root (`functions/<name>/<name>.handler.ts`). */
  entry: string;
  stage: string;
  logLevel: string;
  logRetention: RetentionDays;
  retainLogs: boolean;
  /** @default 10 seconds, well under the HTTP API's 30 s integration timeout. */
  timeout?: Duration;
}

/**
 * One Lambda function with the house defaults: Node 22 on arm64, an ESM bundle built by
 * the local esbuild (no Docker, so synth works offline), source maps, active tracing, a log
 * group with a retention, and a role that starts with nothing but its own log group.
 * Table access is added only through {@link AppFunction.bindTable}, which sets the env var
 * and the grant together, so a function can never know a table it may not touch or be
 * granted one it does not know.
 */
export class AppFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const functionName = resourceName(props.stage, props.name);
    // Stage-free (`sms-contacts`): logs and metrics of every stage share one service name.
    const serviceName = functionName.slice(`${props.stage}-`.length);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // An own role instead of the AWSLambdaBasicExecutionRole managed policy: that one lets the
    // function write to every log group of the account, this one only to its own.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}`,
    });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName,
      entry: path.join(repoRoot, props.entry),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role,
      logGroup: this.logGroup,
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName,
        LOG_LEVEL: props.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: esmRequireBanner,
        // Ship the SDK version the lock file pins and the tests ran, not whatever the runtime carries.
        bundleAwsSDK: true,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
      },
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose: it is a supported LTS Lambda runtime and the one the bundles target (esbuild node22) and the handlers are tested for; moving to Node.js 24 is a deliberate upgrade, not a side effect of a cdk-nag update.',
    });
    Validations.of(this.defaultPolicy()).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions; the statement holds no other action.',
    });
  }

  /**
   * Hands the function a table: sets `envVar` to the table name and grants exactly the
   * data-plane actions `access` names, on the table and its indexes. With `writeLeadingKeyPrefix`,
   * `readWrite` still reads everything but writes only items whose partition key starts with it.
   */
  bindTable(
    table: ITable,
    access: TableAccess,
    envVar: string,
    options: { writeLeadingKeyPrefix?: string } = {},
  ): void {
    this.function.addEnvironment(envVar, table.tableName);
    const prefix = options.writeLeadingKeyPrefix;
    if (access === 'readWrite' && prefix !== undefined) {
      table.grantReadData(this.function);
      this.function.addToRolePolicy(restrictedWriteStatement(table, prefix));
    } else if (access === 'readWrite') table.grantReadWriteData(this.function);
    else table.grantReadData(this.function);
    Validations.of(this.defaultPolicy()).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${tableArnInFindings(this, table)}/index/*]`,
      reason: `Queries on the global secondary indexes of the table in ${envVar} need the index ARNs; the wildcard covers that one table's indexes and nothing else.`,
    });
  }

  /**
   * Lets the function send to a queue: sets `envVar` to the queue URL and grants
   * `sqs:SendMessage` (with the attribute and URL lookups the SDK may do) on that queue only.
   */
  bindQueue(queue: IQueue, envVar: string): void {
    this.function.addEnvironment(envVar, queue.queueUrl);
    queue.grantSendMessages(this.function);
  }

  /**
   * Makes the function the consumer of a queue: batches of `batchSize`, failed records
   * reported one by one (partial batch responses, so one bad record does not redeliver its
   * batch), at most `maxConcurrency` invocations at once when given, and, with
   * `maxBatchingWindow`, Lambda waiting up to that long to fill a batch (required by SQS event
   * sources for batches above 10).
   */
  consumeQueue(
    queue: IQueue,
    options: { batchSize: number; maxConcurrency?: number; maxBatchingWindow?: Duration },
  ): void {
    this.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: options.batchSize,
        reportBatchItemFailures: true,
        ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
        ...(options.maxBatchingWindow ? { maxBatchingWindow: options.maxBatchingWindow } : {}),
      }),
    );
  }

  /**
   * Tells the function where every messaging resource is (queue URLs, schedule group, scheduler
   * role, configuration set), as the campaign deps factory reads them at cold start. Grants
   * nothing: see {@link bindQueue}, {@link consumeQueue}, {@link bindScheduler}, {@link bindSmsSending}.
   */
  locateMessaging(messaging: MessagingResources): void {
    for (const [name, value] of Object.entries(messagingEnvironment(messaging))) {
      this.function.addEnvironment(name, value);
    }
  }

  /**
   * Lets the function create, replace and delete one-time schedules of the app's group, which
   * deliver campaign launches (launch queue) and workflow timers (workflows queue): the group and
   * targets in env vars, the schedule actions on that group's schedules only, and `iam:PassRole`
   * of the scheduler role to EventBridge Scheduler only. UpdateSchedule is granted because
   * creating a taken name replaces the schedule.
   */
  bindScheduler(scheduling: SchedulingResources): void {
    const fn = this.function;
    fn.addEnvironment(schedulerEnvVars.groupName, scheduling.groupName);
    fn.addEnvironment(schedulerEnvVars.roleArn, scheduling.role.roleArn);
    fn.addEnvironment(schedulerEnvVars.launcherTargetArn, scheduling.launchQueue.queueArn);
    fn.addEnvironment(schedulerEnvVars.workflowsTargetArn, scheduling.workflowsQueue.queueArn);
    fn.addEnvironment(schedulerEnvVars.deadLetterArn, scheduling.deadLetterQueue.queueArn);
    const schedulesArn = Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${scheduling.groupName}/*`,
    });
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [schedulesArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [scheduling.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(this.defaultPolicy()).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${scheduling.groupName}/*]`,
      reason: `Schedules are named at runtime after the campaign they launch or the minute of workflow timers they deliver; the wildcard covers only the schedules of the ${scheduling.groupName} group, and only to create, replace and delete them.`,
    });
  }

  /**
   * Lets the function send SMS: `sms-voice:SendTextMessage` through the app's configuration set
   * and from the stage's origination identities only, with the set's name in an env var.
   */
  bindSmsSending(configurationSet: SmsConfigurationSet, originationIdentityArns: readonly string[]): void {
    this.function.addEnvironment(SMS_CONFIGURATION_SET_ENV_VAR, configurationSet.name);
    const configurationSetArn = Stack.of(this).formatArn({
      service: 'sms-voice',
      resource: 'configuration-set',
      resourceName: configurationSet.name,
    });
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: [configurationSetArn, ...originationIdentityArns],
      }),
    );
  }

  /** The role's inline policy, where tracing and grants put their statements. */
  private defaultPolicy(): Construct {
    return this.function.role!.node.findChild('DefaultPolicy') as Construct;
  }
}
