import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
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
  /** The web frontend's public client (no secret, SRP sign-in); its id is the JWT audience. */
  readonly webClient: UserPoolClient;

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

    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: resourceName(config.stage, 'web'),
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
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
