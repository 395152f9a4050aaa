import { CapacityMeter } from '../shared/adapters/aws/dynamo/document-client';
import { numericFlag } from './bench-args';
import { measureDynamoFloor } from './dynamo-floor';
import { childPid, cpuMsOf } from './process-cpu';
import { startBenchStack } from './stack-client';

/**
 * us-east-1 list prices used to price the counted operations, excluding the SMS itself.
 * Source: the AWS pricing pages for DynamoDB on-demand, SQS, Lambda (arm64) and EventBridge
 * Scheduler, as published on 2026-11-01.
 */
const PRICES_USD = {
  dynamoWriteRequestUnit: 0.625 / 1e6,
  dynamoReadRequestUnit: 0.125 / 1e6,
  sqsRequest: 0.4 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecondArm: 0.0000133334,
  schedulerInvocation: 1.0 / 1e6,
};
/** The memory the CDK stacks give every function. */
const LAMBDA_MEMORY_GB = 0.5;

/** Bench contacts live in a zone where it is early afternoon now, so the send window never defers them. */
function afternoonZone(now: Date): string {
  const offset = 13 - now.getUTCHours();
  const wrapped = ((offset + 12 + 24) % 24) - 12;
  // Etc/GMT zones have inverted signs: Etc/GMT-3 is UTC+3.
  return wrapped === 0 ? 'Etc/UTC' : `Etc/GMT${wrapped > 0 ? '-' : '+'}${Math.abs(wrapped)}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `npm run bench:blast -- --recipients 20000 [--mps N]`: a fresh local stack end to end, from the
 * send call to every recipient handed to the carrier and every receipt recorded. Duplicates and
 * losses come from the carrier's outbox compared with the audience, not from the pipeline's counters.
 */
async function main() {
  const recipients = numericFlag('recipients', 20_000);
  const mps = process.argv.includes('--mps') ? numericFlag('mps', 100) : undefined;
  const bench = await startBenchStack('bench-blast', process.argv.includes('--memory'), {
    carrier: { mps: mps ?? 1_000_000, receiptDelayMs: 100 },
    sendConcurrency: 8,
  });
  try {
    const zone = afternoonZone(new Date());
    await bench.call('PATCH', '/v1/settings', {
      businessName: 'Acme Realty',
      mps: mps ?? 3_000, // the highest a number allows (the simulated number is registered at it)
      sendWindow: { start: '08:00', end: '21:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] },
      frequencyCap: { maxMessages: 100, perHours: 1 },
    });
    // UK mobile numbers: one time zone each, the one we give them.
    const contacts = Array.from({ length: recipients }, (_, i) => ({
      phone: `+447700${String(100000 + i).padStart(6, '0')}`,
      firstName: `Guest${i}`,
      timeZone: zone,
      smsConsent: 'opted_in' as const,
      tags: ['Blast'],
    }));
    console.log(`loading ${recipients} opted-in contacts (zone ${zone})...`);
    await bench.importContacts(contacts);
    const campaign = await bench.call<{ id: string }>('POST', '/v1/campaigns', {
      name: 'Bench blast',
      audience: { tags: { any: ['Blast'] } },
      body: 'Hi {{contact.first_name}}, Acme Realty: our open house is this Saturday 10-2. See you there!',
    });

    const { queue, carrier } = bench.stack.messaging;
    const meter = new CapacityMeter();
    CapacityMeter.active = meter;
    const queueBefore = queue.stats();
    const functionsBefore = bench.stack.messaging.functionStats();
    const acceptedBefore = carrier.stats().accepted;
    const dynalite = childPid('dynalite-process');
    const dynamoCpuBefore = cpuMsOf(dynalite);
    const started = Date.now();
    const cpuBefore = process.cpuUsage();
    await bench.call('POST', `/v1/campaigns/${campaign.id}/send`);
    console.log('sending...');
    let lastReport = 0;
    while (carrier.stats().accepted - acceptedBefore < recipients) {
      await sleep(100);
      const done = carrier.stats().accepted - acceptedBefore;
      if (Date.now() - lastReport > 2000) {
        console.log(`  ${done}/${recipients} handed to the carrier`);
        lastReport = Date.now();
      }
      if (Date.now() - started > 30 * 60_000) throw new Error('blast did not finish in 30 minutes');
    }
    const handedOverMs = Date.now() - started;
    const dynamoCpuHandedOver = cpuMsOf(dynalite);
    console.log('waiting for every receipt to be recorded...');
    for (;;) {
      const results = await bench.call<{ delivered: number; failed: number; sent: number; status: string }>(
        'GET',
        `/v1/campaigns/${campaign.id}/results`,
      );
      if (results.delivered + results.failed >= recipients && results.status === 'sent') break;
      await sleep(200);
      if (Date.now() - started > 35 * 60_000) throw new Error('receipts did not arrive in time');
    }
    const totalMs = Date.now() - started;
    // The stack's own CPU (handlers, queue, carrier, HTTP): dynalite runs in a process of its own.
    const cpu = process.cpuUsage(cpuBefore);
    const dynamoCpuAfter = cpuMsOf(dynalite);
    CapacityMeter.active = undefined;
    console.log('measuring the dynalite floor (one batched ledger write and one conditional update per recipient)...');
    const floor = await measureDynamoFloor(
      bench.stack.dynamo.endpoint,
      bench.stack.dynamo.tableNames.campaigns,
      Math.min(recipients, 10_000),
    );

    const sentMessages = carrier
      .outbox({ limit: Number.MAX_SAFE_INTEGER })
      .filter((m) => m.context.campaignId === campaign.id);
    const perPhone = new Map<string, number>();
    for (const m of sentMessages) perPhone.set(m.to, (perPhone.get(m.to) ?? 0) + 1);
    const duplicates = [...perPhone.values()].reduce((sum, n) => sum + n - 1, 0);
    const lost = contacts.filter((c) => !perPhone.has(c.phone)).length;
    const accepted = sentMessages.map((m) => Date.parse(m.acceptedAt)).sort((a, b) => a - b);
    const firstSendMs = (accepted[0] ?? started) - started;
    const sendingSeconds = Math.max(0.001, ((accepted.at(-1) ?? started) - (accepted[0] ?? started)) / 1000);

    const queueAfter = queue.stats();
    const functionsAfter = bench.stack.messaging.functionStats();
    let invocations = 0;
    let durationMs = 0;
    for (const [name, after] of Object.entries(functionsAfter)) {
      invocations += after.invocations - (functionsBefore[name]?.invocations ?? 0);
      durationMs += after.durationMs - (functionsBefore[name]?.durationMs ?? 0);
    }
    // On AWS each invocation also costs the event source mapping a receive and a delete batch.
    console.log('function invocations:', JSON.stringify(functionsAfter));
    console.log('queue:', JSON.stringify(queueAfter));
    const perRecipient = [...meter.byCall].map(
      ([call, n]) => `${call} ${(n.requests / recipients).toFixed(3)} (${(n.units / recipients).toFixed(2)} units)`,
    );
    console.log('DynamoDB requests (capacity units) per recipient:', perRecipient.join(', '));
    const sqsRequests = queueAfter.requests - queueBefore.requests + 2 * invocations;
    const cost =
      meter.writeUnits * PRICES_USD.dynamoWriteRequestUnit +
      meter.readUnits * PRICES_USD.dynamoReadRequestUnit +
      sqsRequests * PRICES_USD.sqsRequest +
      invocations * PRICES_USD.lambdaRequest +
      (durationMs / 1000) * LAMBDA_MEMORY_GB * PRICES_USD.lambdaGbSecondArm;
    const round = (n: number, digits = 2) => Number(n.toFixed(digits));
    if (dynamoCpuBefore !== undefined && dynamoCpuHandedOver !== undefined) {
      // Busy share of one core while recipients were handed over: near 1, dynalite is what holds the blast back.
      const busy = (dynamoCpuHandedOver - dynamoCpuBefore) / handedOverMs;
      console.log(`dynalite was busy ${(busy * 100).toFixed(0)}% of one core while the blast was handed over`);
    }
    console.log(
      `handed to the carrier in ${round(handedOverMs / 1000)} s, all receipts recorded after ${round(totalMs / 1000)} s; ` +
        `${invocations} function invocations, ${round(durationMs / 1000)} s of function time`,
    );
    console.log(
      JSON.stringify({
        bench: 'blast',
        recipients,
        recipientsPerSecond: Math.round(recipients / (handedOverMs / 1000)),
        floorRecipientsPerSecond: floor.recipientsPerSecond,
        ratioToFloor: round(recipients / (handedOverMs / 1000) / floor.recipientsPerSecond, 3),
        dynamoRequestsPerRecipient: round(meter.requests / recipients, 3),
        appCpuMicrosPerRecipient: Math.round((cpu.user + cpu.system) / recipients),
        dynamoCpuMicrosPerRecipient:
          dynamoCpuAfter === undefined || dynamoCpuBefore === undefined
            ? null
            : Math.round(((dynamoCpuAfter - dynamoCpuBefore) * 1000) / recipients),
        firstSendMs,
        wcuPerRecipient: round(meter.writeUnits / recipients),
        rcuPerRecipient: round(meter.readUnits / recipients),
        sqsRequestsPerRecipient: round(sqsRequests / recipients, 3),
        costPer1MUsd: round((cost / recipients) * 1e6),
        duplicates,
        lost,
        mpsUtilization: mps ? round(recipients / sendingSeconds / mps, 3) : null,
        endToEndSeconds: round(totalMs / 1000),
      }),
    );
  } finally {
    CapacityMeter.active = undefined;
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
