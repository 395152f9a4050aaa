import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { LedgerCounter } from '../../../shared/app/campaigns/ledger-counter';
import { type ReconcileDeps, reconcileCampaignCounts } from '../../../shared/app/campaigns/reconcile-counts.use-case';
import { recordReceipts } from '../../../shared/app/receipts/record-receipts.use-case';
import type { CampaignCounts } from '../../../shared/domain/campaigns/campaign.schema';
import { countLedger } from '../../../shared/domain/campaigns/ledger-counts';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import { type SmsEventRecord, smsEventRecordSchema } from '../../../shared/domain/receipts/sms-event.schema';
import type { CampaignStore, CountingStart } from '../../../shared/ports/campaign-store.port';
import deliveredFixture from '../../fixtures/events/sms-event-text-delivered.json';
import invalidFixture from '../../fixtures/events/sms-event-text-invalid.json';
import {
  type CampaignHarness,
  chicagoPhone,
  ledgerOf,
  OPEN_WINDOW,
  runLaunches,
  runSendsUntilEmpty,
  seedTenant,
  startCampaignHarness,
} from '../campaigns/campaign-harness';

let h: CampaignHarness;
let numbers = 1000;

beforeAll(async () => {
  h = await startCampaignHarness();
});

afterAll(async () => h.stop());

beforeEach(() => {
  h.queue.held.length = 0;
});

interface Send {
  contact: Contact;
  messageId: string;
  context: Record<string, string>;
}

const SETTINGS = { ...OPEN_WINDOW, frequencyCap: { maxMessages: 10, perHours: 24 } };

async function sendTo(tenantId: string, name: string): Promise<string> {
  h.queue.held.length = 0;
  const campaign = await createCampaign(
    tenantId,
    { name, audience: { tags: { any: ['all'] } }, body: 'Open house Saturday' },
    h.deps,
  );
  await sendCampaign(tenantId, campaign.id, h.deps);
  await runLaunches(h);
  await runSendsUntilEmpty(h);
  h.queue.held.length = 0;
  return campaign.id;
}

/** A fresh tenant whose `count` contacts were each sent one campaign message. */
async function sentCampaign(label: string, count: number) {
  const tenantId = h.newTenant(label);
  const contacts = await seedTenant(
    h,
    tenantId,
    Array.from({ length: count }, () => ({ phone: chicagoPhone(++numbers) })),
    SETTINGS,
  );
  const campaignId = await sendTo(tenantId, label);
  const ledger = await ledgerOf(h, tenantId, campaignId);
  const sends: Send[] = [...contacts.values()].map((contact) => ({
    contact,
    messageId: ledger.get(contact.id)?.messageId as string,
    context: { tenantId, campaignId, contactId: contact.id },
  }));
  return { tenantId, campaignId, sends };
}

function receipt(
  send: Send,
  fixture: object = deliveredFixture,
  context: Record<string, string> | null = send.context,
) {
  const record = { ...fixture, messageId: send.messageId, eventTimestamp: h.clock.now().getTime() } as Record<
    string,
    unknown
  >;
  if (context) record.context = context;
  else delete record.context;
  return smsEventRecordSchema.parse(record);
}

const asBatch = (records: SmsEventRecord[]) => records.map((record, i) => ({ key: String(i), record }));

async function countsOf(tenantId: string, campaignId: string): Promise<CampaignCounts> {
  return (await h.campaigns.getCampaign(tenantId, campaignId))?.campaign.counts as CampaignCounts;
}

async function recount(tenantId: string, campaignId: string) {
  return countLedger((await ledgerOf(h, tenantId, campaignId)).values());
}

/** The real store, with some methods replaced. */
function storeWith(overrides: Partial<Record<keyof CampaignStore, unknown>>): CampaignStore {
  return new Proxy(h.campaigns, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof CampaignStore];
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as CampaignStore;
}

/** Polls a condition on real time (the store is real dynalite), failing after a few seconds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function reconcileDeps(sleep: (ms: number) => Promise<void>): ReconcileDeps {
  return { campaigns: h.campaigns, clock: { now: () => h.clock.now(), sleep }, ids: h.deps.ids };
}

describe('reconcileCampaignCounts', () => {
  it('repairs counters a writer left short when it crashed between its ledger writes and its counter update', async () => {
    // Arrange: the counter update of a receipt batch fails once, after the ledger took the receipts
    const { tenantId, campaignId, sends } = await sentCampaign('crash', 3);
    let crashes = 0;
    const crashing = storeWith({
      addCounts: async () => {
        crashes++;
        throw new Error('simulated crash before the counter update');
      },
    });
    await expect(
      recordReceipts(asBatch(sends.map((s) => receipt(s))), { ...h.deps, campaigns: crashing }),
    ).rejects.toThrow('simulated crash');
    const short = await countsOf(tenantId, campaignId);
    const truth = await recount(tenantId, campaignId);
    expect(crashes).toBe(1);
    expect(truth).toMatchObject({ sent: 3, delivered: 3 });
    expect(short).toMatchObject({ sent: 3, delivered: 0 });

    // Act: the dead writer's announcement is waited for until its deadline passes
    let waits = 0;
    const outcome = await reconcileCampaignCounts(
      tenantId,
      campaignId,
      reconcileDeps(async () => {
        waits++;
        h.clock.advance(60_000);
      }),
    );

    // Assert
    expect(waits).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ kind: 'reconciled', corrected: true });
    expect(await countsOf(tenantId, campaignId)).toEqual(truth);
    expect((await h.campaigns.getCampaign(tenantId, campaignId))?.reconciledAt).toEqual(expect.any(String));
  });

  it('a recount of exact counters changes nothing', async () => {
    // Arrange
    const { tenantId, campaignId, sends } = await sentCampaign('exact', 2);
    await recordReceipts(asBatch(sends.map((s) => receipt(s))), h.deps);
    const before = await countsOf(tenantId, campaignId);

    // Act
    const outcome = await reconcileCampaignCounts(
      tenantId,
      campaignId,
      reconcileDeps(async () => undefined),
    );

    // Assert
    expect(outcome).toMatchObject({ kind: 'reconciled', corrected: false });
    expect(await countsOf(tenantId, campaignId)).toEqual(before);
  });

  it('waits for an announced writer to finish and never counts its change twice', async () => {
    // Arrange: a writer has changed the ledger but not yet added its counts
    const { tenantId, campaignId, sends } = await sentCampaign('announced', 2);
    const first = sends[0] as Send;
    const writer = (await LedgerCounter.begin(h.deps, tenantId, campaignId, 60_000)) as LedgerCounter;
    await writer.update(first.contact.id, { from: ['sent'] }, 'delivered', {
      deliveredAt: h.clock.now().toISOString(),
    });
    let waits = 0;
    let done = false;

    // Act
    const recounting = reconcileCampaignCounts(
      tenantId,
      campaignId,
      reconcileDeps(async () => {
        waits++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }),
    ).then((outcome) => {
      done = true;
      return outcome;
    });
    await until(() => waits >= 3, 'the recount to wait for the writer');
    const finishedBeforeWriter = done;
    await writer.finish();
    const outcome = await recounting;

    // Assert
    expect(finishedBeforeWriter).toBe(false);
    expect(outcome).toMatchObject({ kind: 'reconciled', corrected: false });
    const counts = await countsOf(tenantId, campaignId);
    expect(counts).toEqual(await recount(tenantId, campaignId));
    expect(counts).toMatchObject({ sent: 2, delivered: 1 });
  });

  it('writers that come during a recount wait for it, then count their changes once', async () => {
    // Arrange: a recount holds the campaign (it waits for an announced writer)
    const { tenantId, campaignId, sends } = await sentCampaign('during', 3);
    const holder = (await LedgerCounter.begin(h.deps, tenantId, campaignId, 60_000)) as LedgerCounter;
    let waits = 0;
    const recounting = reconcileCampaignCounts(
      tenantId,
      campaignId,
      reconcileDeps(async () => {
        waits++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }),
    );
    await until(() => waits >= 1, 'the recount to start');
    const starts: CountingStart[] = [];
    const observed = storeWith({
      beginCounting: async (...args: Parameters<CampaignStore['beginCounting']>) => {
        const start = await h.campaigns.beginCounting(...args);
        starts.push(start);
        return start;
      },
    });

    // Act: receipts come in while the recount runs
    const receipts = recordReceipts(asBatch(sends.map((s) => receipt(s))), { ...h.deps, campaigns: observed });
    await until(() => starts.includes('reconciling'), 'the receipt writer to be turned back');
    await holder.finish();
    await recounting;
    const summary = await receipts;

    // Assert
    expect(starts[0]).toBe('reconciling');
    expect(starts[starts.length - 1]).toBe('ok');
    expect(summary).toMatchObject({ applied: 3, delivered: 3, failedKeys: [] });
    const counts = await countsOf(tenantId, campaignId);
    expect(counts).toEqual(await recount(tenantId, campaignId));
    expect(counts).toMatchObject({ sent: 3, delivered: 3 });
  });
});

describe('receipts that are not plain deliveries', () => {
  it('TEXT_INVALID suppresses the number: consent opted_out from the suppression list, later campaigns skip it', async () => {
    // Arrange
    const { tenantId, campaignId, sends } = await sentCampaign('invalid', 3);
    const bad = sends[0] as Send;

    // Act
    const summary = await recordReceipts(asBatch([receipt(bad, invalidFixture)]), h.deps);
    const nextCampaignId = await sendTo(tenantId, 'next week');

    // Assert
    expect(summary).toMatchObject({ applied: 1, failed: 1 });
    expect((await ledgerOf(h, tenantId, campaignId)).get(bad.contact.id)).toMatchObject({
      status: 'failed',
      reason: 'invalidNumber',
    });
    const contact = (await h.deps.contacts.getContact(tenantId, bad.contact.id))?.contact;
    expect(contact?.smsConsent).toMatchObject({ status: 'opted_out', source: 'suppression_list' });
    const history = await h.deps.contacts.listConsentHistory(tenantId, bad.contact.id, { limit: 50 });
    expect(history.items).toContainEqual(
      expect.objectContaining({
        status: 'opted_out',
        source: 'suppression_list',
        note: expect.stringContaining('TEXT_INVALID'),
      }),
    );
    const next = await ledgerOf(h, tenantId, nextCampaignId);
    expect(next.get(bad.contact.id)).toMatchObject({ status: 'skipped', reason: 'optedOut' });
    for (const other of sends.slice(1)) expect(next.get(other.contact.id)?.status).toBe('sent');
    expect(h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === bad.contact.phone)).toHaveLength(1);
    expect((await countsOf(tenantId, nextCampaignId)).skipped.optedOut).toBe(1);
  });

  it('a receipt without context is matched to its ledger entry by the carrier message id', async () => {
    // Arrange
    const { tenantId, campaignId, sends } = await sentCampaign('no-context', 2);
    const send = sends[1] as Send;

    // Act
    const summary = await recordReceipts(asBatch([receipt(send, deliveredFixture, null)]), h.deps);

    // Assert
    expect(summary).toMatchObject({ applied: 1, delivered: 1, ignored: 0 });
    const ledger = await ledgerOf(h, tenantId, campaignId);
    expect(ledger.get(send.contact.id)?.status).toBe('delivered');
    expect(ledger.get((sends[0] as Send).contact.id)?.status).toBe('sent');
    expect(await countsOf(tenantId, campaignId)).toMatchObject({ delivered: 1 });
  });

  it('a receipt for a message this system never sent is ignored without error', async () => {
    // Arrange
    const { tenantId, campaignId, sends } = await sentCampaign('stranger', 1);
    const send = sends[0] as Send;
    const before = await countsOf(tenantId, campaignId);
    const unknownMessage = { ...send, messageId: 'never-sent-by-us' };

    // Act
    const summary = await recordReceipts(
      asBatch([
        receipt(unknownMessage, deliveredFixture, null),
        // the right recipient's context, but another message id than the one the ledger holds
        receipt(unknownMessage, deliveredFixture, send.context),
      ]),
      h.deps,
    );

    // Assert
    expect(summary).toMatchObject({ applied: 0, ignored: 2, failedKeys: [] });
    expect((await ledgerOf(h, tenantId, campaignId)).get(send.contact.id)?.status).toBe('sent');
    expect(await countsOf(tenantId, campaignId)).toEqual(before);
  });
});
