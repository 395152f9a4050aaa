import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CfnOutput,
  CrossStackReferences,
  DockerImage,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IUserPoolClient, UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { resourceName, type StageConfig } from '../config';

const repoRoot = resolve(__dirname, '..', '..');
const webRoot = join(repoRoot, 'web');

export interface WebStackProps extends StackProps {
  config: StageConfig;
  /** The stateful stack's user pool client and hosted sign-in: the console's Cognito sign-in (code + PKCE). */
  users: { webClient: IUserPoolClient; domain: UserPoolDomain };
  /** The tenants' HTTP API, served under the console's own origin at `/v1/*` (no CORS, no second domain). */
  httpApi: IHttpApi;
}

function newestChange(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/**
 * Puts the built console into `outputDir` (CDK's local bundling of the asset): `npm run build:web` first when
 * `web/dist` is missing or older than its sources, then the files without their source maps.
 */
export function bundleConsole(outputDir: string): boolean {
  const built = statSync(join(webRoot, 'dist', 'index.html'), { throwIfNoEntry: false });
  const sources = Math.max(newestChange(join(webRoot, 'src')), newestChange(join(webRoot, 'index.html')));
  if (!built || sources > built.mtimeMs) {
    execFileSync('npm', ['run', '--silent', 'build:web'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  cpSync(join(webRoot, 'dist'), outputDir, { recursive: true, filter: (source) => !source.endsWith('.map') });
  return true;
}

/**
 * The web console on AWS: the built single-page app in a private S3 bucket behind CloudFront (origin access control),
 * the tenants' API under the same origin at `/v1/*` (nothing cached, the bearer token forwarded), the app's own paths
 * answered with `index.html` by a CloudFront Function, strict security headers, and the bucket's access logs. `/config.json`
 * tells the console where Cognito's hosted sign-in is and which client to use (authorization code + PKCE).
 */
export class WebStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly logs: Bucket;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    // As the API stack does: CloudFormation keeps the user pool client and domain while this stack uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config } = props;
    // S3 writes the console bucket's access logs under a bucket policy, not the deprecated log-delivery ACL.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    this.logs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(config.retainLogs ? 365 : 30) }],
      removalPolicy: config.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the bucket that receives the console bucket’s access logs; logging its own access would write a log entry for every log entry.',
    });

    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 's3/',
      // Only built files, redeployed by every deployment: nothing here is state.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const apiOrigin = new HttpOrigin(`${props.httpApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    // API answers are per person and change at once: never cached (TTL 0), the bearer token part of the request.
    const apiCachePolicy = new CachePolicy(this, 'ApiCachePolicy', {
      cachePolicyName: resourceName(config.stage, 'console-api'),
      comment: 'The tenants API behind the console: no caching; Authorization and every query string reach the API',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
    });
    const signIn = props.users.domain.baseUrl();
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: resourceName(config.stage, 'console-headers'),
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            `connect-src 'self' ${signIn}`,
            `form-action 'self' ${signIn}`,
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });
    // The app's own paths (/campaigns/123) are pages of the single-page app: index.html answers them. Only here, so
    // the API's 404s stay the API's.
    const spaRoutes = new EdgeFunction(this, 'SpaRoutes', {
      functionName: resourceName(config.stage, 'console-routes'),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Serves index.html for the console pages (paths without a file extension)',
      code: FunctionCode.fromInline(
        "function handler(event) { var request = event.request; if (request.uri.indexOf('.') === -1) { request.uri = '/index.html'; } return request; }",
      ),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${resourceName(config.stage, 'console')}: the web console and its API`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
        functionAssociations: [{ function: spaRoutes, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: apiCachePolicy,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          compress: true,
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'The console serves the businesses of every country the SMS engine texts from; who may sign in is decided by Cognito, not by where a request comes from.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static files and an API that has its own stage throttling and JWT authorizer; a WAF web ACL (us-east-1, billed per rule) is added per stage when traffic calls for it.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'CloudFront’s legacy access logs need an ACL-enabled bucket (deprecated) and its v2 logs a delivery set up in us-east-1; the console bucket logs every read and the API behind /v1/* logs every request in its own access log.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'Served on the default cloudfront.net certificate, whose TLS floor CloudFront fixes; a stage with a custom domain and its own certificate sets minimumProtocolVersion TLSv1.2_2021 there.',
      },
    );

    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        Source.asset(webRoot, {
          exclude: ['dist', 'test-output', 'node_modules'],
          bundling: {
            // Never used: the console builds with the repository's own toolchain (no Docker).
            image: DockerImage.fromRegistry('node:22-slim'),
            local: { tryBundle: (outputDir) => bundleConsole(outputDir) },
          },
        }),
        Source.jsonData('config.json', {
          auth: 'cognito',
          apiUrl: '',
          cognitoDomain: signIn,
          clientId: props.users.webClient.userPoolClientId,
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
      logGroup: new LogGroup(this, 'DeployLogs', {
        logGroupName: `/aws/lambda/${resourceName(config.stage, 'console-deploy')}`,
        retention: config.logRetention,
        removalPolicy: config.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      }),
    });
    this.acknowledgeDeployment();

    new CfnOutput(this, 'ConsoleUrl', {
      value: `https://${this.distribution.distributionDomainName}/`,
      description:
        'The web console; give it to the next deployment as -c consoleUrl=... so Cognito sends people back here',
    });
  }

  /** The findings of CDK's own deployment function (it copies the built files and invalidates CloudFront). */
  private acknowledgeDeployment(): void {
    const handler = this.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment did not create its handler function');
    const policy = handler.node.findChild('ServiceRole').node.findChild('DefaultPolicy');
    const siteArn = `<${this.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>`;
    const copy =
      'CDK’s BucketDeployment function (deployments only) copies the built console from the CDK asset bucket into the console bucket and removes files of older builds: CDK grants it';
    Validations.of(policy).acknowledge(
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${copy} ${action} on those two buckets only (read the asset, write and prune the console's files).`,
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        reason: `${copy} read access to the objects of the CDK bootstrap asset bucket, where the built console is uploaded.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${siteArn}/*]`,
        reason: `${copy} write access to every object of the console bucket: a deployment replaces the whole build.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${copy} cloudfront:CreateInvalidation on * (the action has no resource-level scoping that CDK uses) so a new index.html is served at once.`,
      },
    );
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason:
          'CDK’s BucketDeployment function: its runtime is chosen by aws-cdk-lib and moves forward with it; it runs only during deployments.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'CDK’s BucketDeployment function writes its logs with the basic execution role; it has no other managed policy.',
      },
    );
  }
}
