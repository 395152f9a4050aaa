import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resourceName } from '../config';

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
   * data-plane actions `access` names, on the table and its indexes.
   */
  bindTable(table: ITable, access: TableAccess, envVar: string): void {
    this.function.addEnvironment(envVar, table.tableName);
    if (access === 'readWrite') table.grantReadWriteData(this.function);
    else table.grantReadData(this.function);
    Validations.of(this.defaultPolicy()).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${tableArnInFindings(this, table)}/index/*]`,
      reason: `Queries on the global secondary indexes of the table in ${envVar} need the index ARNs; the wildcard covers that one table's indexes and nothing else.`,
    });
  }

  /** The role's inline policy, where tracing and grants put their statements. */
  private defaultPolicy(): Construct {
    return this.function.role!.node.findChild('DefaultPolicy') as Construct;
  }
}
