import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { DynamoCampaignStore } from '../../../shared/adapters/aws/dynamo/dynamo-campaign-store';
import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { launchCampaign } from '../../../shared/app/campaigns/launch-campaign.use-case';
import { recoverCampaignAfterRestart } from '../../../shared/app/campaigns/recover-after-restart.use-case';
import type { LedgerEntry, LedgerStatus } from '../../../shared/domain/campaigns/ledger.schema';
import {
  type CampaignHarness,
  type ContactSpec,
  chicagoPhone,
  ledgerOf,
  runLaunches,
  runSendsUntilEmpty,
  seedTenant,
  startCampaignHarness,
  statusCounts,
} from './campaign-harness';

let h: CampaignHarness;

beforeAll(async () => {
  h = await startCampaignHarness();
});

afterAll(async () => h.stop());

beforeEach(() => {
  h.queue.held.length = 0;
  h.queue.calls = 0;
  h.queue.failOnCall = undefined;
  h.gateway.calls.length = 0;
  h.gateway.answer = () => undefined;
  h.gateway.afterSend = undefined;
});

const LEASE_MS = 120_000;

async function newSendingCampaign(tenantId: string, audience: unknown = { tags: { any: ['all'] } }) {
  const campaign = await createCampaign(
    tenantId,
    { name: 'Blast', audience: audience as never, body: 'Hi {{contact.first_name | default: "there"}}' },
    h.deps,
  );
  await sendCampaign(tenantId, campaign.id, h.deps);
  return campaign.id;
}

describe('ledger transitions', () => {
  it('of concurrent claims of one entry exactly one wins, for every entry', async () => {
    // Arrange
    const tenantId = h.newTenant('claims');
    const entries: LedgerEntry[] = Array.from({ length: 12 }, (_, i) => ({
      campaignId: 'c-claims',
      contactId: `contact-${i}`,
      phone: chicagoPhone(i),
      status: 'queued',
      queuedAt: '2026-11-26T17:00:00.000Z',
    }));
    await h.campaigns.putLedgerEntries(tenantId, entries);

    // Act: three workers race for each entry
    const results = await Promise.all(
      entries.flatMap((entry) =>
        Array.from({ length: 3 }, (_, worker) =>
          h.campaigns
            .updateLedgerEntry(tenantId, 'c-claims', entry.contactId, { from: ['queued', 'deferred'] }, 'sending', {
              reason: `worker-${worker}`,
            })
            .then((before) => ({ contactId: entry.contactId, won: before !== undefined })),
        ),
      ),
    );

    // Assert
    for (const entry of entries) {
      expect(results.filter((r) => r.contactId === entry.contactId && r.won)).toHaveLength(1);
    }
    const ledger = await ledgerOf(h, tenantId, 'c-claims');
    expect(statusCounts(ledger)).toEqual({ sending: 12 });
  });

  it('moves only from the states it names and keeps the fields it is given', async () => {
    // Arrange
    const tenantId = h.newTenant('moves');
    await h.campaigns.putLedgerEntries(tenantId, [
      { campaignId: 'c', contactId: 'a', phone: chicagoPhone(1), status: 'sent', queuedAt: '2026-11-26T17:00:00.000Z' },
    ]);

    // Act
    const move = (contactId: string, from: LedgerStatus[], to: LedgerStatus, fields = {}) =>
      h.campaigns.updateLedgerEntry(tenantId, 'c', contactId, { from }, to, fields);
    const backwards = await move('a', ['queued'], 'sending');
    const forwards = await move('a', ['sent', 'unknown'], 'delivered', { deliveredAt: '2026-11-26T17:00:05.000Z' });
    const again = await move('a', ['sent', 'unknown'], 'delivered');
    const missing = await move('nobody', ['queued'], 'sending');

    // Assert
    expect([backwards, again, missing]).toEqual([undefined, undefined, undefined]);
    expect(forwards).toMatchObject({ status: 'sent' });
    const entry = (await h.campaigns.getLedgerEntries(tenantId, 'c', ['a'])).get('a');
    expect(entry).toMatchObject({ status: 'delivered', deliveredAt: '2026-11-26T17:00:05.000Z' });
  });

  it('creates a ledger entry only once: a second launcher on the same page never resets a claimed or sent one', async () => {
    // Arrange: an entry a worker already sent
    const tenantId = h.newTenant('no-reset');
    const base = { campaignId: 'c', phone: chicagoPhone(7), queuedAt: '2026-11-26T17:00:00.000Z' };
    const first = await h.campaigns.putLedgerEntries(tenantId, [{ ...base, contactId: 'a', status: 'queued' }]);
    await h.campaigns.updateLedgerEntry(tenantId, 'c', 'a', { from: ['queued'] }, 'sent', { messageId: 'm-1' });

    // Act: a stalled launcher writes the same page again, with one new recipient
    const second = await h.campaigns.putLedgerEntries(tenantId, [
      { ...base, contactId: 'a', status: 'queued' },
      { ...base, contactId: 'b', status: 'queued' },
    ]);

    // Assert
    expect(first.map((e) => e.contactId)).toEqual(['a']);
    expect(second.map((e) => e.contactId)).toEqual(['b']);
    const ledger = await h.campaigns.getLedgerEntries(tenantId, 'c', ['a', 'b']);
    expect(ledger.get('a')).toMatchObject({ status: 'sent', messageId: 'm-1' });
    expect(ledger.get('b')?.status).toBe('queued');
  });

  it('lists by status across pages with a cursor', async () => {
    const tenantId = h.newTenant('listing');
    await h.campaigns.putLedgerEntries(
      tenantId,
      Array.from({ length: 25 }, (_, i) => ({
        campaignId: 'c',
        contactId: `r-${String(i).padStart(2, '0')}`,
        phone: chicagoPhone(i),
        status: i % 5 === 0 ? ('skipped' as const) : ('queued' as const),
        queuedAt: '2026-11-26T17:00:00.000Z',
      })),
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.campaigns.listLedger(tenantId, 'c', { limit: 7, cursor, status: ['queued'] });
      seen.push(...page.items.map((e) => e.contactId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
  });
});

describe('launchCampaign', () => {
  const MIX: ContactSpec[] = [
    ...Array.from({ length: 40 }, (_, i) => ({ phone: chicagoPhone(100 + i), firstName: `In${i}` })),
    ...Array.from({ length: 5 }, (_, i) => ({ phone: chicagoPhone(200 + i), consent: 'unknown' as const })),
    ...Array.from({ length: 5 }, (_, i) => ({ phone: chicagoPhone(300 + i), consent: 'opted_out' as const })),
  ];

  it('run twice: each recipient has one ledger entry and the worker sends to each eligible one once', async () => {
    // Arrange
    const tenantId = h.newTenant('twice');
    const contacts = await seedTenant(h, tenantId, MIX);
    const campaignId = await newSendingCampaign(tenantId);

    // Act: the launch message delivered twice (SQS is at least once), then a third time concurrently
    await runLaunches(h, 'first');
    await launchCampaign({ kind: 'campaignLaunch', tenantId, campaignId }, h.deps, { leaseOwner: 'first' });
    await Promise.all([
      launchCampaign({ kind: 'campaignLaunch', tenantId, campaignId }, h.deps, { leaseOwner: 'first' }),
      launchCampaign({ kind: 'campaignLaunch', tenantId, campaignId }, h.deps, { leaseOwner: 'second' }),
    ]);
    const queuedIds = h.queue.queuedRecipients();
    await runSendsUntilEmpty(h);

    // Assert
    const ledger = await ledgerOf(h, tenantId, campaignId);
    expect(ledger.size).toBe(MIX.length);
    expect(statusCounts(ledger)).toEqual({ sent: 40, skipped: 10 });
    const eligibleIds = [...contacts.values()]
      .filter((c) => c.smsConsent.status === 'opted_in')
      .map((c) => c.id)
      .sort();
    expect([...new Set(queuedIds)].sort()).toEqual(eligibleIds);
    expect([...h.gateway.countsByPhone().values()].every((n) => n === 1)).toBe(true);
    expect(h.gateway.calls).toHaveLength(40);
    const stored = await h.campaigns.getCampaign(tenantId, campaignId);
    expect(stored?.campaign).toMatchObject({ status: 'sent', launchComplete: true });
    expect(stored?.campaign.counts).toMatchObject({
      audience: 50,
      queued: 0,
      sent: 40,
      skipped: { optedOut: 5, noConsent: 5, invalidPhone: 0, frequencyCapped: 0, quietHoursDeferred: 0 },
    });
  });

  it('resumes from its checkpoint after a crash mid-launch: every eligible recipient queued and sent once', async () => {
    // Arrange: an audience of three tags is read one tag partition (one page) at a time; every fifth contact carries
    // two tags, so the ledger must also dedupe across pages. The queue fails on the launcher's third call (page c).
    const tenantId = h.newTenant('crash');
    const TAGS = ['a', 'b', 'c'];
    const specs: ContactSpec[] = Array.from({ length: 90 }, (_, i) => ({
      phone: chicagoPhone(10_000 + i),
      firstName: `P${i}`,
      tags: i % 5 === 0 ? [TAGS[i % 3] as string, TAGS[(i + 1) % 3] as string] : [TAGS[i % 3] as string],
      consent: i % 15 === 7 ? ('opted_out' as const) : undefined,
    }));
    const contacts = await seedTenant(h, tenantId, specs);
    const campaignId = await newSendingCampaign(tenantId, { tags: { any: TAGS } });
    h.queue.held.length = 0; // the launch message: the test runs the launcher itself
    h.queue.calls = 0;
    h.queue.failOnCall = 3;

    // Act: the first run dies on page c, after writing its ledger entries
    await expect(
      launchCampaign({ kind: 'campaignLaunch', tenantId, campaignId }, h.deps, { leaseOwner: 'crashed' }),
    ).rejects.toThrow('simulated SQS outage');
    const queuedBeforeResume = new Set(h.queue.queuedRecipients());
    // Meanwhile workers send what was queued; the campaign must not complete early.
    await runSendsUntilEmpty(h);
    const midway = await h.campaigns.getCampaign(tenantId, campaignId);
    // A redelivery while the crashed launcher's lease still runs does nothing...
    const early = await launchCampaign({ kind: 'campaignLaunch', tenantId, campaignId }, h.deps, {
      leaseOwner: 'redelivery-1',
    });
    // (it comes back once the lease would have run out, rather than be dropped)
    const comeBackAt = h.queue.nextVisibleAt('launch');
    // ...and one after the lease ran out resumes from page c.
    h.clock.advance(LEASE_MS + 1000);
    const resumed = await launchCampaign({ kind: 'campaignLaunch', tenantId, campaignId }, h.deps, {
      leaseOwner: 'redelivery-2',
    });
    await runSendsUntilEmpty(h);

    // Assert
    const eligible = [...contacts.values()].filter((c) => c.smsConsent.status === 'opted_in');
    const onlyInC = [...contacts.values()].filter((c) => c.tags.length === 1 && c.tags[0] === 'c');
    expect(eligible).toHaveLength(84);
    expect(queuedBeforeResume.size).toBeGreaterThan(0);
    for (const contact of onlyInC) expect(queuedBeforeResume.has(contact.id)).toBe(false);
    expect(midway?.campaign.status).toBe('sending');
    expect(early).toBe('leaseHeld');
    expect(comeBackAt).toBe(h.clock.now().getTime() - 1000);
    expect(resumed).toBe('launched');
    const ledger = await ledgerOf(h, tenantId, campaignId);
    expect(ledger.size).toBe(90);
    expect(statusCounts(ledger)).toEqual({ sent: 84, skipped: 6 });
    const perPhone = h.gateway.countsByPhone();
    expect([...perPhone.keys()].sort()).toEqual(eligible.map((c) => c.phone).sort());
    expect(Math.max(...perPhone.values())).toBe(1);
    const stored = await h.campaigns.getCampaign(tenantId, campaignId);
    expect(stored?.campaign.status).toBe('sent');
    expect(stored?.campaign.counts).toMatchObject({
      audience: 90,
      queued: 0,
      sent: 84,
      skipped: expect.objectContaining({ optedOut: 6 }),
    });
  });

  it('killed between the two writes that end a launch (its checkpoint and the campaign flag), it still completes after a restart', async () => {
    // Arrange: a store whose process dies on the second of the two writes that end a launch, whichever comes first
    const tenantId = h.newTenant('end-of-launch');
    const contacts = await seedTenant(h, tenantId, MIX);
    const campaignId = await newSendingCampaign(tenantId);
    h.queue.held.length = 0;
    const client = createDocumentClient({ endpoint: h.dynamo.endpoint, region: 'us-east-1' });
    let endOfLaunchWrites = 0;
    const send = client.send.bind(client);
    client.send = ((command: { input: { UpdateExpression?: string; ExpressionAttributeValues?: object } }) => {
      const input = command instanceof UpdateCommand ? command.input : undefined;
      const values = (input?.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
      if (input && (input.UpdateExpression?.includes('launchComplete') || values[':done'] === true)) {
        endOfLaunchWrites += 1;
        if (endOfLaunchWrites === 2) return Promise.reject(new Error('killed'));
      }
      return send(command as never);
    }) as typeof client.send;
    const dying = { ...h.deps, campaigns: new DynamoCampaignStore(client, h.dynamo.tableNames.campaigns) };

    // Act: the launch dies there; the queue dies with the process; the restart recovers and kicks the launcher
    try {
      await expect(
        launchCampaign({ kind: 'campaignLaunch', tenantId, campaignId }, dying, { leaseOwner: 'killed' }),
      ).rejects.toThrow('killed');
    } finally {
      client.destroy();
    }
    h.queue.held.length = 0;
    await recoverCampaignAfterRestart(tenantId, campaignId, h.deps);
    await launchCampaign({ kind: 'campaignLaunch', tenantId, campaignId }, h.deps, { leaseOwner: 'restarted' });
    await runSendsUntilEmpty(h);

    // Assert
    expect(endOfLaunchWrites).toBe(2);
    const eligible = [...contacts.values()].filter((c) => c.smsConsent.status === 'opted_in');
    expect([...h.gateway.countsByPhone().keys()].sort()).toEqual(eligible.map((c) => c.phone).sort());
    expect(Math.max(...h.gateway.countsByPhone().values())).toBe(1);
    const stored = await h.campaigns.getCampaign(tenantId, campaignId);
    expect(stored?.campaign).toMatchObject({ status: 'sent', launchComplete: true });
  });

  it('a launcher short of time hands over to a continuation, which picks up where it stopped', async () => {
    // Arrange: three tag partitions, so three pages; the first invocation has no time left after one page
    const tenantId = h.newTenant('handover');
    const contacts = await seedTenant(
      h,
      tenantId,
      Array.from({ length: 30 }, (_, i) => ({
        phone: chicagoPhone(20_000 + i),
        firstName: `H${i}`,
        tags: [['x', 'y', 'z'][i % 3] as string],
      })),
    );
    const campaignId = await newSendingCampaign(tenantId, { tags: { any: ['x', 'y', 'z'] } });
    h.queue.takeVisible('launch');

    // Act: the first run hands over; its continuation (another invocation, another lease owner) runs at once
    const first = await launchCampaign({ kind: 'campaignLaunch', tenantId, campaignId }, h.deps, {
      leaseOwner: 'invocation-1',
      remainingMs: () => 30_000,
    });
    const continuation = h.queue.takeVisible('launch');
    const results = [];
    for (const body of continuation) {
      results.push(
        await launchCampaign(body as Parameters<typeof launchCampaign>[0], h.deps, { leaseOwner: 'invocation-2' }),
      );
    }
    await runSendsUntilEmpty(h);

    // Assert
    expect(first).toBe('handedOver');
    expect(results).toEqual(['launched']);
    expect(statusCounts(await ledgerOf(h, tenantId, campaignId))).toEqual({ sent: 30 });
    expect([...h.gateway.countsByPhone().keys()].sort()).toEqual([...contacts.keys()].sort());
    expect((await h.campaigns.getCampaign(tenantId, campaignId))?.campaign.status).toBe('sent');
  });

  it('a second promotional campaign within the cap window skips the contact as frequencyCapped', async () => {
    // Arrange: cap of one marketing message a day
    const tenantId = h.newTenant('cap');
    await seedTenant(
      h,
      tenantId,
      Array.from({ length: 6 }, (_, i) => ({ phone: chicagoPhone(500 + i), firstName: `C${i}` })),
    );
    const first = await newSendingCampaign(tenantId);
    await runLaunches(h);
    await runSendsUntilEmpty(h);

    // Act: an hour later, a second blast to the same people, and a transactional one
    h.clock.advance(3_600_000);
    const second = await newSendingCampaign(tenantId);
    await runLaunches(h);
    await runSendsUntilEmpty(h);

    // Assert
    expect(statusCounts(await ledgerOf(h, tenantId, first))).toEqual({ sent: 6 });
    expect(statusCounts(await ledgerOf(h, tenantId, second))).toEqual({ skipped: 6 });
    for (const entry of (await ledgerOf(h, tenantId, second)).values()) expect(entry.reason).toBe('frequencyCapped');
    expect(h.gateway.calls).toHaveLength(6);
    const stored = await h.campaigns.getCampaign(tenantId, second);
    expect(stored?.campaign).toMatchObject({ status: 'sent' });
    expect(stored?.campaign.counts.skipped.frequencyCapped).toBe(6);
  });

  it('two promotional campaigns launched together: each contact gets one of them, never both', async () => {
    // Arrange
    const tenantId = h.newTenant('cap-race');
    await seedTenant(
      h,
      tenantId,
      Array.from({ length: 20 }, (_, i) => ({ phone: chicagoPhone(600 + i), firstName: `R${i}` })),
    );
    const a = await newSendingCampaign(tenantId);
    const b = await newSendingCampaign(tenantId);

    // Act: both launch before either sends, so the launcher's cap check sees nothing yet
    await runLaunches(h);
    await runSendsUntilEmpty(h);

    // Assert
    expect([...h.gateway.countsByPhone().values()]).toEqual(Array(20).fill(1));
    const ledgerA = statusCounts(await ledgerOf(h, tenantId, a));
    const ledgerB = statusCounts(await ledgerOf(h, tenantId, b));
    expect((ledgerA.sent ?? 0) + (ledgerB.sent ?? 0)).toBe(20);
    expect((ledgerA.skipped ?? 0) + (ledgerB.skipped ?? 0)).toBe(20);
    for (const id of [a, b]) expect((await h.campaigns.getCampaign(tenantId, id))?.campaign.status).toBe('sent');
  });
});
