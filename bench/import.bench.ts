import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoContacts } from '../local/demo-contacts';
import { startLocalStack } from '../local/local-stack';
import { CapacityMeter } from '../shared/adapters/aws/dynamo/document-client';
import { mapConcurrent } from '../shared/lib/map-concurrent';
import { numericFlag } from './bench-args';
import { measureImportFloor } from './import-floor';

/**
 * `npm run bench:import -- --contacts 100000 [--batch 1000] [--concurrency 4] [--memory]`: imports through
 * the HTTP API into a fresh local stack (dynalite on disk in a temp folder, or in memory) and counts the write units
 * and requests DynamoDB reports for it; then measures the dynalite floor of the same run (each contact's items
 * batch-written with no application code, on up to 20,000 contacts) and the ratio to it.
 */
async function main() {
  const total = numericFlag('contacts', 100_000);
  const batchSize = numericFlag('batch', 1000);
  const concurrency = numericFlag('concurrency', 4);
  const dataDir = await mkdtemp(join(tmpdir(), 'sms-bench-import-'));
  const inMemory = process.argv.includes('--memory');
  const stack = await startLocalStack({ port: 0, dataDir: inMemory ? undefined : dataDir });
  const meter = new CapacityMeter();
  CapacityMeter.active = meter;
  try {
    const token = await stack.auth.sign('bench-import');
    const contacts = demoContacts(total);
    const batches: (typeof contacts)[] = [];
    for (let i = 0; i < contacts.length; i += batchSize) batches.push(contacts.slice(i, i + batchSize));
    console.log(`importing ${total} contacts in ${batches.length} calls of ${batchSize}, ${concurrency} at a time`);

    let created = 0;
    let updated = 0;
    let rejected = 0;
    let done = 0;
    const started = performance.now();
    await mapConcurrent(batches, concurrency, async (batch) => {
      const response = await fetch(`${stack.url}/v1/contacts/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ contacts: batch }),
      });
      if (response.status !== 200) throw new Error(`import answered ${response.status}: ${await response.text()}`);
      const result = (await response.json()) as { created: number; updated: number; rejected: unknown[] };
      created += result.created;
      updated += result.updated;
      rejected += result.rejected.length;
      done += batch.length;
      if (done % (batchSize * 10) === 0 || done === total) {
        const seconds = (performance.now() - started) / 1000;
        console.log(`  ${done}/${total} imported, ${Math.round(done / seconds)} contacts/s`);
      }
    });
    const elapsedMs = performance.now() - started;
    if (created !== total)
      throw new Error(`expected ${total} created, got ${created} (updated ${updated}, rejected ${rejected})`);
    const round = (n: number, digits = 2) => Number(n.toFixed(digits));
    CapacityMeter.active = undefined;
    console.log("measuring the dynalite floor (each contact's items batch-written, no application code)...");
    const floor = await measureImportFloor(
      stack.dynamo.endpoint,
      stack.dynamo.tableNames.contacts,
      demoContacts(Math.min(total, 20_000)),
    );
    const contactsPerSecond = Math.round(total / (elapsedMs / 1000));
    console.log(
      JSON.stringify({
        bench: 'import',
        contacts: total,
        contactsPerSecond,
        floorContactsPerSecond: floor.contactsPerSecond,
        ratioToFloor: round(contactsPerSecond / floor.contactsPerSecond, 3),
        wcuPerContact: round(meter.writeUnits / total),
        rcuPerContact: round(meter.readUnits / total),
        dynamoRequestsPerContact: round(meter.requests / total, 3),
        elapsedMs: Math.round(elapsedMs),
      }),
    );
  } finally {
    CapacityMeter.active = undefined;
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
