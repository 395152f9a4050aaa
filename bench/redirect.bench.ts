import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { batchWriteAll } from '../shared/adapters/aws/dynamo/batch';
import { campaignEntityTypes, campaignsKeys } from '../shared/adapters/aws/dynamo/campaigns-keys';
import { createDocumentClient } from '../shared/adapters/aws/dynamo/document-client';
import { DynamoLinkStore } from '../shared/adapters/aws/dynamo/dynamo-link-store';
import { newShortCode } from '../shared/app/links/short-code';
import type { TrackedLink } from '../shared/domain/links/tracked-link.schema';
import { numericFlag } from './bench-args';
import { childPid, cpuMsOf, ownCpuMs } from './process-cpu';
import { percentile, startBenchStack } from './stack-client';

/**
 * `npm run bench:redirect`: GET /l/{code} on a fresh local stack holding `--links` tracked links (100,000). The links
 * and their recipients' ledger entries (delivered a minute ago) are written straight through the stores in batches,
 * as a blast of that size would have left them, rather than by sending 100,000 texts. Then `--requests` clicks
 * (20,000) with a phone's user agent on codes picked at random (so some are repeat clicks), `--concurrency` (32) at a
 * time over keep-alive connections. Every answer must be a 302 to the link's own URL, and once the events queue has
 * drained (clicks are counted from it, behind the redirect, a batch at a time) the ledger read with its clicks must
 * hold exactly one click per request.
 */
const LINKS = numericFlag('links', 100_000);
const REQUESTS = numericFlag('requests', 20_000);
const CONCURRENCY = numericFlag('concurrency', 32);
const WARM_UP = Math.min(2_000, REQUESTS);
const TENANT = 'bench-redirect';
const CAMPAIGN = 'bench-campaign';
const BROWSER =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1';
const SEED_BATCH = 5_000;
/**
 * `--previewer`: every click from a link previewer's user agent, which the redirect answers but never counts: the
 * redirect's own cost without the counting behind it (a diagnosis; the goal is measured with a phone's clicks).
 */
const PREVIEWER = process.argv.includes('--previewer');
const USER_AGENT = PREVIEWER ? 'facebookexternalhit/1.1' : BROWSER;

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** mulberry32, seeded: the same codes are clicked on every run of the same size. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One GET without following the redirect: status, Location and the time it took. */
function get(agent: Agent, url: URL): Promise<{ status: number; location: string | undefined; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { 'user-agent': USER_AGENT } }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, ms: performance.now() - started }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function seed(bench: Awaited<ReturnType<typeof startBenchStack>>): Promise<TrackedLink[]> {
  const { endpoint, tableNames } = bench.stack.dynamo;
  const client = createDocumentClient({ endpoint, region: 'us-east-1' });
  const store = new DynamoLinkStore(client, tableNames.campaigns);
  const now = bench.stack.clock.now().getTime();
  const sentAt = new Date(now - 120_000).toISOString();
  const deliveredAt = new Date(now - 60_000).toISOString();
  const validUntil = new Date(now + 90 * 86_400_000).toISOString();
  const links: TrackedLink[] = [];
  const started = performance.now();
  for (let from = 0; from < LINKS; from += SEED_BATCH) {
    const batch: TrackedLink[] = [];
    for (let i = from; i < Math.min(LINKS, from + SEED_BATCH); i++) {
      batch.push({
        code: newShortCode(),
        tenantId: TENANT,
        contactId: `c${i}`,
        source: { kind: 'campaign', campaignId: CAMPAIGN },
        index: 0,
        url: `https://shop.example.com/offer/${i}?utm_source=sms`,
        sentAt,
        validUntil,
      });
    }
    await store.saveLinks(batch);
    await batchWriteAll(
      client,
      tableNames.campaigns,
      batch.map((link) => ({
        PutRequest: {
          Item: {
            ...campaignsKeys.ledger(TENANT, CAMPAIGN, link.contactId),
            entity: campaignEntityTypes.ledger,
            campaignId: CAMPAIGN,
            contactId: link.contactId,
            phone: '+18552000000',
            status: 'delivered',
            queuedAt: sentAt,
            sentAt,
            deliveredAt,
          },
        },
      })),
    );
    links.push(...batch);
    console.log(`  ${links.length}/${LINKS} links and ledger entries written`);
  }
  console.log(`seeded in ${round((performance.now() - started) / 1000)} s`);
  client.destroy();
  return links;
}

async function clickAll(bench: Awaited<ReturnType<typeof startBenchStack>>, links: TrackedLink[], count: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const random = seededRandom(18);
  const latencies: number[] = [];
  let wrong = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const link = links[Math.floor(random() * links.length)] as TrackedLink;
      const answer = await get(agent, new URL(`/l/${link.code}`, bench.stack.url));
      if (answer.status !== 302 || answer.location !== link.url) wrong++;
      latencies.push(answer.ms);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, seconds, wrong };
}

async function countedClicks(bench: Awaited<ReturnType<typeof startBenchStack>>): Promise<number> {
  const { createCampaignDeps } = await import('../shared/config/campaign-deps.factory');
  const { campaigns } = createCampaignDeps();
  let clicks = 0;
  let cursor: string | undefined;
  do {
    const page = await campaigns.listLedger(TENANT, CAMPAIGN, { limit: 1000, cursor, clicks: true });
    for (const entry of page.items) clicks += entry.clicks ?? 0;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  void bench;
  return clicks;
}

async function main() {
  const who = PREVIEWER ? 'a link previewer (never counted)' : 'a phone (each click counted)';
  console.log(`bench:redirect: ${LINKS} links, ${REQUESTS} clicks by ${who}, ${CONCURRENCY} at a time`);
  const bench = await startBenchStack(TENANT);
  try {
    const links = await seed(bench);
    console.log(`warming up (${WARM_UP} clicks)...`);
    await clickAll(bench, links, WARM_UP);
    // The redirect handler's own module (the one the stack loaded): its link cache says how much traffic it served.
    const { linkCache } = (await import(resolve(__dirname, '../functions/link-redirect/link-redirect.handler.ts'))) as {
      linkCache: { hits: number; misses: number };
    };
    const dynalite = childPid('dynalite-process');
    const consumer = () => bench.stack.messaging.functionStats()['workflow-events']?.invocations ?? 0;
    const before = {
      hits: linkCache.hits,
      misses: linkCache.misses,
      cpu: ownCpuMs(),
      dynamo: cpuMsOf(dynalite),
      batches: consumer(),
    };
    console.log('measuring...');
    const run = await clickAll(bench, links, REQUESTS);
    const redirectsPerSecond = Math.round(REQUESTS / run.seconds);
    // CPU per redirect (this process (the stack with its counting, and the load generator), and dynalite): what the machine's load does not change much.
    const processCpuMsPerRedirect = round((ownCpuMs() - before.cpu) / REQUESTS, 3);
    const dynamoCpuAfter = cpuMsOf(dynalite);
    const dynamoCpuMsPerRedirect =
      dynamoCpuAfter === undefined || before.dynamo === undefined
        ? null
        : round((dynamoCpuAfter - before.dynamo) / REQUESTS, 3);
    const hits = linkCache.hits - before.hits;
    const cacheHitRate = round(hits / Math.max(1, hits + linkCache.misses - before.misses), 3);
    console.log(
      `link cache hit rate ${cacheHitRate} (codes drawn at random from all ${LINKS}: hits are repeat clicks only); ` +
        `CPU per redirect: this process (stack, its counting and the load generator) ${processCpuMsPerRedirect} ms, dynalite ${dynamoCpuMsPerRedirect} ms`,
    );
    const p50 = percentile(run.latencies, 50);
    const p99 = percentile(run.latencies, 99);
    console.log(
      `${redirectsPerSecond} redirects/s, p50 ${round(p50)} ms, p99 ${round(p99)} ms, wrong answers ${run.wrong}`,
    );
    // Counting runs behind the redirects, from the events queue: wait for it before checking the ledger.
    const drainStarted = performance.now();
    await bench.stack.messaging.queue.drain();
    console.log(`clicks counted ${round((performance.now() - drainStarted) / 1000)} s after the last redirect`);
    const batches = consumer() - before.batches;
    if (batches > 0) console.log(`events consumer: ${batches} batches, ${round(REQUESTS / batches, 1)} clicks a batch`);
    const clicks = await countedClicks(bench);
    const expected = PREVIEWER ? 0 : REQUESTS + WARM_UP;
    const exact = run.wrong === 0 && clicks === expected;
    console.log(`counted clicks on the ledger: ${clicks} (expected ${expected})`);
    console.log(
      JSON.stringify({
        bench: 'redirect',
        redirectsPerSecond,
        p99Ms: round(p99),
        p50Ms: round(p50),
        links: LINKS,
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        counted: !PREVIEWER,
        cacheHitRate,
        processCpuMsPerRedirect,
        dynamoCpuMsPerRedirect,
        exact,
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
