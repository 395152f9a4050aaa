import { join, resolve } from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { FileScheduleStore } from '../shared/adapters/local/file-schedule-store';
import type { LocalClock } from '../shared/adapters/local/local-clock';
import { LocalQueue } from '../shared/adapters/local/local-queue';
import { LocalScheduler } from '../shared/adapters/local/local-scheduler';
import { MemoryScheduleStore } from '../shared/adapters/local/memory-schedule-store';
import { SimulatedCarrier, type SimulatedCarrierOptions } from '../shared/adapters/local/simulated-carrier';
import { simulatedCarrierSettingsFromEnv } from '../shared/adapters/local/simulated-carrier-env';
import { installLocalAdapters } from '../shared/config/local-adapters';
import { LOCAL_TABLE_NAMES } from './local-dynamo';

type SqsLambda = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** Invocations and their summed duration per worker function, as Lambda would bill them. */
/** Send workers the local stack runs at once (what SEND_WORKER_CONCURRENCY is on AWS), unless told otherwise. */
export const LOCAL_SEND_WORKERS = 8;

export type FunctionStats = Record<string, { invocations: number; durationMs: number }>;

export interface LocalMessaging {
  queue: LocalQueue;
  functionStats(): FunctionStats;
  scheduler: LocalScheduler;
  carrier: SimulatedCarrier;
  /** Imports the worker handlers and starts consuming; call after the environment is set. */
  startWorkers(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The in-process stand-ins for SQS, EventBridge Scheduler and the carrier, installed for the
 * handler modules. Queue consumers are the very Lambda handlers of the send worker, the launcher
 * and the receipt processor; the carrier's receipts travel the receipts queue as SNS would feed it.
 */
export async function startLocalMessaging(options: {
  dataDir: string | undefined;
  carrier?: Partial<SimulatedCarrierOptions> | undefined;
  sendConcurrency?: number | undefined;
  /** The stack's one clock: the queue's delays, the scheduler, the carrier and the handlers all read and wait on it. */
  clock: LocalClock;
}): Promise<LocalMessaging> {
  // The workflow handlers (API and consumers) read the workflows table, which the local stack creates with the others.
  process.env.WORKFLOWS_TABLE_NAME = LOCAL_TABLE_NAMES.workflows;
  const { clock } = options;
  const queue = new LocalQueue({ clock, timers: clock });
  const carrier = await SimulatedCarrier.open({
    ...simulatedCarrierSettingsFromEnv(),
    ...options.carrier,
    clock,
    timers: clock,
    dataDir: options.dataDir,
    onReceipt: async (record) => queue.sendMessages('receipts', [{ body: record }]),
  });
  const scheduler = new LocalScheduler({
    store: options.dataDir ? new FileScheduleStore(join(options.dataDir, 'schedules.json')) : new MemoryScheduleStore(),
    clock,
    timers: clock,
    // EventBridge Scheduler's targets are SQS queues: a fire is a message on the launch or the workflows queue.
    invokeTarget: async (target, payload) => {
      await queue.sendMessages(target === 'launcher' ? 'launch' : 'workflows', [{ body: payload }]);
    },
  });
  installLocalAdapters({ queue, scheduler, gateway: carrier, clock });
  const stats: FunctionStats = {};
  const timed = (name: string, handler: SqsLambda): SqsLambda => {
    stats[name] = { invocations: 0, durationMs: 0 };
    return async (event, context) => {
      const started = performance.now();
      try {
        return await handler(event, context);
      } finally {
        const entry = stats[name] as { invocations: number; durationMs: number };
        entry.invocations++;
        entry.durationMs += performance.now() - started;
      }
    };
  };

  return {
    queue,
    scheduler,
    carrier,
    functionStats: () => structuredClone(stats),
    async startWorkers() {
      const load = async (entry: string) =>
        timed(
          entry.split('/')[1] as string,
          ((await import(resolve(__dirname, '..', entry))) as { handler: SqsLambda }).handler,
        );
      queue.register('launch', await load('functions/campaign-launcher/campaign-launcher.handler.ts'), {
        batchSize: 1,
        maxConcurrency: 2,
        visibilityTimeoutSeconds: 30,
        functionName: 'campaign-launcher',
        functionTimeoutSeconds: 900,
      });
      queue.register('send', await load('functions/send-worker/send-worker.handler.ts'), {
        batchSize: 10,
        maxConcurrency: options.sendConcurrency ?? LOCAL_SEND_WORKERS,
        visibilityTimeoutSeconds: 30,
        functionName: 'send-worker',
      });
      queue.register('receipts', await load('functions/sms-receipts/sms-receipts.handler.ts'), {
        batchSize: 100,
        maxConcurrency: 4,
        visibilityTimeoutSeconds: 30,
        functionName: 'sms-receipts',
      });
      queue.register('inbound', await load('functions/sms-inbound/sms-inbound.handler.ts'), {
        batchSize: 10,
        maxConcurrency: 2,
        visibilityTimeoutSeconds: 30,
        functionName: 'sms-inbound',
      });
      queue.register('events', await load('functions/workflow-events/workflow-events.handler.ts'), {
        batchSize: 25,
        maxConcurrency: 2,
        visibilityTimeoutSeconds: 30,
        functionName: 'workflow-events',
      });
      queue.register('workflows', await load('functions/workflow-runner/workflow-runner.handler.ts'), {
        batchSize: 50,
        maxConcurrency: 4,
        visibilityTimeoutSeconds: 30,
        functionName: 'workflow-runner',
      });
      await scheduler.start();
    },
    async stop() {
      await scheduler.stop();
      await queue.stop();
      await carrier.stop();
      installLocalAdapters(undefined);
    },
  };
}
