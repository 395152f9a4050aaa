import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { AssetManifestArtifact } from 'aws-cdk-lib/cx-api';
import {
  type AdminFunctionName,
  type ApiFunctionName,
  adminFunctions,
  adminRoutes,
  apiFunctions,
  apiRoutes,
} from '../../functions/routes';
import { resourceName } from '../../infra/config';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { logicalIdOf, repoRoot, type SynthesizedApp, synthApp } from './synth-app';

const run = promisify(execFile);

interface LambdaResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  /** The function's own log lines, so a failed expectation shows why it answered as it did. */
  logs: string;
}

interface Bundle {
  /** `index.mjs` of the function's asset folder in the cloud assembly. */
  path: string;
  /** The environment the template gives the function, CloudFormation imports replaced by local values. */
  env: Record<string, string>;
}

/**
 * The functions as synth bundles them (esbuild, ESM, the createRequire banner, the env vars the
 * template sets), each run in a plain `node` process outside the repository against dynalite.
 * Source-level tests cannot see a bundling mistake: a dependency esbuild cannot inline, a
 * `require` in ESM, an env var the template forgets.
 */
describe('handler bundles', () => {
  const fixturesDir = join(repoRoot, 'test', 'fixtures', 'events');
  let synth: SynthesizedApp;
  let dynamo: TestDynamo;
  let bundles: Record<ApiFunctionName | AdminFunctionName, Bundle>;
  let invocations = 0;

  const fixture = (name: string) => JSON.parse(readFileSync(join(fixturesDir, name), 'utf8'));

  /** Invokes a bundle once in a fresh process (a cold start) and returns what its handler returned. */
  async function invoke(name: ApiFunctionName | AdminFunctionName, event: unknown): Promise<LambdaResult> {
    invocations += 1;
    const eventPath = join(synth.outdir, `event-${invocations}.json`);
    const resultPath = join(synth.outdir, `result-${invocations}.json`);
    writeFileSync(eventPath, JSON.stringify(event));
    const { path, env } = bundles[name];
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        [join(__dirname, 'invoke-bundle.mjs'), path, eventPath, resultPath],
        { cwd: synth.outdir, env, timeout: 30_000 },
      );
      return { ...JSON.parse(readFileSync(resultPath, 'utf8')), logs: `${stdout}${stderr}` };
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`the ${name} bundle failed: ${(error as Error).message}\n${stdout ?? ''}\n${stderr ?? ''}`);
    }
  }

  /** The GET fixture turned into another request of the same shape. */
  function getEvent(routeKey: string, path: string, pathParameters?: Record<string, string>) {
    const event = fixture('apigw-get-contact.json');
    event.routeKey = routeKey;
    event.requestContext.routeKey = routeKey;
    event.rawPath = path;
    event.requestContext.http.path = path;
    if (pathParameters) event.pathParameters = pathParameters;
    else delete event.pathParameters;
    return event;
  }

  function locateBundle(name: ApiFunctionName | AdminFunctionName): Bundle {
    const resources = synth.apiTemplate.toJSON().Resources;
    const fn =
      resources[logicalIdOf(synth.apiTemplate, 'AWS::Lambda::Function', { FunctionName: resourceName('dev', name) })];
    // Handler `index.handler` of an ESM bundle: the runtime loads index.mjs.
    expect(fn.Properties.Handler).toBe('index.handler');
    const manifest = synth.assembly
      .getStackArtifact(synth.api.artifactId)
      .dependencies.find((artifact): artifact is AssetManifestArtifact => artifact instanceof AssetManifestArtifact);
    const files = JSON.parse(readFileSync(manifest!.file, 'utf8')).files as Record<
      string,
      { source: { path: string }; destinations: Record<string, { objectKey: string }> }
    >;
    const asset = Object.values(files).find((file) =>
      Object.values(file.destinations).some((destination) => destination.objectKey === fn.Properties.Code.S3Key),
    );
    expect(asset).toBeDefined();
    const path = join(synth.outdir, asset!.source.path, 'index.mjs');
    expect(existsSync(path)).toBe(true);

    const templateVariables = fn.Properties.Environment.Variables as Record<string, unknown>;
    // Stand-ins for the stateful stack's exports; the sample requests never reach SQS or the scheduler.
    const local: Record<string, string> = {
      CONTACTS_TABLE_NAME: dynamo.tableNames.contacts,
      CAMPAIGNS_TABLE_NAME: dynamo.tableNames.campaigns,
      WORKFLOWS_TABLE_NAME: dynamo.tableNames.workflows,
      NUMBERS_TABLE_NAME: dynamo.tableNames.numbers,
      SEND_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/test-sms-send',
      LAUNCH_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/test-sms-launch',
      RECEIPTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/test-sms-receipts',
      INBOUND_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/test-sms-inbound',
      EVENTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/test-sms-events',
      WORKFLOWS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/test-sms-workflows',
      LAUNCH_QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:test-sms-launch',
      WORKFLOWS_QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:test-sms-workflows',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/test-sms-scheduler',
      SCHEDULER_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:test-sms-schedules-dlq',
    };
    const unresolved = Object.keys(templateVariables).filter((key) => typeof templateVariables[key] !== 'string');
    expect(unresolved.filter((key) => !(key in local))).toEqual([]);
    return {
      path,
      env: {
        PATH: process.env.PATH ?? '',
        ...(Object.fromEntries(Object.entries(templateVariables).filter(([, v]) => typeof v === 'string')) as Record<
          string,
          string
        >),
        ...Object.fromEntries(unresolved.map((key) => [key, local[key]!])),
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_LAMBDA_FUNCTION_NAME: resourceName('dev', name),
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        TZ: 'UTC',
      },
    };
  }

  // Synth with esbuild bundling: about 45 s on a quiet 2-core machine, more when the machine is busy.
  beforeAll(async () => {
    synth = synthApp();
    dynamo = await startTestDynamo();
    bundles = Object.fromEntries(
      [...Object.keys(apiFunctions), ...Object.keys(adminFunctions)].map((name) => [
        name,
        locateBundle(name as ApiFunctionName | AdminFunctionName),
      ]),
    ) as Record<ApiFunctionName | AdminFunctionName, Bundle>;
  }, 180_000);

  afterAll(async () => {
    await dynamo?.stop();
    synth?.cleanup();
  });

  it('contacts: creates a contact from an API Gateway event, reads it back, and keeps it inside its tenant', async () => {
    const created = await invoke('contacts', fixture('apigw-create-contact.json'));
    expect(created).toMatchObject({ statusCode: 201 });
    const contact = JSON.parse(created.body!);
    expect(contact).toMatchObject({ id: expect.any(String), phone: '+14254147755' });

    const read = getEvent('GET /v1/contacts/{id}', `/v1/contacts/${contact.id}`, { id: contact.id });
    const fetched = await invoke('contacts', read);
    expect(fetched).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(fetched.body!)).toMatchObject({ id: contact.id, phone: '+14254147755', firstName: 'Ada' });

    // Another tenant's token does not reach it.
    read.requestContext.authorizer.jwt.claims['custom:tenantId'] = 'tenant-other';
    expect(await invoke('contacts', read)).toMatchObject({ statusCode: 404 });

    const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: dynamo.tableNames.contacts }));
    expect(Items.length).toBeGreaterThan(0);
    for (const item of Items) {
      expect(item.pk?.S).toMatch(/^T#tenant-bundle(#|$)/);
      if (item.gsi1pk) expect(item.gsi1pk.S).toMatch(/^T#tenant-bundle(#|$)/);
    }
  });

  it.each(Object.keys(apiFunctions) as ApiFunctionName[])(
    '%s: starts with the env the template sets and answers its first route without a server error',
    async (name) => {
      const route = apiRoutes.find((candidate) => candidate.function === name)!;
      const pathParameters = Object.fromEntries(
        [...route.path.matchAll(/\{(\w+)\}/g)].map(([, parameter]) => [parameter!, `sample-${parameter}`]),
      );
      const path = route.path.replace(/\{(\w+)\}/g, (_, parameter: string) => `sample-${parameter}`);
      const event = getEvent(
        `${route.method} ${route.path}`,
        path,
        Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
      );
      event.requestContext.http.method = route.method;
      if (route.method !== 'GET' && route.method !== 'DELETE') {
        event.body = '{}';
        event.headers['content-type'] = 'application/json';
      }
      const result = await invoke(name, event);
      // A 4xx for the sample input is fine; a 5xx fails and prints the result with the function's logs.
      expect(result.statusCode < 500 ? 'no server error' : result).toBe('no server error');
    },
  );

  it('openapi: serves the document without a token', async () => {
    const event = getEvent('GET /v1/openapi.json', '/v1/openapi.json');
    delete event.requestContext.authorizer;
    delete event.headers.authorization;
    const result = await invoke('openapi', event);
    expect(result).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(result.body!)).toMatchObject({ openapi: expect.stringMatching(/^3\./) });
  });

  /**
   * The GET fixture as the admin API hands it over: signed with SigV4 (IAM authorization), so the
   * authorizer context names the caller's IAM identity instead of JWT claims.
   */
  function adminEvent(routeKey: string, path: string, pathParameters?: Record<string, string>) {
    const event = getEvent(routeKey, path, pathParameters);
    delete event.headers.authorization;
    event.requestContext.authorizer = {
      iam: {
        accessKey: 'ASIAEXAMPLEOPERATOR0',
        accountId: '123456789012',
        callerId: 'AROAEXAMPLEOPERATOR0:ops',
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: 'arn:aws:sts::123456789012:assumed-role/operators/ops',
        userId: 'AROAEXAMPLEOPERATOR0:ops',
      },
    };
    return event;
  }

  it.each(adminRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'admin %s: starts with the env the template sets and answers an IAM-signed request without a server error',
    async (routeKey, route) => {
      const pathParameters = Object.fromEntries(
        [...route.path.matchAll(/\{(\w+)\}/g)].map(([, parameter]) => [parameter!, `sample-${parameter}`]),
      );
      const path = route.path.replace(/\{(\w+)\}/g, (_, parameter: string) => `sample-${parameter}`);
      const event = adminEvent(routeKey, path, Object.keys(pathParameters).length > 0 ? pathParameters : undefined);
      event.requestContext.http.method = route.method;
      if (route.method !== 'GET' && route.method !== 'DELETE') {
        event.body = '{}';
        event.headers['content-type'] = 'application/json';
      }
      const result = await invoke(route.function, event);
      // A 4xx for the sample input is fine; a 5xx fails and prints the result with the function's logs.
      expect(result.statusCode < 500 ? 'no server error' : result).toBe('no server error');
    },
  );
});
