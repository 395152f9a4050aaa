import {
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
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type ApiFunctionName, type ApiFunctionSpec, apiFunctions, apiRoutes } from '../../functions/routes';
import { resourceName, type StageConfig } from '../config';
import { AppFunction, type TableAccess } from '../constructs/app-function';
import { TenantUserPool } from '../constructs/tenant-user-pool';
import { type MessagingResources, queueEnvVars } from '../messaging';
import { type TableName, tableEnvVars } from '../tables';

export { type TableName, tableEnvVars } from '../tables';

export interface ApiStackProps extends StackProps {
  config: StageConfig;
  tables: Record<TableName, ITable>;
  /** Queues, schedules and the configuration set, for the functions `functions/routes.ts` gives `messaging`. */
  messaging: MessagingResources;
}

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

/** `('GET', '/v1/contacts/{id}')` -> `GetV1ContactsId`, `('smsPreview', 'function')` -> `SmsPreviewFunction`: construct ids. */
const pascalCase = (...parts: string[]): string =>
  parts
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((word) => (word === word.toUpperCase() ? word.toLowerCase() : word))
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

/**
 * The stateless front door: the HTTP API, its Cognito JWT authorizer and one function per
 * entry of `functions/routes.ts`. Routes and grants come from that one table (tables, and for
 * functions with `messaging` the queues they send to and the schedules they manage), so the API
 * here and the local server cannot disagree about which routes exist, and every route but
 * the public OpenAPI document requires a token whose `custom:tenantId` claim reaches the handler.
 */
export class ApiStack extends Stack {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<ApiFunctionName, AppFunction>;
  readonly users: TenantUserPool;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Tables arrive as strong references (export/import): CloudFormation refuses to delete a
    // table of the stateful stack while a function here still uses it.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, tables } = props;

    this.users = new TenantUserPool(this, 'Users', { config });

    // Frontends send the ID token: only it carries custom:tenantId, and its audience is the app client.
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.users.userPool.userPoolId}`;
    const jwtAuthorizer = new HttpJwtAuthorizer('CognitoJwt', issuer, {
      authorizerName: resourceName(config.stage, 'cognito-jwt'),
      jwtAudience: [this.users.webClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });

    this.functions = Object.fromEntries(
      Object.entries(apiFunctions).map(([name, spec]) => {
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
        const messaging: ApiFunctionSpec['messaging'] = 'messaging' in spec ? spec.messaging : undefined;
        if (messaging) {
          fn.locateMessaging(props.messaging);
          for (const queue of messaging.sendsTo ?? []) {
            fn.bindQueue(props.messaging.queues[queue], queueEnvVars[queue]);
          }
          if (messaging.schedules) fn.bindScheduler(props.messaging.scheduling);
        }
        return [name, fn];
      }),
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

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${resourceName(config.stage, 'api-access')}`,
      retention: config.logRetention,
      removalPolicy: config.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
    });

    const integrations = Object.fromEntries(
      Object.entries(this.functions).map(([name, fn]) => [
        name,
        new HttpLambdaIntegration(pascalCase(name, 'integration'), fn.function),
      ]),
    ) as Record<ApiFunctionName, HttpLambdaIntegration>;

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
          reason: `${route.method} ${route.path} is public by design (marked public in functions/routes.ts): it serves the API description that clients fetch before signing in and holds no tenant data.`,
        });
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.webClient.userPoolClientId });
  }
}
