import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AssetManifestArtifact } from 'aws-cdk-lib/cx-api';
import { resourceName } from '../../infra/config';
import { inboundMetrics } from '../../infra/constructs/inbound-unrouted-alarm';
import { type WorkerName, workers } from '../../infra/stacks/messaging.stack';
import { UNROUTED_KEY_PREFIX } from '../../infra/tables';
import { DynamoInboundStore } from '../../shared/adapters/aws/dynamo/dynamo-inbound-store';
import { DynamoNumberRegistry } from '../../shared/adapters/aws/dynamo/dynamo-number-registry';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { logicalIdOf, repoRoot, type SynthesizedApp, synthApp } from './synth-app';

const run = promisify(execFile);

/**
 * The queue workers as synth bundles them, each started in a plain `node` process with the
 * environment its template sets (imports of the stateful stack replaced by local stand-ins),
 * against dynalite. It proves what the templates alone cannot: the bundle loads, the deps
 * factory finds every variable it needs at cold start, and a poisoned record comes back as a
 * batch item failure while its neighbour succeeds.
 */
describe('worker bundles', () => {
  let synth: SynthesizedApp;
  let dynamo: TestDynamo;
  let invocations = 0;

  /** Stand-ins for the stateful stack's exports; these records never reach SQS or the scheduler. */
  const standIns = (): Record<string, string> => ({
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
  });

  function bundleOf(name: WorkerName): { path: string; env: Record<string, string> } {
    const template = synth.messagingTemplate;
    const resources = template.toJSON().Resources;
    const fn = resources[logicalIdOf(template, 'AWS::Lambda::Function', { FunctionName: resourceName('dev', name) })];
    const manifest = synth.assembly
      .getStackArtifact(synth.messaging.artifactId)
      .dependencies.find((artifact): artifact is AssetManifestArtifact => artifact instanceof AssetManifestArtifact);
    const files = JSON.parse(readFileSync(manifest!.file, 'utf8')).files as Record<
      string,
      { source: { path: string }; destinations: Record<string, { objectKey: string }> }
    >;
    const asset = Object.values(files).find((file) =>
      Object.values(file.destinations).some((destination) => destination.objectKey === fn.Properties.Code.S3Key),
    );
    const path = join(synth.outdir, asset!.source.path, 'index.mjs');
    expect(existsSync(path)).toBe(true);

    const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
    const local = standIns();
    const unresolved = Object.keys(variables).filter((key) => typeof variables[key] !== 'string');
    expect(unresolved.filter((key) => !(key in local))).toEqual([]);
    return {
      path,
      env: {
        PATH: process.env.PATH ?? '',
        ...(Object.fromEntries(Object.entries(variables).filter(([, value]) => typeof value === 'string')) as Record<
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
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        TZ: 'UTC',
      },
    };
  }

  async function invoke(name: WorkerName, event: unknown): Promise<unknown> {
    return (await invokeWithLogs(name, event)).result;
  }

  /** Invokes a bundle once in a fresh process; its result, and what it wrote to stdout (logs, embedded metrics). */
  async function invokeWithLogs(name: WorkerName, event: unknown): Promise<{ result: unknown; logs: string }> {
    invocations += 1;
    const eventPath = join(synth.outdir, `worker-event-${invocations}.json`);
    const resultPath = join(synth.outdir, `worker-result-${invocations}.json`);
    writeFileSync(eventPath, JSON.stringify(event));
    const { path, env } = bundleOf(name);
    try {
      const { stdout } = await run(
        process.execPath,
        [join(__dirname, 'invoke-bundle.mjs'), path, eventPath, resultPath],
        {
          cwd: synth.outdir,
          env,
          timeout: 30_000,
        },
      );
      return { result: JSON.parse(readFileSync(resultPath, 'utf8')), logs: stdout };
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`the ${name} bundle failed: ${(error as Error).message}\n${stdout ?? ''}\n${stderr ?? ''}`);
    }
  }

  /** An SQS event as Lambda delivers it from the worker's queue. */
  const sqsEvent = (name: WorkerName, bodies: string[]) => ({
    Records: bodies.map((body, index) => ({
      messageId: `00000000-0000-4000-8000-00000000000${index}`,
      receiptHandle: `handle-${index}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1764115200000',
        SenderId: 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: '1764115200000',
      },
      messageAttributes: {},
      md5OfBody: 'x',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:dev-sms-${workers[name].consumes}`,
      awsRegion: 'us-east-1',
    })),
  });

  /** A record each worker accepts and finishes without effect: its campaign, contact or workflow does not exist. */
  const harmless: Record<WorkerName, string> = {
    campaignLauncher: JSON.stringify({ kind: 'campaignLaunch', tenantId: 'tenant-bundle', campaignId: 'missing' }),
    sendWorker: JSON.stringify({
      kind: 'campaignSend',
      tenantId: 'tenant-bundle',
      campaignId: 'missing',
      contactIds: ['c-1'],
    }),
    // A delivery event for a campaign the table does not hold: no ledger entry moves.
    smsReceipts: readFileSync(join(repoRoot, 'test', 'fixtures', 'events', 'sms-event-text-delivered.json'), 'utf8'),
    // A reply, in its SNS envelope, that was already handled (seeded below): a duplicate notification.
    smsInbound: readFileSync(join(repoRoot, 'test', 'fixtures', 'events', 'sns-notification-inbound.json'), 'utf8'),
    // A tag added in a tenant without workflows: no active workflow is triggered, nothing is enrolled or sent.
    workflowEvents: JSON.stringify({
      kind: 'tagAdded',
      tenantId: 'tenant-bundle',
      contactId: 'missing',
      tags: ['vip'],
    }),
    // A resume of a workflow that holds no enrollments: nothing to re-arm, so no SQS message and no schedule.
    workflowRunner: JSON.stringify({ kind: 'workflowResumed', tenantId: 'tenant-bundle', workflowId: 'missing' }),
  };

  // Synth with esbuild bundling: about 45 s on a quiet 2-core machine, more when the machine is busy.
  beforeAll(async () => {
    // Bundle only the messaging stack: handler-bundle.test.ts covers the API functions.
    synth = synthApp({ context: { 'aws:cdk:bundling-stacks': ['SmsMessaging'] } });
    dynamo = await startTestDynamo();
    await seedHandledInbound();
  }, 180_000);

  /**
   * The inbound fixture as already handled: its number assigned to a tenant in the registry and the
   * message recorded as done, so the worker recognizes a duplicate and stops before it would call SQS
   * or send an SMS.
   */
  async function seedHandledInbound(): Promise<void> {
    const message = JSON.parse(JSON.parse(harmless.smsInbound).Message);
    const documents = DynamoDBDocumentClient.from(dynamo.client);
    const registry = new DynamoNumberRegistry(documents, dynamo.tableNames.numbers);
    const assigned = await registry.assign(
      { tenantId: 'tenant-bundle', number: message.destinationNumber, mps: 1 },
      '2025-06-01T00:00:00.000Z',
    );
    expect(assigned.kind).toBe('assigned');
    const store = new DynamoInboundStore(documents, dynamo.tableNames.contacts);
    const record = {
      inboundMessageId: message.inboundMessageId,
      phone: message.originationNumber,
      to: message.destinationNumber,
      contactId: null,
      body: message.messageBody,
      receivedAt: '2025-06-02T10:04:12.731Z',
      kind: 'reply',
      keyword: null,
      answers: null,
      state: 'received',
    } as const;
    await store.beginInbound('tenant-bundle', record);
    await store.finishInbound('tenant-bundle', { ...record, state: 'done' });
  }

  afterAll(async () => {
    await dynamo?.stop();
    synth?.cleanup();
  });

  it.each(Object.keys(workers) as WorkerName[])(
    '%s: starts with the env its template sets and fails only the poisoned record of a batch',
    async (name) => {
      const event = sqsEvent(name, ['{not json', harmless[name]]);
      const result = await invoke(name, event);
      expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }] });
    },
  );

  it('smsInbound: keeps a text for a number no tenant holds as an UNROUTED# item, and counts it for the alarm', async () => {
    // The fixture's reply, sent to a number the registry does not know.
    const notification = JSON.parse(harmless.smsInbound);
    const message = JSON.parse(notification.Message);
    const unrouted = { ...message, destinationNumber: '+12065550177', inboundMessageId: 'b7e2c4d9-unrouted-bundle' };
    const event = sqsEvent('smsInbound', [JSON.stringify({ ...notification, Message: JSON.stringify(unrouted) })]);
    const before = await dynamo.client.send(new ScanCommand({ TableName: dynamo.tableNames.numbers }));

    const { result, logs } = await invokeWithLogs('smsInbound', event);

    expect(result).toEqual({ batchItemFailures: [] });
    // What it wrote to the registry: unrouted items only, which is all its IAM grant lets it write on AWS.
    const after = await dynamo.client.send(new ScanCommand({ TableName: dynamo.tableNames.numbers }));
    const seen = new Set((before.Items ?? []).map((item) => `${item.pk?.S}|${item.sk?.S}`));
    const written = (after.Items ?? []).filter((item) => !seen.has(`${item.pk?.S}|${item.sk?.S}`));
    expect(written.length).toBeGreaterThan(0);
    for (const item of written) expect(item.pk?.S).toMatch(new RegExp(`^${UNROUTED_KEY_PREFIX}`));
    expect(JSON.stringify(written)).toContain(unrouted.inboundMessageId);
    // The embedded metric the alarm watches: SmsEngine/InboundUnrouted, published without dimensions.
    const directives = logs
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .flatMap((line) => {
        const entry = JSON.parse(line) as {
          _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
        } & Record<string, unknown>;
        return entry._aws.CloudWatchMetrics.map((directive) => ({ ...directive, entry }));
      })
      .filter((directive) => directive.Metrics.some((metric) => metric.Name === inboundMetrics.unrouted));
    expect(directives.map(({ Namespace, Dimensions }) => ({ Namespace, Dimensions }))).toEqual([
      { Namespace: inboundMetrics.namespace, Dimensions: expect.arrayContaining([[]]) },
    ]);
    expect(directives[0]!.entry[inboundMetrics.unrouted]).toBe(1);
  });
});
