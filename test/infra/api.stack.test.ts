import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import {
  type AdminFunctionName,
  type ApiFunctionName,
  type ApiFunctionSpec,
  adminFunctions,
  adminRoutes,
  apiFunctions,
  apiRoutes,
} from '../../functions/routes';
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

type FunctionName = ApiFunctionName | AdminFunctionName;

/** The tenants' functions and the operators' ones: the API stack builds both alike. */
const functionEntries = [...Object.entries(apiFunctions), ...Object.entries(adminFunctions)] as [
  FunctionName,
  ApiFunctionSpec,
][];

describe('API stack', () => {
  let synth: SynthesizedApp;
  let template: Template;
  let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  /** How the API stack refers to the stateful stack's tables, queues and scheduler role (CloudFormation imports). */
  let refs: StatefulReferences;

  const functionId = (name: FunctionName) =>
    logicalIdOf(template, 'AWS::Lambda::Function', { FunctionName: resourceName('dev', name) });

  /** The parts of a function's properties the tests follow to its role, log group and environment. */
  const functionProps = (name: FunctionName) =>
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

  /** The logical id of the HTTP API named `name` (`dev-sms-api`, `dev-sms-admin-api`). */
  const apiId = (name: string) => logicalIdOf(template, 'AWS::ApiGatewayV2::Api', { Name: resourceName('dev', name) });
  /** Routes of one HTTP API, as `[logicalId, resource]`. */
  const routesOf = (api: string) =>
    resourcesOfType(template, 'AWS::ApiGatewayV2::Route').filter(
      ([, route]) => JSON.stringify(route.Properties?.ApiId) === JSON.stringify({ Ref: apiId(api) }),
    );
  /** The integration a route invokes must be its function's, proxied with payload 2.0. */
  const expectIntegration = (routeKey: string, api: string, name: FunctionName) => {
    const [, routeResource] = routesOf(api).find(([, route]) => route.Properties?.RouteKey === routeKey)!;
    const target = routeResource.Properties!.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integrationId = target['Fn::Join'][1][1].Ref;
    expect(resources[integrationId]!.Properties).toMatchObject({
      ApiId: { Ref: apiId(api) },
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [functionId(name), 'Arn'] },
    });
  };

  it("has two HTTP APIs: the tenants' and the operators' (admin)", () => {
    const names = resourcesOfType(template, 'AWS::ApiGatewayV2::Api').map(([, api]) => api.Properties?.Name);
    expect(names.sort()).toEqual(['dev-sms-admin-api', 'dev-sms-api']);
  });

  describe('routes', () => {
    it("has exactly one route per entry of functions/routes.ts on the tenants' API", () => {
      const routeKeys = routesOf('api').map(([, r]) => r.Properties?.RouteKey);
      expect(routeKeys.sort()).toEqual(apiRoutes.map((route) => `${route.method} ${route.path}`).sort());
    });

    it('leaves only GET /v1/openapi.json and the short-link redirect GET /l/{code} public, in either API', () => {
      const expected = ['GET /l/{code}', 'GET /v1/openapi.json'];
      expect(
        apiRoutes
          .filter((route) => route.public)
          .map((route) => `${route.method} ${route.path}`)
          .sort(),
      ).toEqual(expected);
      const publicRoutes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route')
        .filter(([, r]) => r.Properties?.AuthorizationType !== 'JWT' && r.Properties?.AuthorizationType !== 'AWS_IAM')
        .map(([, r]) => r.Properties?.RouteKey);
      expect(publicRoutes.sort()).toEqual(expected);
      const tenantRoutesOffJwt = routesOf('api')
        .filter(([, r]) => r.Properties?.AuthorizationType !== 'JWT')
        .map(([, r]) => r.Properties?.RouteKey);
      expect(tenantRoutesOffJwt.sort()).toEqual(expected);
    });

    it('throttles the public short-link redirect with a limit of its own, never above the stage (dev: 50/100)', () => {
      const route = apiRoutes.find((candidate) => candidate.path === '/l/{code}');
      expect(route?.throttle).toBeDefined();
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        ApiId: { Ref: apiId('api') },
        RouteSettings: {
          'GET /l/{code}': {
            ThrottlingRateLimit: Math.min(route?.throttle?.rateLimit ?? Number.NaN, 50),
            ThrottlingBurstLimit: Math.min(route?.throttle?.burstLimit ?? Number.NaN, 100),
          },
        },
      });
    });

    it.each(apiRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
      '%s has the right authorizer and invokes its function with payload 2.0',
      (routeKey, route) => {
        const authorizerId = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
        template.hasResourceProperties(
          'AWS::ApiGatewayV2::Route',
          route.public
            ? {
                ApiId: { Ref: apiId('api') },
                RouteKey: routeKey,
                AuthorizationType: 'NONE',
                AuthorizerId: Match.absent(),
              }
            : {
                ApiId: { Ref: apiId('api') },
                RouteKey: routeKey,
                AuthorizationType: 'JWT',
                AuthorizerId: { Ref: authorizerId },
              },
        );
        expectIntegration(routeKey, 'api', route.function);
      },
    );

    it("trusts only ID tokens of the stateful stack's user pool, issued to the web client", () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        ApiId: { Ref: apiId('api') },
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [refs.webClientId],
          Issuer: {
            'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', refs.userPoolId]],
          },
        },
      });
    });

    it('throttles the stage and writes JSON access logs to a log group with a retention', () => {
      const { apiThrottle, logRetention } = synth.config;
      const stage = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage').filter(
        ([, s]) => JSON.stringify(s.Properties?.ApiId) === JSON.stringify({ Ref: apiId('api') }),
      );
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

  describe('admin API', () => {
    it('has exactly the routes of adminRoutes, and nothing else', () => {
      const routeKeys = routesOf('admin-api').map(([, r]) => r.Properties?.RouteKey);
      expect(routeKeys.sort()).toEqual(adminRoutes.map((route) => `${route.method} ${route.path}`).sort());
      // No admin path on the tenants' API, no tenant path on the admin API.
      expect(routesOf('api').filter(([, r]) => String(r.Properties?.RouteKey).includes('/admin/'))).toEqual([]);
    });

    it.each(adminRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
      '%s requires a SigV4-signed request (AWS_IAM) and invokes its function with payload 2.0',
      (routeKey, route) => {
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          ApiId: { Ref: apiId('admin-api') },
          RouteKey: routeKey,
          AuthorizationType: 'AWS_IAM',
          AuthorizerId: Match.absent(),
        });
        expectIntegration(routeKey, 'admin-api', route.function);
      },
    );

    it('takes no browser calls (no CORS) and has a throttle and an access log naming the IAM caller', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        Name: 'dev-sms-admin-api',
        ProtocolType: 'HTTP',
        CorsConfiguration: Match.absent(),
      });
      const stages = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage').filter(
        ([, s]) => JSON.stringify(s.Properties?.ApiId) === JSON.stringify({ Ref: apiId('admin-api') }),
      );
      expect(stages).toHaveLength(1);
      const properties = stages[0]![1].Properties!;
      expect(properties).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) },
      });
      const { DestinationArn, Format } = properties.AccessLogSettings as {
        DestinationArn: { 'Fn::GetAtt': [string, string] };
        Format: string;
      };
      expect(JSON.parse(Format)).toMatchObject({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        callerArn: '$context.identity.userArn',
      });
      expect(resources[DestinationArn['Fn::GetAtt'][0]]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: {
          LogGroupName: '/aws/apigateway/dev-sms-admin-api-access',
          RetentionInDays: synth.config.logRetention,
        },
      });
    });

    it('offers operators a managed policy that invokes exactly the admin routes (path parameters as *)', () => {
      const policies = resourcesOfType(template, 'AWS::IAM::ManagedPolicy');
      expect(policies).toHaveLength(1);
      const document = policies[0]![1].Properties!.PolicyDocument as { Statement: Record<string, unknown>[] };
      expect(policies[0]![1].Properties).toMatchObject({ ManagedPolicyName: 'dev-sms-admin-api-invoke' });
      expect(document.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: adminRoutes.map((route) => ({
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':execute-api:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':',
                { Ref: apiId('admin-api') },
                `/$default/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`,
              ],
            ],
          })),
        },
      ]);
      // Nobody is given it by the stack: an operator's role or group attaches it.
      expect(policies[0]![1].Properties).not.toHaveProperty('Roles');
      expect(policies[0]![1].Properties).not.toHaveProperty('Users');
      expect(policies[0]![1].Properties).not.toHaveProperty('Groups');
    });

    it('does not let any function of the app invoke an API', () => {
      for (const stackTemplate of [synth.apiTemplate, synth.messagingTemplate, synth.statefulTemplate]) {
        for (const [, policy] of resourcesOfType(stackTemplate, 'AWS::IAM::Policy')) {
          expect(JSON.stringify(policy.Properties?.PolicyDocument)).not.toContain('execute-api');
        }
      }
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
    const statementsOf = (name: FunctionName) => functionStatements(template, resourceName('dev', name));

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

  it('has one function per entry of apiFunctions and adminFunctions and no policy outside their roles', () => {
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

  it('holds no user pool: the stateful stack does, and this stack only refers to it', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
  });

  describe('number registry', () => {
    const statementsOf = (name: FunctionName) => functionStatements(template, resourceName('dev', name));
    const readers = functionEntries.filter(([, spec]) => spec.tables.numbers === 'read').map(([name]) => name);
    const writers = functionEntries.filter(([, spec]) => spec.tables.numbers === 'readWrite').map(([name]) => name);

    it('is read by settings, campaigns and numbers, and written only by the admin function', () => {
      expect(readers.sort()).toEqual(['campaigns', 'numbers', 'settings']);
      expect(writers).toEqual(['numbersAdmin']);
      expect(Object.keys(adminFunctions)).toEqual(['numbersAdmin']);
    });

    it.each([
      ['settings', 'read'],
      ['campaigns', 'read'],
      ['numbers', 'read'],
      ['numbersAdmin', 'readWrite'],
    ] as const)('%s finds it in NUMBERS_TABLE_NAME and may %s it, on the table and its indexes', (name, access) => {
      expect(functionProps(name).Environment.Variables.NUMBERS_TABLE_NAME).toEqual(refs.tables.numbers.name);
      const spec = functionEntries.find(([entry]) => entry === name)![1];
      expect(spec.tables.numbers).toBe(access);
      expectTableGrants(statementsOf(name), refs, spec.tables);
    });

    it('is unknown to every other API function (no env var, no grant)', () => {
      for (const [name] of functionEntries.filter(([, spec]) => spec.tables.numbers === undefined)) {
        expect({ name, variable: functionProps(name).Environment.Variables.NUMBERS_TABLE_NAME }).toEqual({
          name,
          variable: undefined,
        });
        expect(JSON.stringify(statementsOf(name))).not.toContain(JSON.stringify(refs.tables.numbers.arn));
      }
    });
  });
});
