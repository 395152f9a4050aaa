import { DateTime } from 'luxon';
import { LocalClock } from '../shared/adapters/local/local-clock';
import type { CampaignEstimate } from '../shared/domain/campaigns/campaign.schema';
import { type BenchStack, startBenchStack } from './stack-client';

/** Area codes of one zone each (their whole prefix range sits in it). */
const AREA = { newYork: '212', chicago: '312', denver: '303', losAngeles: '213' } as const;
type Area = keyof typeof AREA;

interface Scenario {
  name: string;
  mps: number;
  /** The campaign is sent at this New York local time (each scenario after the one before: the clock only moves on). */
  startNewYork: string;
  audience: Partial<Record<Area, number>>;
}

/**
 * Five blasts: one zone and four, 3 to 100 messages a second, one where New York's window closes mid-send (the rest
 * go the next morning, reached by moving the stack's clock), one where Los Angeles' window opens mid-send.
 */
const SCENARIOS: Scenario[] = [
  { name: 'one zone, 3 MPS', mps: 3, startNewYork: '2026-03-04T14:00:00', audience: { newYork: 150 } },
  {
    name: 'four zones, 10 MPS',
    mps: 10,
    startNewYork: '2026-03-05T14:00:00',
    audience: { newYork: 100, chicago: 100, denver: 100, losAngeles: 100 },
  },
  {
    name: 'window closes mid-send, 20 MPS',
    mps: 20,
    startNewYork: '2026-03-06T16:59:30',
    audience: { newYork: 500, chicago: 500 },
  },
  {
    // Sunday 8 March 2026: the day the United States move to daylight time.
    name: 'window opens mid-send on the DST day, 50 MPS',
    mps: 50,
    startNewYork: '2026-03-08T11:59:40',
    audience: { newYork: 500, chicago: 500, losAngeles: 500 },
  },
  {
    name: 'four zones, 100 MPS',
    mps: 100,
    startNewYork: '2026-03-10T15:00:00',
    audience: { newYork: 750, chicago: 750, denver: 750, losAngeles: 750 },
  },
];

const WINDOW = { start: '09:00', end: '17:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Contacts of their own for each scenario (an exchange per scenario), tagged with it. */
function contactsOf(audience: Scenario['audience'], index: number) {
  return Object.entries(audience).flatMap(([area, count]) =>
    Array.from({ length: count ?? 0 }, (_, i) => ({
      phone: `+1${AREA[area as Area]}${200 + index}${String(i).padStart(4, '0')}`,
      smsConsent: 'opted_in' as const,
      tags: [`Bench${index}`],
    })),
  );
}

interface Outcome {
  name: string;
  recipients: number;
  estimatedSeconds: number;
  actualSeconds: number;
  relativeError: number;
  estimatedWaiting: number;
  actualWaiting: number;
  /** Messages a second the stack actually sent at in the first window (below the MPS when the machine is busy). */
  achievedRate: number;
}

const startOf = (scenario: Scenario) =>
  DateTime.fromISO(scenario.startNewYork, { zone: 'America/New_York' }).toMillis();

/** Sends one scenario's blast; moves the clock to the next opening whenever only held recipients are left. */
async function run(bench: BenchStack, scenario: Scenario, index: number): Promise<Outcome> {
  const startAt = startOf(scenario);
  await bench.call('PATCH', '/v1/settings', { mps: scenario.mps });
  await bench.importContacts(contactsOf(scenario.audience, index));
  const campaign = await bench.call<{ id: string }>('POST', '/v1/campaigns', {
    name: scenario.name,
    audience: { tags: { any: [`Bench${index}`] } },
    body: 'Acme Realty: open house Saturday 10-2!',
  });
  // The contacts are loaded before the start, and the clock moved to it: the blast starts at the planned instant.
  await bench.stack.travel.advanceTo(startAt);
  {
    const estimate = await bench.call<CampaignEstimate>('GET', `/v1/campaigns/${campaign.id}/estimate`);
    await bench.call('POST', `/v1/campaigns/${campaign.id}/send`);
    const outbox = () =>
      bench.stack.messaging.carrier.outbox().filter((record) => record.context.campaignId === campaign.id);
    let seen = -1;
    let quietPolls = 0;
    for (;;) {
      const results = await bench.call<{ status: string; nextSendAt: string | null }>(
        'GET',
        `/v1/campaigns/${campaign.id}/results`,
      );
      if (results.status === 'sent') break;
      const count = outbox().length;
      quietPolls = count === seen ? quietPolls + 1 : 0;
      seen = count;
      // Nothing has moved for two seconds and someone is held for a later opening: go there rather than wait hours.
      if (quietPolls >= 8 && results.nextSendAt) {
        console.log(`  ${count} sent; moving the clock to ${results.nextSendAt}`);
        await bench.stack.travel.advanceTo(Date.parse(results.nextSendAt));
        quietPolls = 0;
      }
      await sleep(250);
    }
    const sentAt = outbox().map((record) => Date.parse(record.acceptedAt));
    const start = Date.parse(estimate.startsAt);
    const actualLast = Math.max(...sentAt);
    const estimatedLast = Date.parse(estimate.lastSendAt ?? estimate.startsAt);
    const actualSeconds = (actualLast - start) / 1000;
    const estimatedSeconds = (estimatedLast - start) / 1000;
    // Sent in a later window than the first: more than an hour after the start (no window here is shorter).
    const actualWaiting = sentAt.filter((at) => at > start + 3_600_000).length;
    const firstWindow = sentAt.filter((at) => at <= start + 3_600_000);
    const span = (Math.max(...firstWindow) - Math.min(...firstWindow)) / 1000;
    return {
      name: scenario.name,
      recipients: sentAt.length,
      estimatedSeconds: Math.round(estimatedSeconds * 10) / 10,
      actualSeconds: Math.round(actualSeconds * 10) / 10,
      relativeError: Math.round((Math.abs(estimatedSeconds - actualSeconds) / actualSeconds) * 10_000) / 10_000,
      estimatedWaiting: estimate.waitingForNextWindow,
      actualWaiting,
      achievedRate: span > 0 ? Math.round(((firstWindow.length - 1) / span) * 10) / 10 : 0,
    };
  }
}

/**
 * `npm run bench:estimate`: for each scenario, the finish-time estimate taken right before the send against the
 * actual finish (the carrier's last acceptance) of the same blast on a fresh local stack. The relative error is
 * |estimated - actual| / actual of the time from the start to the last send.
 */
async function main() {
  // One stack (handler modules wire their adapters once per process), its clock started before the first scenario.
  const bench = await startBenchStack('bench-estimate', true, {
    carrier: { mps: 1_000, receiptDelayMs: 100 },
    clock: new LocalClock({ startAt: startOf(SCENARIOS[0]!) - 600_000 }),
  });
  const outcomes: Outcome[] = [];
  try {
    await bench.call('PATCH', '/v1/settings', { sendWindow: WINDOW, frequencyCap: { maxMessages: 100, perHours: 1 } });
    for (const [index, scenario] of SCENARIOS.entries()) {
      console.log(`${scenario.name}: ${Object.values(scenario.audience).reduce((a, b) => a + (b ?? 0), 0)} recipients`);
      const outcome = await run(bench, scenario, index);
      console.log(`  ${JSON.stringify(outcome)}`);
      outcomes.push(outcome);
    }
  } finally {
    await bench.stop();
  }
  const worst = Math.max(...outcomes.map((outcome) => outcome.relativeError));
  console.log(JSON.stringify({ bench: 'estimate', worstRelativeError: worst, goal: 0.1, scenarios: outcomes }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
