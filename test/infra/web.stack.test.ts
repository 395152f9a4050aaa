import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadStageConfig } from '../../infra/config';
import { resourcesOfType, type SynthesizedApp, synthApp } from './synth-app';

// The console's files are not bundled here (no vite build during infra tests); the templates are the same but for
// the asset hash.
describe('web stack (the console on S3 behind CloudFront)', () => {
  let synth: SynthesizedApp;
  let web: Template;

  beforeAll(() => {
    synth = synthApp({ bundle: false, context: { consoleUrl: 'https://console.example.com' } });
    web = Template.fromStack(synth.web);
  });
  afterAll(() => synth?.cleanup());

  it('keeps the built files in a private, encrypted, TLS-only bucket that logs its access', () => {
    web.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 's3/' },
    });
    for (const [, policy] of resourcesOfType(web, 'AWS::S3::BucketPolicy')) {
      expect(JSON.stringify(policy.Properties)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('serves it through CloudFront with origin access control, HTTPS and index.html for the app’s own paths', () => {
    web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
        }),
      }),
    });
    web.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.stringLikeRegexp("request.uri = '/index.html'"),
    });
    // No distribution-wide error pages: the API's own 404s under /v1/* must stay JSON.
    const config = resourcesOfType(web, 'AWS::CloudFront::Distribution')[0]?.[1].Properties?.DistributionConfig as
      | Record<string, unknown>
      | undefined;
    expect(config).toBeDefined();
    expect(config?.CustomErrorResponses).toBeUndefined();
  });

  it('puts the tenants’ API under the same origin at /v1/*, uncached, the bearer token forwarded', () => {
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/v1/*',
            ViewerProtocolPolicy: 'https-only',
            AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
          }),
        ],
      }),
    });
    web.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        DefaultTTL: 0,
        MinTTL: 0,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
          QueryStringsConfig: { QueryStringBehavior: 'all' },
        }),
      }),
    });
  });

  it('sends strict security headers with the console', () => {
    web.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({ ContentSecurityPolicy: Match.anyValue() }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31_536_000 }),
        }),
      }),
    });
    const policy = resourcesOfType(web, 'AWS::CloudFront::ResponseHeadersPolicy')[0]?.[1];
    expect(JSON.stringify(policy?.Properties)).toContain("frame-ancestors 'none'");
  });

  it('deploys the files and /config.json (Cognito domain and client), then refreshes index.html and config.json', () => {
    web.hasResourceProperties('Custom::CDKBucketDeployment', {
      DistributionPaths: ['/index.html', '/config.json'],
      Prune: true,
    });
    const deployment = resourcesOfType(web, 'Custom::CDKBucketDeployment')[0]?.[1];
    // config.json's deploy-time values: the hosted sign-in domain and the web client, from the stateful stack.
    const markers = JSON.stringify(deployment?.Properties);
    expect(markers).toContain('HostedSignIn');
    expect(markers).toContain('WebClient');
  });

  it('lets the web client sign in with the authorization code flow only, back to the console URLs only', () => {
    const stateful = synth.statefulTemplate;
    stateful.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'dev-sms-web',
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith(['openid']),
      CallbackURLs: ['http://localhost:5173/', 'https://console.example.com/'],
      LogoutURLs: ['http://localhost:5173/', 'https://console.example.com/'],
    });
  });

  it('reads console URLs from context, and a stage without any keeps OAuth off', () => {
    expect(loadStageConfig('prod').consoleUrls).toEqual([]);
    expect(loadStageConfig('prod', { consoleUrl: 'https://a.example.com,https://b.example.com/' }).consoleUrls).toEqual(
      ['https://a.example.com/', 'https://b.example.com/'],
    );
    expect(() => loadStageConfig('dev', { consoleUrl: 'not a url' })).toThrow();
    const prod = synthApp({ stage: 'prod', bundle: false });
    try {
      prod.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        AllowedOAuthFlowsUserPoolClient: false,
        CallbackURLs: Match.absent(),
      });
    } finally {
      prod.cleanup();
    }
  });

  it('passes cdk-nag’s AwsSolutions checks, warnings included', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.web);
    expect(
      report.violations.flatMap((violation) =>
        violation.violatingResources.map((r) => violation.ruleName + r.constructPath),
      ),
    ).toEqual([]);
  });
});
