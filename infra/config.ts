import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';

const stageNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,19}$/, 'stage must be 2-20 lowercase letters, digits or dashes, starting with a letter');

const stageConfigSchema = z.object({
  stage: stageNameSchema,
  /** Retention of every log group the app creates (Lambda and API access logs). */
  logRetention: z.enum(RetentionDays),
  /** Whether log groups outlive their stack (kept in production for audits). */
  retainLogs: z.boolean(),
  /** `LOG_LEVEL` handed to the handlers' Powertools logger. */
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
  /** Stage-wide API Gateway throttling; protects the tables and the tenant quota from a runaway client. */
  apiThrottle: z.object({
    rateLimit: z.number().int().positive(),
    burstLimit: z.number().int().positive(),
  }),
  /** Browser origins allowed to call the API (the CRM web frontend); empty disables CORS. */
  corsAllowOrigins: z.array(z.url()),
  /**
   * Where people open the web console, each with its trailing `/`: Cognito's hosted sign-in sends them back only to
   * these (authorization code + PKCE). The web stack prints its CloudFront address as `ConsoleUrl`; pass it (or a
   * custom domain) with `-c consoleUrl=https://...` and deploy again. Empty, the console cannot sign in on this stage.
   */
  consoleUrls: z.array(z.url().refine((url) => url.endsWith('/'), 'a console URL ends with /')),
  /** Deletion protection on tables and the user pool, on top of their RETAIN policy. */
  deletionProtection: z.boolean(),
  /**
   * Cognito feature plan. PLUS turns on threat protection (compromised credentials,
   * adaptive authentication); it is billed per monthly active user, so only stages with real
   * users pay for it.
   */
  userPoolPlan: z.enum(['ESSENTIALS', 'PLUS']),
  /**
   * Who the stage's alarm topic emails (DLQs, delivery failure rate, unrouted inbound texts);
   * from CDK context, never in code. Absent, no email subscription is created.
   */
  alarmEmail: z.email('alarmEmail must be an email address (-c alarmEmail=ops@example.com)').optional(),
  /**
   * Where tracked short links point by default (`https://go.example.com/l/`, a custom domain mapped to the API);
   * from `-c shortLinkBaseUrl=...`. Absent, only tenants with their own `shortLinkDomain` get tracked links.
   */
  shortLinkBaseUrl: z
    .url()
    .refine((url) => url.endsWith('/l/'), 'a short-link base ends with /l/ (the redirect route)')
    .optional(),
  sms: z.object({
    /**
     * Origination identities (phone numbers, pools, sender ids) the send worker may send from.
     * They are bought and registered outside CloudFormation (carrier registration takes weeks),
     * so the stage names their ARNs and the grant covers exactly those; empty, the worker may
     * only send through the configuration set with the account's default identity.
     */
    originationIdentityArns: z.array(
      z
        .string()
        .regex(
          /^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|pool|sender-id)\/[A-Za-z0-9_:./-]+$/,
          'an origination identity is the ARN of a phone number, pool or sender id',
        ),
    ),
    /**
     * Send-worker invocations at once. Together with the pacer it bounds the messages per
     * second handed to the carrier, so it follows the origination identities' throughput.
     */
    sendWorkerMaxConcurrency: z.number().int().min(2).max(1000),
  }),
});

/**
 * The house name of a physical resource: `${stage}-sms-${thing}`, with a camelCase thing in
 * kebab-case (`smsPreview` -> `dev-sms-sms-preview`), so names sort and read alike in the console.
 */
export function resourceName(stage: string, thing: string): string {
  return `${stage}-sms-${thing.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

/** Validated configuration of one deployment stage. */
export type StageConfig = z.infer<typeof stageConfigSchema>;

type StageDefaults = Omit<StageConfig, 'stage'>;

const developmentDefaults: StageDefaults = {
  logRetention: RetentionDays.ONE_WEEK,
  retainLogs: false,
  logLevel: 'DEBUG',
  apiThrottle: { rateLimit: 50, burstLimit: 100 },
  corsAllowOrigins: ['http://localhost:5173'],
  // Vite's dev server (`npm run dev:web`) signing in against a dev stage's user pool.
  consoleUrls: ['http://localhost:5173/'],
  deletionProtection: false,
  userPoolPlan: 'ESSENTIALS',
  sms: { originationIdentityArns: [], sendWorkerMaxConcurrency: 2 },
};

const productionDefaults: StageDefaults = {
  logRetention: RetentionDays.THREE_MONTHS,
  retainLogs: true,
  logLevel: 'INFO',
  apiThrottle: { rateLimit: 500, burstLimit: 1000 },
  corsAllowOrigins: [],
  consoleUrls: [],
  deletionProtection: true,
  userPoolPlan: 'PLUS',
  sms: { originationIdentityArns: [], sendWorkerMaxConcurrency: 10 },
};

/**
 * The stages this app can be deployed as. A stage not listed here refuses to synth: a typo
 * (`-c stage=prd`) must not deploy a second, development-grade copy of production (no deletion
 * protection, logs dropped, DEBUG logging) next to the real one. A new stage is added here, on purpose.
 */
const knownStages: Record<string, StageDefaults> = {
  dev: developmentDefaults,
  prod: productionDefaults,
};

/** Names of the stages {@link loadStageConfig} accepts. */
export const knownStageNames: readonly string[] = Object.keys(knownStages);

/** Settings a deployment passes as CDK context rather than in code (account-specific values). */
export interface StageContext {
  /** `-c smsOriginationIdentityArns=arn1,arn2` (or an array in cdk.json): replaces the stage's list. */
  smsOriginationIdentityArns?: unknown;
  /**
   * `-c alarmEmail=ops@example.com`: subscribes that address to the stage's alarm topic (the
   * subscriber confirms by email). Absent, the topic has no subscription and alarms reach only
   * whoever subscribes outside CloudFormation (a pager, a chat integration).
   */
  alarmEmail?: unknown;
  /**
   * `-c consoleUrl=https://d111111abcdef8.cloudfront.net/` (several with commas): where the console is served, added
   * to the stage's console URLs (a missing trailing `/` is added).
   */
  consoleUrl?: unknown;
  /** `-c shortLinkBaseUrl=https://go.example.com/l/`: the default base of tracked short links. */
  shortLinkBaseUrl?: unknown;
}

const arnList = z
  .union([z.array(z.string()), z.string().transform((list) => list.split(',').filter((arn) => arn.trim() !== ''))])
  .transform((arns) => arns.map((arn) => arn.trim()));

/**
 * Resolves and validates the configuration of a stage (`cdk synth -c stage=prod`), so a
 * malformed stage name or setting fails the synth instead of deploying half-configured resources.
 */
export function loadStageConfig(stage: unknown = 'dev', context: StageContext = {}): StageConfig {
  const name = stageNameSchema.parse(stage ?? 'dev');
  // Own keys only: `constructor` and friends are valid stage names but no stage.
  const defaults = Object.hasOwn(knownStages, name) ? knownStages[name] : undefined;
  if (!defaults) {
    throw new Error(`Unknown stage "${name}": known stages are ${knownStageNames.join(', ')} (see infra/config.ts)`);
  }
  const identities =
    context.smsOriginationIdentityArns === undefined ? undefined : arnList.parse(context.smsOriginationIdentityArns);
  const consoleUrls =
    context.consoleUrl === undefined
      ? []
      : arnList.parse(context.consoleUrl).map((url) => (url.endsWith('/') ? url : `${url}/`));
  return stageConfigSchema.parse({
    ...defaults,
    consoleUrls: [...new Set([...defaults.consoleUrls, ...consoleUrls])],
    stage: name,
    sms: { ...defaults.sms, ...(identities ? { originationIdentityArns: identities } : {}) },
    ...(context.alarmEmail === undefined ? {} : { alarmEmail: context.alarmEmail }),
    ...(context.shortLinkBaseUrl === undefined ? {} : { shortLinkBaseUrl: context.shortLinkBaseUrl }),
  });
}
