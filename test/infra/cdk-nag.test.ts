import { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { adminFunctions, adminRoutes, apiFunctions, apiRoutes } from '../../functions/routes';
import { resourceName } from '../../infra/config';
import { workers } from '../../infra/stacks/messaging.stack';
import type { TableGrants, TableName } from '../../infra/tables';
import {
  acknowledgements,
  constructPathOf,
  logicalIdOf,
  resourcesOfType,
  type SynthesizedApp,
  synthApp,
} from './synth-app';

/** What the web stack acknowledges, each on the construct it concerns. */
function webAcknowledgements(synth: SynthesizedApp): string[] {
  const handler = synth.web.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  const handlerPath = handler?.node.path ?? 'missing BucketDeployment handler';
  const siteArn = `<${synth.web.getLogicalId(synth.web.bucket.node.defaultChild as CfnBucket)}.Arn>`;
  return [
    `${synth.web.logs.node.path} AwsSolutions-S1`,
    ...['CFR1', 'CFR2', 'CFR3', 'CFR4'].map((rule) => `${synth.web.distribution.node.path} AwsSolutions-${rule}`),
    `${handlerPath} AwsSolutions-L1`,
    `${handlerPath} AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`,
    ...[
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      `Resource::${siteArn}/*`,
      'Resource::*',
    ].map((finding) => `${handlerPath}/ServiceRole/DefaultPolicy AwsSolutions-IAM5[${finding}]`),
  ];
}

// cdk-nag findings do not depend on the bundles' content; esbuild is skipped here.
describe('cdk-nag AwsSolutions', () => {
  let synth: SynthesizedApp;

  beforeAll(() => {
    synth = synthApp({ bundle: false });
  });
  afterAll(() => synth?.cleanup());

  it('finds nothing unacknowledged in the app, warnings included', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.app);
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
    expect(findings).toEqual([]);
  });

  it('acknowledges exactly the reviewed findings, each on the construct it concerns', () => {
    const api = synth.apiTemplate;
    const constructPath = (logicalId: string) => constructPathOf(synth.api, logicalId);
    const tableArnExport = (table: TableName) =>
      Object.values(
        synth.statefulTemplate.findOutputs('*', {
          Value: {
            'Fn::GetAtt': [
              logicalIdOf(synth.statefulTemplate, 'AWS::DynamoDB::Table', { TableName: `dev-sms-${table}` }),
              'Arn',
            ],
          },
        }),
      ).map((output) => (output as { Export: { Name: string } }).Export.Name)[0];

    /** What every AppFunction acknowledges: the pinned runtime, X-Ray's `*`, and each table's index wildcard. */
    const functionAcknowledgements = (functionPath: string, tables: TableGrants, schedules: boolean) => {
      const policyPath = functionPath.replace(/\/Function$/, '/Role/DefaultPolicy');
      return [
        `${functionPath} AwsSolutions-L1`,
        `${policyPath} AwsSolutions-IAM5[Resource::*]`,
        ...(Object.keys(tables) as TableName[]).map(
          (table) => `${policyPath} AwsSolutions-IAM5[Resource::${tableArnExport(table)}/index/*]`,
        ),
        ...(schedules
          ? [
              `${policyPath} AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/dev-sms-schedules/*]`,
            ]
          : []),
      ];
    };

    const expected = [
      ...[...Object.entries(apiFunctions), ...Object.entries(adminFunctions)].flatMap(([name, spec]) =>
        functionAcknowledgements(
          constructPath(logicalIdOf(api, 'AWS::Lambda::Function', { FunctionName: resourceName('dev', name) })),
          spec.tables,
          'messaging' in spec && spec.messaging.schedules === true,
        ),
      ),
      ...Object.entries(workers).flatMap(([name, spec]) =>
        functionAcknowledgements(
          constructPathOf(
            synth.messaging,
            logicalIdOf(synth.messagingTemplate, 'AWS::Lambda::Function', { FunctionName: resourceName('dev', name) }),
          ),
          spec.tables,
          'schedules' in spec && spec.schedules === true,
        ),
      ),
      ...apiRoutes
        .filter((route) => route.public)
        .map(
          (route) =>
            `${constructPath(logicalIdOf(api, 'AWS::ApiGatewayV2::Route', { RouteKey: `${route.method} ${route.path}` }))} AwsSolutions-APIG4`,
        ),
      // Dev stages run without Cognito threat protection (see stage-config.test.ts for prod); the pool is state.
      `${constructPathOf(synth.stateful, resourcesOfType(synth.statefulTemplate, 'AWS::Cognito::UserPool')[0]![0])} AwsSolutions-COG8`,
      // The operators' invoke policy: a route's path parameter, and nothing else, is a wildcard.
      ...adminRoutes
        .filter((route) => route.path.includes('{'))
        .map(
          (route) =>
            `${constructPath(resourcesOfType(api, 'AWS::IAM::ManagedPolicy')[0]![0])} AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalIdOf(api, 'AWS::ApiGatewayV2::Api', { Name: 'dev-sms-admin-api' })}>/$default/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}]`,
        ),
      // The web console's stack: the log bucket itself, CloudFront without geo rules, WAF, its own logs or a custom
      // certificate, and
      // CDK's BucketDeployment function (see web.stack.test.ts).
      ...webAcknowledgements(synth),
      // EventBridge Scheduler dead-letters into this queue per schedule; no queue redrives to it.
      `${constructPathOf(synth.stateful, logicalIdOf(synth.statefulTemplate, 'AWS::SQS::Queue', { QueueName: 'dev-sms-schedules-dlq' }))} AwsSolutions-SQS3`,
    ];

    const actual = acknowledgements(synth.app).map((ack) => `${ack.path} ${ack.id}`);
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('gives every acknowledgement a specific reason', () => {
    const acks = acknowledgements(synth.app);
    expect(acks.length).toBeGreaterThan(0);
    const vague = acks.filter((ack) => ack.reason.length < 80 || /\b(todo|tbd|fixme|temporary)\b/i.test(ack.reason));
    expect(vague).toEqual([]);
  });

  it('fails the synth when a resource breaks a rule (the checks are wired into the app)', () => {
    expect(() =>
      synthApp({
        bundle: false,
        customize: ({ api }) => {
          new UserPool(api, 'UnreviewedPool');
        },
      }),
    ).toThrow(/AwsSolutions-COG1[\s\S]*SmsApi\/UnreviewedPool/);
  });
});
