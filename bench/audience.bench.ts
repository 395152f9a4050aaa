import { demoContacts } from '../local/demo-contacts';
import { CapacityMeter } from '../shared/adapters/aws/dynamo/document-client';
import { numericFlag } from './bench-args';
import { percentile, startBenchStack } from './stack-client';

/**
 * `npm run bench:audience -- --contacts 100000 [--runs 20] [--memory]`: loads contacts with a
 * realistic spread of tags and fields through the import API into a fresh local stack, then times
 * repeated audience previews (tag groups and filters) and an SMS preview over an audience.
 */
async function main() {
  const total = numericFlag('contacts', 100_000);
  const runs = numericFlag('runs', 20);
  const bench = await startBenchStack('bench-audience', process.argv.includes('--memory'));
  try {
    console.log(`loading ${total} contacts through POST /v1/contacts/import...`);
    const loadStarted = performance.now();
    await bench.importContacts(demoContacts(total), (done) => {
      if (done % 10_000 === 0) console.log(`  ${done}/${total} loaded`);
    });
    console.log(`loaded in ${Math.round((performance.now() - loadStarted) / 1000)} s`);

    const tagAudiences = [
      { tags: { any: ['VIP'] } },
      { tags: { all: ['Buyer Lead', 'Open House'] } },
      { tags: { any: ['Seller Lead', 'Referral'], none: ['Past Client'] } },
    ];
    const filterAudiences = [
      { filter: { all: [{ field: 'customFields.leadScore', op: 'gte', value: 70 }] } },
      {
        filter: {
          any: [
            { field: 'timeZone', op: 'eq', value: 'America/Chicago' },
            {
              all: [
                { field: 'tags', op: 'contains', value: 'VIP' },
                { field: 'firstName', op: 'contains', value: 'a' },
              ],
            },
          ],
        },
      },
    ];
    const meter = new CapacityMeter();
    CapacityMeter.active = meter;
    // The picker opens on the whole tenant: that first count is cold (it reads every contact once);
    // every later preview reuses the warm snapshot until a contact write moves the tenant's stamp.
    const coldStarted = performance.now();
    const whole = await bench.call<{ matched: number }>('POST', '/v1/audiences/preview', {
      audience: { filter: { all: [] } },
    });
    const coldPreviewMs = performance.now() - coldStarted;
    console.log(`first (cold) preview of the whole tenant: ${whole.matched} matched, ${Math.round(coldPreviewMs)} ms`);
    const time = async (audience: unknown) => {
      const started = performance.now();
      const result = await bench.call<{ matched: number }>('POST', '/v1/audiences/preview', { audience });
      return { ms: performance.now() - started, matched: result.matched };
    };
    const tagTimes: number[] = [];
    const filterTimes: number[] = [];
    let previews = 0;
    for (let run = 0; run < runs; run++) {
      for (const audience of tagAudiences) {
        const { ms, matched } = await time(audience);
        tagTimes.push(ms);
        previews++;
        if (run === 0)
          console.log(`  tag audience ${JSON.stringify(audience)}: ${matched} matched, ${Math.round(ms)} ms`);
      }
      for (const audience of filterAudiences) {
        const { ms, matched } = await time(audience);
        filterTimes.push(ms);
        previews++;
        if (run === 0) console.log(`  filter audience: ${matched} matched, ${Math.round(ms)} ms`);
      }
    }
    const rcuPerPreview = meter.readUnits / previews;
    CapacityMeter.active = undefined;

    // The composer's live count over the whole tenant, as a person types (the first one is cold).
    const smsTimes: number[] = [];
    for (let run = 0; run < Math.max(5, Math.ceil(runs / 2)); run++) {
      const started = performance.now();
      const sms = await bench.call<{ estimatedSegments: number }>('POST', '/v1/sms/preview', {
        body: `Hi {{contact.first_name}}, Acme Realty: open house this Saturday!${' Bring a friend.'.repeat(run % 8)}`,
        audience: { filter: { all: [] } },
      });
      smsTimes.push(performance.now() - started);
      console.log(
        `  SMS preview over ${total} contacts: ${sms.estimatedSegments} segments, ${Math.round(smsTimes.at(-1) ?? 0)} ms`,
      );
    }

    console.log(
      JSON.stringify({
        bench: 'audience',
        contacts: total,
        tagCountP95Ms: Math.round(percentile(tagTimes, 95)),
        filterCountP95Ms: Math.round(percentile(filterTimes, 95)),
        rcuPerPreview: Math.round(rcuPerPreview),
        coldPreviewMs: Math.round(coldPreviewMs),
        smsPreviewColdMs: Math.round(smsTimes[0] ?? 0),
        smsPreviewWarmP95Ms: Math.round(percentile(smsTimes.slice(1), 95)),
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
