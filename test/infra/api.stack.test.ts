import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { type ApiFunctionName, apiFunctions, apiRoutes } from '../../functions/routes';
import { resourceName } from '../../infra/config';
import {
  baseStatements,
  expectTableGrants,
  functionStatements,
  messagingEnvironment,
  type StatefulReferences,
  schedulerStatements,
  sendToQueueStatement,
  sortStatements,
  statefulReferences,
  tableEnvironment,
} from './references';
import { logicalIdOf, resourcesOfType, type SynthesizedApp, synthApp } from './synth-app';

const functionEntries = Object.entries(apiFunctions) as [ApiFunctionName, (typeof apiFunctions)[ApiFunctionName]][];

describe('API stack', () => {
  let synth: SynthesizedApp;
  let template: Template;
  let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  /** How the API stack refers to the stateful stack's tables, queues and scheduler role (CloudFormation imports). */
  let refs: StatefulReferences;

  const functionId = (name: ApiFunctionName) =>
    logicalIdOf(template, 'AWS::Lambda::Function', { FunctionName: resourceName('dev', name) });

  /** The parts of a function's properties the tests follow to its role, log group and environment. */
  const functionProps = (name: ApiFunctionName) =>
    resources[functionId(name)]!.Properties as {
      Role: { 'Fn::GetAtt': [string, string] };
      LoggingConfig: { LogGroup: { Ref: string } };
      Environment: { Variables: Record<string, unknown> };
    };

  beforeAll(() => {
    // Schema-validated as `cdk synth` does it; the bundles themselves are handler-bundle.test.ts's business.
    synth = synthApp({ bundle: false, validateTemplates: true });
    template = synth.apiTemplate;
    resources = template.toJSON().Resources;
    refs = statefulReferences(synth);
  });
  afterAll(() => synth?.cleanup());

  it('passes CloudFormation schema validation without a finding, in every stack', () => {
    const report = JSON.parse(readFileSync(join(synth.outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });

  describe('routes', () => {
    it('has exactly one route per entry of functions/routes.ts', () => {
      const routeKeys = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties?.RouteKey);
      expect(routeKeys.sort()).toEqual(apiRoutes.map((route) => `${route.method} ${route.path}`).sort());
    });

    it('leaves only GET /v1/openapi.json public', () => {
      expect(apiRoutes.filter((route) => route.public).map((route) => `${route.method} ${route.path}`)).toEqual([
        'GET /v1/openapi.json',
      ]);
      const publicRoutes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route')
        .filter(([, r]) => r.Properties?.AuthorizationType !== 'JWT')
        .map(([, r]) => r.Properties?.RouteKey);
      expect(publicRoutes).toEqual(['GET /v1/openapi.json']);
    });

    it.each(apiRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
      '%s has the right authorizer and invokes its function with payload 2.0',
      (routeKey, route) => {
        const authorizerId = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
        template.hasResourceProperties(
          'AWS::ApiGatewayV2::Route',
          route.public
            ? { RouteKey: routeKey, AuthorizationType: 'NONE', AuthorizerId: Match.absent() }
            : { RouteKey: routeKey, AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } },
        );
        const routeResource = resources[logicalIdOf(template, 'AWS::ApiGatewayV2::Route', { RouteKey: routeKey })]!;
        const target = routeResource.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
        const integrationId = target['Fn::Join'][1][1].Ref;
        expect(resources[integrationId]!.Properties).toMatchObject({
          IntegrationType: 'AWS_PROXY',
          PayloadFormatVersion: '2.0',
          IntegrationUri: { 'Fn::GetAtt': [functionId(route.function), 'Arn'] },
        });
      },
    );

    it("trusts only ID tokens of the stack's user pool, issued to the web client", () => {
      const userPoolId = logicalIdOf(template, 'AWS::Cognito::UserPool', { UserPoolName: 'dev-sms-users' });
      const clientId = logicalIdOf(template, 'AWS::Cognito::UserPoolClient', { ClientName: 'dev-sms-web' });
      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: clientId }],
          Issuer: {
            'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: userPoolId }]],
          },
        },
      });
    });

    it('throttles the stage and writes JSON access logs to a log group with a retention', () => {
      const { apiThrottle, logRetention } = synth.config;
      const stage = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
      expect(stage).toHaveLength(1);
      expect(stage[0]![1].Properties).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: apiThrottle.rateLimit,
          ThrottlingBurstLimit: apiThrottle.burstLimit,
        },
      });
      const { DestinationArn, Format } = stage[0]![1].Properties!.AccessLogSettings as {
        DestinationArn: { 'Fn::GetAtt': [string, string] };
        Format: string;
      };
      expect(JSON.parse(Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
      expect(resources[DestinationArn['Fn::GetAtt'][0]]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: logRetention },
      });
    });
  });

  describe.each(functionEntries)('function %s', (name, spec) => {
    it('runs the house defaults: Node 22 on arm64, 512 MB, active tracing, ESM bundle', () => {
      expect(resources[functionId(name)]!.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
    });

    it('gets its configuration, exactly the table names routes.ts lists and, with messaging, where the queues are', () => {
      const variables = functionProps(name).Environment.Variables;
      expect(variables).toEqual({
        POWERTOOLS_SERVICE_NAME: resourceName('dev', name).replace(/^dev-/, ''),
        LOG_LEVEL: synth.config.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...tableEnvironment(refs, spec.tables),
        ...('messaging' in spec ? messagingEnvironment(refs, 'dev') : {}),
      });
    });

    it('logs to its own log group, with a retention', () => {
      const logGroupId = functionProps(name).LoggingConfig.LogGroup.Ref;
      expect(resources[logGroupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: {
          LogGroupName: `/aws/lambda/${resourceName('dev', name)}`,
          RetentionInDays: synth.config.logRetention,
        },
      });
    });

    it('may use exactly the table actions routes.ts grants, each on its table and its indexes only', () => {
      expectTableGrants(functionStatements(template, resourceName('dev', name)), refs, spec.tables);
    });

    it('has nothing else: its own log group, X-Ray, the queues and schedules routes.ts names, no managed policy', () => {
      const roleId = functionProps(name).Role['Fn::GetAtt'][0];
      expect(resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
      const logGroupId = functionProps(name).LoggingConfig.LogGroup.Ref;
      const others = expectTableGrants(functionStatements(template, resourceName('dev', name)), refs, spec.tables);
      const messaging = 'messaging' in spec ? spec.messaging : undefined;
      expect(sortStatements(others)).toEqual(
        sortStatements([
          ...baseStatements(logGroupId),
          ...(messaging?.sendsTo ?? []).map((queue) => sendToQueueStatement(refs, queue)),
          ...(messaging?.schedules ? schedulerStatements(refs, 'dev') : []),
        ]),
      );
    });
  });

  describe('workflows', () => {
    const statementsOf = (name: ApiFunctionName) => functionStatements(template, resourceName('dev', name));

    it('the workflows function writes the workflows table and finds it in WORKFLOWS_TABLE_NAME', () => {
      expectTableGrants(statementsOf('workflows'), refs, {
        contacts: 'readWrite',
        campaigns: 'read',
        workflows: 'readWrite',
      });
      expect(functionProps('workflows').Environment.Variables).toMatchObject({
        WORKFLOWS_TABLE_NAME: refs.tables.workflows.name,
        WORKFLOWS_QUEUE_URL: refs.queues.workflows.url,
        EVENTS_QUEUE_URL: refs.queues.events.url,
      });
    });

    it('the workflows function publishes form events and re-arms resumed workflows, but manages no schedule', () => {
      const statements = statementsOf('workflows');
      expect(statements).toContainEqual(sendToQueueStatement(refs, 'events'));
      expect(statements).toContainEqual(sendToQueueStatement(refs, 'workflows'));
      expect(JSON.stringify(statements)).not.toContain('scheduler:');
      expect(JSON.stringify(statements)).not.toContain('iam:PassRole');
    });

    it('the contacts function publishes contact events and nothing else', () => {
      const statements = statementsOf('contacts');
      expect(statements).toContainEqual(sendToQueueStatement(refs, 'events'));
      const sqsResources = statements
        .filter((statement) => JSON.stringify(statement.Action).includes('sqs:'))
        .map((statement) => statement.Resource);
      expect(sqsResources).toEqual([refs.queues.events.arn]);
      expect(JSON.stringify(statements)).not.toContain('scheduler:');
    });

    it('only the campaigns function manages schedules among the API functions', () => {
      const schedulers = functionEntries
        .filter(([name]) => JSON.stringify(statementsOf(name)).includes('scheduler:CreateSchedule'))
        .map(([name]) => name);
      expect(schedulers).toEqual(['campaigns']);
    });
  });

  it('has one function per entry of apiFunctions and no policy outside their roles', () => {
    const names = resourcesOfType(template, 'AWS::Lambda::Function').map(([, fn]) => fn.Properties?.FunctionName);
    expect(names.sort()).toEqual(functionEntries.map(([name]) => resourceName('dev', name)).sort());
    const functionRoles = functionEntries.map(([name]) => functionProps(name).Role['Fn::GetAtt'][0]);
    for (const [, policy] of resourcesOfType(template, 'AWS::IAM::Policy')) {
      const roles = (policy.Properties!.Roles as { Ref: string }[]).map((role) => role.Ref);
      expect(functionRoles).toEqual(expect.arrayContaining(roles));
    }
  });

  it('keeps every log group of the app under a retention, without the deprecated LogRetention custom resource', () => {
    for (const stackTemplate of [synth.apiTemplate, synth.statefulTemplate, synth.messagingTemplate]) {
      stackTemplate.resourceCountIs('Custom::LogRetention', 0);
      for (const [, logGroup] of resourcesOfType(stackTemplate, 'AWS::Logs::LogGroup')) {
        expect(logGroup.Properties?.RetentionInDays).toBe(synth.config.logRetention);
      }
    }
  });

  describe('user pool', () => {
    it('admits users only when an administrator creates them, with MFA and a strong password', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
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
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Schema: Match.arrayWith([Match.objectLike({ Name: 'tenantId', AttributeDataType: 'String', Mutable: false })]),
      });
    });

    it('lets the web client read custom:tenantId but never write it', () => {
      const clients = resourcesOfType(template, 'AWS::Cognito::UserPoolClient');
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
