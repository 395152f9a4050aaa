import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { resourceName, type StageConfig } from '../config';

export interface TenantUserPoolProps {
  config: StageConfig;
}

/**
 * The Cognito user pool the API trusts. Every user belongs to exactly one tenant, recorded in
 * the immutable custom attribute `tenantId` when an administrator creates the user; the ID
 * token carries it as `custom:tenantId` and the handlers scope every key by it. Users can
 * read that attribute but never write it (and cannot sign themselves up): a user who could set
 * their own tenantId could read another tenant's data.
 *
 * It lives in the stateful stack: the pool is the only record of which user belongs to which
 * tenant, so it is retained like the tables and never replaced by a deployment of the API.
 */
export class TenantUserPool extends Construct {
  readonly userPool: UserPool;
  /**
   * The web frontend's public client (no secret; SRP sign-in, and the console's authorization code flow with PKCE
   * through the hosted sign-in when the stage names console URLs); its id is the JWT audience.
   */
  readonly webClient: UserPoolClient;
  /** Cognito's hosted sign-in (`https://<prefix>.auth.<region>.amazoncognito.com`), where the console sends people. */
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: TenantUserPoolProps) {
    super(scope, id);
    const { config } = props;
    const plus = config.userPoolPlan === 'PLUS';

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: resourceName(config.stage, 'users'),
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: { tenantId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Users see every contact's phone number and consent history of their business: a
      // password alone is not enough. TOTP needs no SMS role or spend.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: config.deletionProtection,
      // Users and their tenant mapping outlive the stack, as the tables do.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    if (!plus) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: `Stage ${config.stage} holds test users only; threat protection (Plus plan, billed per active user) is enabled where real users sign in (userPoolPlan in infra/config.ts).`,
      });
    }

    // The prefix must be unique in the region: the stage and the account keep it so.
    this.domain = this.userPool.addDomain('HostedSignIn', {
      cognitoDomain: { domainPrefix: `${config.stage}-sms-${Stack.of(this).account}` },
    });

    // The console signs in with the authorization code flow and PKCE (a public client: no secret in a browser), and
    // Cognito sends the code back only to the console URLs the stage names; no implicit flow, no other grant.
    const signsInConsole = config.consoleUrls.length > 0;
    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: resourceName(config.stage, 'web'),
      generateSecret: false,
      authFlows: { userSrp: true },
      ...(signsInConsole
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
              scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
              callbackUrls: config.consoleUrls,
              logoutUrls: config.consoleUrls,
            },
          }
        : { disableOAuth: true }),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, givenName: true, familyName: true })
        .withCustomAttributes('tenantId'),
      // Listed explicitly: left out, Cognito lets the client write every attribute.
      writeAttributes: new ClientAttributes().withStandardAttributes({
        email: true,
        givenName: true,
        familyName: true,
      }),
    });
  }
}
