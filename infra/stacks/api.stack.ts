import {
  type CfnElement,
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  type AdminFunctionName,
  type ApiFunctionName,
  type ApiFunctionSpec,
  adminFunctions,
  adminRoutes,
  apiFunctions,
  apiRoutes,
} from '../../functions/routes';
import { resourceName, type StageConfig } from '../config';
import { AppFunction, type TableAccess } from '../constructs/app-function';
import { type MessagingResources, queueEnvVars } from '../messaging';
import { type TableName, tableEnvVars } from '../tables';

export { type TableName, tableEnvVars } from '../tables';

export interface ApiStackProps extends StackProps {
  config: StageConfig;
  tables: Record<TableName, ITable>;
  /** Queues, schedules and the configuration set, for the functions `functions/routes.ts` gives `messaging`. */
  messaging: MessagingResources;
  /** The stateful stack's user pool and the web client whose ID tokens the JWT authorizer accepts. */
  users: { userPool: IUserPool; webClient: IUserPoolClient };
}

/** Requests per second of the operators' API: a handful of people assigning numbers, never a client app. */
const ADMIN_API_THROTTLE = { rateLimit: 5, burstLimit: 10 };

/** JSON access log line; `requestId` lets support match a client's error to the handler's log. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    userSub: '$context.authorizer.claims.sub',
  }),
);

/** The admin API's access log: who (the signed request's IAM principal) did what, for the audit trail. */
const adminAccessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    integrationError: '$context.integrationErrorMessage',
    callerArn: '$context.identity.userArn',
    callerAccount: '$context.identity.accountId',
  }),
);

/** `('GET', '/v1/contacts/{id}')` -> `GetV1ContactsId`, `('smsPreview', 'function')` -> `SmsPreviewFunction`: construct ids. */
const pascalCase = (...parts: string[]): string =>
  parts
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((word) => (word === word.toUpperCase() ? word.toLowerCase() : word))
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

/**
 * The stateless front doors and their functions, from the route tables of `functions/routes.ts`:
 *
 * - The tenants' HTTP API: a Cognito JWT authorizer (the stateful stack's user pool) and one
 *   function per entry of `apiFunctions`. Routes and grants come from that one table (tables, and
 *   for functions with `messaging` the queues they send to and the schedules they manage), so the
 *   API here and the local server cannot disagree about which routes exist, and every route but the
 *   public OpenAPI document requires a token whose `custom:tenantId` claim reaches the handler.
 * - The operators' admin API (`adminRoutes`: sender numbers and unrouted texts), IAM-authorized.
 */
export class ApiStack extends Stack {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<ApiFunctionName, AppFunction>;
  /**
   * The operators' API, apart from the tenants' one: no CORS (no browser calls it), no JWT
   * authorizer to fall back to, its own throttle and an access log naming the IAM caller. A route
   * added to the tenants' table can thus never become an admin route, nor the other way round.
   */
  readonly adminApi: HttpApi;
  readonly adminStage: HttpStage;
  readonly adminFunctions: Record<AdminFunctionName, AppFunction>;
  /** What an operator's role or group needs to call the admin API: `execute-api:Invoke` on its routes. */
  readonly adminInvokePolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Tables arrive as strong references (export/import): CloudFormation refuses to delete a
    // table of the stateful stack while a function here still uses it.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, tables } = props;

    const { userPool, webClient } = props.users;

    // Frontends send the ID token: only it carries custom:tenantId, and its audience is the app client.
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${userPool.userPoolId}`;
    const jwtAuthorizer = new HttpJwtAuthorizer('CognitoJwt', issuer, {
      authorizerName: resourceName(config.stage, 'cognito-jwt'),
      jwtAudience: [webClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });

    /** One AppFunction per route-table entry, with exactly the tables, queues and schedules it names. */
    const functionFor = (name: string, spec: ApiFunctionSpec): AppFunction => {
      const fn = new AppFunction(this, pascalCase(name, 'function'), {
        name,
        entry: spec.entry,
        stage: config.stage,
        logLevel: config.logLevel,
        logRetention: config.logRetention,
        retainLogs: config.retainLogs,
      });
      for (const [table, access] of Object.entries(spec.tables) as [TableName, TableAccess][]) {
        fn.bindTable(tables[table], access, tableEnvVars[table]);
      }
      // The composer counts tracked links at the length of the short links they become.
      if (config.shortLinkBaseUrl) fn.function.addEnvironment('SHORT_LINK_BASE_URL', config.shortLinkBaseUrl);
      const messaging = spec.messaging;
      if (messaging) {
        fn.locateMessaging(props.messaging);
        for (const queue of messaging.sendsTo ?? []) {
          fn.bindQueue(props.messaging.queues[queue], queueEnvVars[queue]);
        }
        if (messaging.schedules) fn.bindScheduler(props.messaging.scheduling);
      }
      return fn;
    };

    this.functions = Object.fromEntries(
      Object.entries(apiFunctions).map(([name, spec]) => [name, functionFor(name, spec)]),
    ) as Record<ApiFunctionName, AppFunction>;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: resourceName(config.stage, 'api'),
      description: 'SMS campaigns and contacts API of the CRM',
      createDefaultStage: false,
      // A route added without an explicit authorizer still requires a token.
      defaultAuthorizer: jwtAuthorizer,
      ...(config.corsAllowOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: config.corsAllowOrigins,
              allowMethods: [
                CorsHttpMethod.GET,
                CorsHttpMethod.POST,
                CorsHttpMethod.PATCH,
                CorsHttpMethod.PUT,
                CorsHttpMethod.DELETE,
              ],
              allowHeaders: ['authorization', 'content-type'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    /** A `$default` stage with its own access log group. */
    const loggedStage = (
      id: string,
      httpApi: HttpApi,
      log: { id: string; name: string; format: AccessLogFormat },
      throttle: StageConfig['apiThrottle'],
    ) => {
      const logs = new LogGroup(this, log.id, {
        logGroupName: `/aws/apigateway/${resourceName(config.stage, log.name)}`,
        retention: config.logRetention,
        removalPolicy: config.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      return new HttpStage(this, id, {
        httpApi,
        stageName: '$default',
        autoDeploy: true,
        throttle,
        accessLogSettings: { destination: new LogGroupLogDestination(logs), format: log.format },
      });
    };
    /** One Lambda integration per function, by name. */
    const integrationsOf = <Name extends string>(functions: Record<Name, AppFunction>) =>
      Object.fromEntries(
        Object.entries<AppFunction>(functions).map(([name, fn]) => [
          name,
          new HttpLambdaIntegration(pascalCase(name, 'integration'), fn.function),
        ]),
      ) as Record<Name, HttpLambdaIntegration>;

    this.stage = loggedStage(
      'DefaultStage',
      this.httpApi,
      { id: 'AccessLogs', name: 'api-access', format: accessLogFormat },
      config.apiThrottle,
    );
    const integrations = integrationsOf<ApiFunctionName>(this.functions);

    for (const route of apiRoutes) {
      const httpRoute = new HttpRoute(this, pascalCase(route.method, route.path), {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations[route.function],
        authorizer: route.public ? new HttpNoneAuthorizer() : jwtAuthorizer,
      });
      if (route.public) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (marked public in functions/routes.ts): ${route.publicReason ?? 'it serves the API description that clients fetch before signing in and holds no tenant data'}.`,
        });
      }
    }
    // Routes with a throttle of their own (public ones anyone can call) are held below the stage's limit.
    const routeSettings = Object.fromEntries(
      apiRoutes
        .filter((route) => route.throttle)
        .map((route) => [
          `${route.method} ${route.path}`,
          {
            // Never above the stage's own limits.
            ThrottlingRateLimit: Math.min(route.throttle?.rateLimit ?? 0, config.apiThrottle.rateLimit),
            ThrottlingBurstLimit: Math.min(route.throttle?.burstLimit ?? 0, config.apiThrottle.burstLimit),
          },
        ]),
    );
    if (Object.keys(routeSettings).length > 0) {
      (this.stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', routeSettings);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });

    // The operators' API.
    this.adminFunctions = Object.fromEntries(
      Object.entries(adminFunctions).map(([name, spec]) => [name, functionFor(name, spec)]),
    ) as Record<AdminFunctionName, AppFunction>;
    const iamAuthorizer = new HttpIamAuthorizer();
    this.adminApi = new HttpApi(this, 'AdminHttpApi', {
      apiName: resourceName(config.stage, 'admin-api'),
      description:
        "Operators' API of the SMS engine (sender numbers, unrouted inbound texts): SigV4-signed requests only",
      createDefaultStage: false,
      // A route added without an explicit authorizer still requires a signed request.
      defaultAuthorizer: iamAuthorizer,
    });
    this.adminStage = loggedStage(
      'AdminDefaultStage',
      this.adminApi,
      { id: 'AdminAccessLogs', name: 'admin-api-access', format: adminAccessLogFormat },
      ADMIN_API_THROTTLE,
    );
    const adminIntegrations = integrationsOf<AdminFunctionName>(this.adminFunctions);
    for (const route of adminRoutes) {
      new HttpRoute(this, pascalCase('Admin', route.method, route.path), {
        httpApi: this.adminApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: adminIntegrations[route.function],
        authorizer: iamAuthorizer,
      });
    }

    // Operators get the right to call the admin routes by attaching this policy (nothing else in
    // the app grants execute-api:Invoke); path parameters are the only wildcards.
    const adminRouteArns = adminRoutes.map((route) =>
      this.adminApi.arnForExecuteApi(route.method, route.path.replace(/\{[^}]+\}/g, '*'), this.adminStage.stageName),
    );
    this.adminInvokePolicy = new ManagedPolicy(this, 'AdminInvokePolicy', {
      managedPolicyName: resourceName(config.stage, 'admin-api-invoke'),
      description: `Lets an operator call the ${config.stage} SMS engine admin API (sender numbers, unrouted texts)`,
      statements: [new PolicyStatement({ actions: ['execute-api:Invoke'], resources: adminRouteArns })],
    });
    const wildcardRoutes = adminRoutes.filter((route) => route.path.includes('{'));
    for (const route of wildcardRoutes) {
      Validations.of(this.adminInvokePolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${this.getLogicalId(this.adminApi.node.defaultChild as CfnElement)}>/$default/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}]`,
        reason: `${route.method} ${route.path} takes its id in the path: the wildcard stands for that one path segment of that one route of the admin API, which an operator may call for any id.`,
      });
    }

    new CfnOutput(this, 'AdminApiUrl', {
      value: this.adminStage.url,
      description: 'Operators call it with SigV4-signed requests (awscurl --service execute-api ...)',
    });
    new CfnOutput(this, 'AdminInvokePolicyArn', {
      value: this.adminInvokePolicy.managedPolicyArn,
      description: "Attach to an operator's role or group to let it call the admin API",
    });
  }
}
