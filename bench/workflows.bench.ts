import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CapacityMeter } from '../shared/adapters/aws/dynamo/document-client';
import { numericFlag } from './bench-args';
import { percentile, startBenchStack } from './stack-client';

const WAIT_MS = 5_000;
const STEPS_PER_ENROLLMENT = 3;

/** Bench contacts live in a zone where it is early afternoon now, so the send window never defers them. */
function afternoonZone(now: Date): string {
  const offset = 13 - now.getUTCHours();
  const wrapped = ((offset + 12 + 24) % 24) - 12;
  return wrapped === 0 ? 'Etc/UTC' : `Etc/GMT${wrapped > 0 ? '-' : '+'}${Math.abs(wrapped)}`;
}

/** Meters the writes of the workflow engine only: the workflows table and the shared send log, not the import. */
class EngineMeter extends CapacityMeter {
  constructor(private readonly excludedTable: string) {
    super();
  }

  override record(kind: 'read' | 'write', consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
    const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).filter(
      (c) => c.TableName !== this.excludedTable,
    );
    super.record(kind, list);
  }
}

/** DynamoDB requests by command and table while `counting` is on (each BatchGet/BatchWrite is one request). */
const commandCounts = new Map<string, number>();
let counting = false;
const originalSend = DynamoDBDocumentClient.prototype.send;
DynamoDBDocumentClient.prototype.send = function send(this: DynamoDBDocumentClient, ...args: unknown[]) {
  if (counting) {
    const command = args[0] as { constructor: { name: string }; input?: { TableName?: string; RequestItems?: object } };
    const table = command.input?.TableName ?? Object.keys(command.input?.RequestItems ?? {}).join('+');
    const key = `${command.constructor.name.replace(/Command$/, '')} ${table.replace(/^local-sms-/, '')}`;
    commandCounts.set(key, (commandCounts.get(key) ?? 0) + 1);
  }
  return (originalSend as (...a: unknown[]) => unknown).apply(this, args);
} as typeof originalSend;

interface EnrollmentItem {
  status: string;
  history: { at: string; stepId: string; outcome: string }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `npm run bench:workflows -- --enrollments 10000`: a fresh local stack; a three-step workflow (text, wait 5 s,
 * text) triggered by contact creation; N contacts imported. Prints steps per second from the first import to the
 * last completion, the p95 of how late the wake-ups ran after their due time, and the write units per step.
 */
async function main() {
  const enrollments = numericFlag('enrollments', 10_000);
  const bench = await startBenchStack('bench-workflows', true, { carrier: { mps: 1_000_000, receiptDelayMs: 100 } });
  try {
    const zone = afternoonZone(new Date());
    await bench.call('PATCH', '/v1/settings', {
      mps: 3_000, // the highest a number allows (the simulated number is registered at it)
      sendWindow: { start: '08:00', end: '21:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] },
      frequencyCap: { maxMessages: 100, perHours: 1 },
    });
    const workflow = await bench.call<{ id: string }>('POST', '/v1/workflows', {
      name: 'Bench drip',
      messageType: 'TRANSACTIONAL',
      trigger: { type: 'contact_created' },
      steps: [
        { id: 'hello', type: 'send_sms', body: 'Hi {{contact.first_name}}, welcome!' },
        { id: 'pause', type: 'wait', duration: `PT${WAIT_MS / 1000}S` },
        { id: 'follow', type: 'send_sms', body: 'Any questions? Just reply.' },
      ],
    });
    await bench.call('POST', `/v1/workflows/${workflow.id}/activate`);
    const contacts = Array.from({ length: enrollments }, (_, i) => ({
      phone: `+447700${String(100000 + i).padStart(6, '0')}`,
      firstName: `Lead${i}`,
      timeZone: zone,
      smsConsent: 'opted_in' as const,
    }));
    const meter = new EngineMeter(bench.stack.dynamo.tableNames.contacts);
    CapacityMeter.active = meter;
    counting = true;
    const started = performance.now();
    console.log(`importing ${enrollments} contacts (each enrolls on creation)...`);
    await bench.importContacts(contacts, (done) => console.log(`  ${done}/${enrollments} imported`));
    console.log(`  import done after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    let completed = 0;
    for (;;) {
      const stats = await bench.call<{ stats: { completed: number; enrolled: number } }>(
        'GET',
        `/v1/workflows/${workflow.id}`,
      );
      completed = stats.stats.completed;
      console.log(`  enrolled ${stats.stats.enrolled}, completed ${completed}/${enrollments}`);
      if (completed >= enrollments) break;
      if (performance.now() - started > 20 * 60_000) throw new Error('gave up after 20 minutes');
      await sleep(1_000);
    }
    const elapsedS = (performance.now() - started) / 1000;
    CapacityMeter.active = undefined;
    counting = false;
    console.log(`elapsed ${elapsedS.toFixed(1)} s; DynamoDB requests per enrollment (all tables, import included):`);
    for (const [key, count] of [...commandCounts].sort((a, b) => b[1] - a[1])) {
      console.log(`  ${key}: ${(count / enrollments).toFixed(2)}`);
    }

    const lateness: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: { items: EnrollmentItem[]; nextCursor: string | null } = await bench.call(
        'GET',
        `/v1/workflows/${workflow.id}/enrollments?limit=500${query}`,
      );
      for (const item of page.items) {
        const waiting = item.history.find((h) => h.stepId === 'pause' && h.outcome === 'waiting');
        const woke = item.history.find((h) => h.stepId === 'pause' && h.outcome === 'woke');
        if (waiting && woke) lateness.push(Date.parse(woke.at) - (Date.parse(waiting.at) + WAIT_MS));
      }
      cursor = page.nextCursor;
    } while (cursor);
    const steps = enrollments * STEPS_PER_ENROLLMENT;
    const sent = bench.stack.messaging.carrier.outbox({ limit: 1_000_000 }).length;
    console.log(`texts accepted by the carrier: ${sent} (expected ${enrollments * 2})`);
    console.log(`function invocations: ${JSON.stringify(bench.stack.messaging.functionStats())}`);
    console.log(
      JSON.stringify({
        bench: 'workflows',
        enrollments,
        stepsPerSecond: Math.round(steps / elapsedS),
        lateWakeupsP95Ms: Math.round(percentile(lateness, 95)),
        wcuPerStep: Number((meter.writeUnits / steps).toFixed(2)),
      }),
    );
  } finally {
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
