import { CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { AppFunction } from '../constructs/app-function';
import { consumerTimeouts, type MessagingResources, type QueueName, queueEnvVars } from '../messaging';
import {
  BUDGET_KEY_PREFIX,
  type TableGrants,
  type TableName,
  type TableWritePrefixes,
  tableEnvVars,
  UNROUTED_KEY_PREFIX,
} from '../tables';

/** One queue-driven function of the messaging pipeline, as the stack wires it. */
export interface WorkerSpec {
  /** Handler entry file, relative to the repository root. */
  entry: string;
  /** The queue it consumes; its timeout is that queue's consumer timeout. */
  consumes: QueueName;
  /** Records per invocation. */
  batchSize: number;
  /** How long Lambda may wait to fill a batch; SQS event sources need one for batches above 10. */
  maxBatchingWindow?: Duration;
  /** Caps the invocations at once (the send worker's share of the carrier's throughput). */
  maxConcurrency?: 'sendWorker';
  tables: TableGrants;
  /** Tables of `tables` it may write only under a partition-key prefix (reads stay whole). */
  writeLeadingKeyPrefixes?: TableWritePrefixes;
  /** Queues it may send to. */
  sendsTo: readonly QueueName[];
  /** Whether it calls SendTextMessage. */
  sendsSms?: boolean;
  /** Whether it creates, replaces and deletes one-time schedules of the app's group (workflow timers). */
  schedules?: true;
}

/**
 * The pipeline's workers and exactly what each may touch. Every worker that sends, or starts
 * sends, reads the operator's number registry (numbers) to find the sender numbers its tenant is
 * assigned; none of them may change it.
 * - campaignLauncher: resolves the audience (contacts, read) into the ledger (campaigns), queues
 *   recipients on `send` and its own continuation on `launch`. One launch per invocation: a
 *   launch is minutes of paging, and a failure should redeliver that launch alone. It also
 *   handles the recount requests the others put on `launch`.
 * - sendWorker: renders and sends; writes consent back to contacts when the carrier reports an
 *   opt-out, re-queues deferred recipients on `send`, and requests a recount on `launch` when a
 *   campaign's sends complete.
 * - smsReceipts: moves ledger entries forward from delivery events, in batches of up to 100
 *   (writes grouped across records, a second's wait to fill a batch); suppresses numbers the
 *   carrier reports invalid by writing consent to contacts, and requests recounts on `launch`.
 * - smsInbound: two-way SMS from the phone numbers (STOP, START, HELP, replies): writes consent
 *   to contacts and the ledger (campaigns), answers STOP and HELP with a confirmation SMS, and
 *   publishes contact events on `events` for the workflow engine. It finds the tenant by the
 *   number texted in the registry (numbers) and records a text no tenant holds the number of as an
 *   `UNROUTED#` item there, for the operator: its only write to the registry (see below).
 * - workflowEvents: contact events (`events`) enroll contacts in the workflows they trigger, re-plan
 *   date reminders and end enrollments; it runs the first steps at once: texts (SMS), tags
 *   (contacts, announced on `events`), the ledger's send log (campaigns), wake-ups on `workflows`
 *   and, for timers beyond the queue's 15-minute delay, minute-bucket schedules.
 * - workflowRunner: wake-ups, date triggers, minute-bucket sweeps and resumes (`workflows`, where
 *   the bucket schedules deliver too) run enrollments on, with the same reach as workflowEvents.
 */
export const workers = {
  campaignLauncher: {
    entry: 'functions/campaign-launcher/campaign-launcher.handler.ts',
    consumes: 'launch',
    batchSize: 1,
    tables: { contacts: 'read', campaigns: 'readWrite', numbers: 'read' },
    sendsTo: ['send', 'launch'],
    // Re-arms each sending campaign's watchdog (a one-time schedule that kicks it again in a few minutes).
    schedules: true,
  },
  sendWorker: {
    entry: 'functions/send-worker/send-worker.handler.ts',
    consumes: 'send',
    batchSize: 10,
    maxConcurrency: 'sendWorker',
    tables: { contacts: 'readWrite', campaigns: 'readWrite', numbers: 'readWrite' },
    // The registry stays the operator's: senders write only their numbers' rate budgets (dynamodb:LeadingKeys).
    writeLeadingKeyPrefixes: { numbers: BUDGET_KEY_PREFIX },
    sendsTo: ['send', 'launch'],
    sendsSms: true,
  },
  smsReceipts: {
    entry: 'functions/sms-receipts/sms-receipts.handler.ts',
    consumes: 'receipts',
    batchSize: 100,
    maxBatchingWindow: Duration.seconds(1),
    // workflows: the carrier-filtering breaker pauses a workflow whose texts carriers filter.
    tables: { contacts: 'readWrite', campaigns: 'readWrite', workflows: 'readWrite' },
    sendsTo: ['launch'],
  },
  smsInbound: {
    entry: 'functions/sms-inbound/sms-inbound.handler.ts',
    consumes: 'inbound',
    batchSize: 10,
    tables: { contacts: 'readWrite', campaigns: 'readWrite', numbers: 'readWrite' },
    // Reads the whole registry (routing), writes only unrouted texts: an IAM condition on
    // dynamodb:LeadingKeys, so a bug or a crafted text can never reassign a sender number.
    writeLeadingKeyPrefixes: { numbers: UNROUTED_KEY_PREFIX },
    sendsTo: ['events'],
    sendsSms: true,
  },
  workflowEvents: {
    entry: 'functions/workflow-events/workflow-events.handler.ts',
    consumes: 'events',
    batchSize: 10,
    tables: { contacts: 'readWrite', campaigns: 'readWrite', workflows: 'readWrite', numbers: 'readWrite' },
    // The registry stays the operator's: senders write only their numbers' rate budgets (dynamodb:LeadingKeys).
    writeLeadingKeyPrefixes: { numbers: BUDGET_KEY_PREFIX },
    sendsTo: ['workflows', 'events'],
    sendsSms: true,
    schedules: true,
  },
  workflowRunner: {
    entry: 'functions/workflow-runner/workflow-runner.handler.ts',
    consumes: 'workflows',
    batchSize: 10,
    tables: { contacts: 'readWrite', campaigns: 'readWrite', workflows: 'readWrite', numbers: 'readWrite' },
    // The registry stays the operator's: senders write only their numbers' rate budgets (dynamodb:LeadingKeys).
    writeLeadingKeyPrefixes: { numbers: BUDGET_KEY_PREFIX },
    sendsTo: ['workflows', 'events'],
    sendsSms: true,
    schedules: true,
  },
} as const satisfies Record<string, WorkerSpec>;

export type WorkerName = keyof typeof workers;

export interface MessagingStackProps extends StackProps {
  config: StageConfig;
  tables: Record<TableName, ITable>;
  messaging: MessagingResources;
}

/**
 * The stateless side of the messaging pipeline: the queue-driven functions (launcher, send
 * worker, receipt processor, inbound SMS processor, workflow event handler and runner). Each consumes its queue with partial batch responses (a failed
 * record is redelivered alone and reaches the DLQ after five receives), runs with the timeout
 * its queue's visibility timeout was sized for, and is granted only the tables, queues, SMS
 * resources and schedules its spec in {@link workers} names. Kept apart from the API stack so the pipeline
 * can be deployed, throttled or rolled back without touching the front door.
 */
export class MessagingStack extends Stack {
  readonly functions: Record<WorkerName, AppFunction>;

  constructor(scope: Construct, id: string, props: MessagingStackProps) {
    super(scope, id, props);
    // Strong references: CloudFormation refuses to delete a queue or table still in use here.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, tables, messaging } = props;

    this.functions = Object.fromEntries(
      (Object.entries(workers) as [WorkerName, WorkerSpec][]).map(([name, spec]) => {
        const fn = new AppFunction(this, `${name[0]!.toUpperCase()}${name.slice(1)}Function`, {
          name,
          entry: spec.entry,
          stage: config.stage,
          logLevel: config.logLevel,
          logRetention: config.logRetention,
          retainLogs: config.retainLogs,
          timeout: consumerTimeouts[spec.consumes],
        });
        for (const [table, access] of Object.entries(spec.tables) as [TableName, 'read' | 'readWrite'][]) {
          const writeLeadingKeyPrefix = spec.writeLeadingKeyPrefixes?.[table];
          fn.bindTable(
            tables[table],
            access,
            tableEnvVars[table],
            writeLeadingKeyPrefix ? { writeLeadingKeyPrefix } : {},
          );
        }
        fn.locateMessaging(messaging);
        for (const queue of spec.sendsTo) fn.bindQueue(messaging.queues[queue], queueEnvVars[queue]);
        if (spec.sendsSms) fn.bindSmsSending(messaging.configurationSet, config.sms.originationIdentityArns);
        // Texts with tracked links point there (a tenant's own short domain overrides it).
        if (spec.sendsSms && config.shortLinkBaseUrl) {
          fn.function.addEnvironment('SHORT_LINK_BASE_URL', config.shortLinkBaseUrl);
        }
        if (spec.schedules) fn.bindScheduler(messaging.scheduling);
        fn.consumeQueue(messaging.queues[spec.consumes], {
          batchSize: spec.batchSize,
          ...(spec.maxConcurrency ? { maxConcurrency: config.sms.sendWorkerMaxConcurrency } : {}),
          ...(spec.maxBatchingWindow ? { maxBatchingWindow: spec.maxBatchingWindow } : {}),
        });
        // Each concurrent worker paces itself to its share of the tenant's messages per second,
        // so together they stay within the sender's budget.
        if (spec.maxConcurrency) {
          fn.function.addEnvironment('SEND_WORKER_CONCURRENCY', String(config.sms.sendWorkerMaxConcurrency));
        }
        return [name, fn];
      }),
    ) as Record<WorkerName, AppFunction>;
  }
}
