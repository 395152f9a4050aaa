import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { campaignResults } from '../../../shared/app/campaigns/campaign-results.use-case';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import { type SmsEventRecord, smsEventRecordSchema } from '../../../shared/domain/receipts/sms-event.schema';
import unreachableFixture from '../../fixtures/events/sms-event-text-carrier-unreachable.json';
import deliveredFixture from '../../fixtures/events/sms-event-text-delivered.json';
import successfulFixture from '../../fixtures/events/sms-event-text-successful.json';
import {
  type CampaignHarness,
  chicagoPhone,
  ledgerOf,
  recordReceiptsOnce,
  runLaunches,
  runSendsUntilEmpty,
  seedTenant,
  startCampaignHarness,
  statusCounts,
} from './campaign-harness';

let h: CampaignHarness;

const recordReceipts = (records: SmsEventRecord[]) => recordReceiptsOnce(h, records);

beforeAll(async () => {
  h = await startCampaignHarness();
});

afterAll(async () => h.stop());

beforeEach(() => {
  h.queue.held.length = 0;
  h.gateway.calls.length = 0;
  h.gateway.answer = () => undefined;
  h.gateway.afterSend = undefined;
});

type Kind = 'delivered' | 'failed' | 'progress';
const FIXTURES: Record<Kind, unknown> = {
  delivered: deliveredFixture,
  failed: unreachableFixture,
  progress: successfulFixture,
};

/** The AWS-shaped record of `kind` for the message the gateway fake handed over for `contact`. */
function receipt(kind: Kind, context: Record<string, string>, messageId: string, at = Date.now()): SmsEventRecord {
  return smsEventRecordSchema.parse({ ...(FIXTURES[kind] as object), messageId, eventTimestamp: at, context });
}

/** A sent campaign of `count` contacts; returns each contact's receipt context and message id. */
async function sentCampaign(label: string, count: number, from: number) {
  const tenantId = h.newTenant(label);
  const contacts = await seedTenant(
    h,
    tenantId,
    Array.from({ length: count }, (_, i) => ({ phone: chicagoPhone(from + i), firstName: `R${i}` })),
  );
  const campaign = await createCampaign(
    tenantId,
    { name: label, audience: { tags: { any: ['all'] } }, body: 'Big sale' },
    h.deps,
  );
  await sendCampaign(tenantId, campaign.id, h.deps);
  await runLaunches(h);
  await runSendsUntilEmpty(h);
  const ledger = await ledgerOf(h, tenantId, campaign.id);
  const sends = [...contacts.values()].map((contact: Contact) => ({
    contact,
    context: { tenantId, campaignId: campaign.id, contactId: contact.id },
    messageId: ledger.get(contact.id)?.messageId as string,
  }));
  return { tenantId, campaignId: campaign.id, sends };
}

const countsOf = async (tenantId: string, campaignId: string) =>
  (await h.campaigns.getCampaign(tenantId, campaignId))?.campaign.counts;

describe('recordReceipts', () => {
  it('moves delivered and failed counters once, whatever is duplicated, reordered or late', async () => {
    // Arrange
    const { tenantId, campaignId, sends } = await sentCampaign('receipts', 4, 0);
    const [a, b, c, d] = sends as [(typeof sends)[0], (typeof sends)[0], (typeof sends)[0], (typeof sends)[0]];

    // Act
    // a: delivered, twice in one batch and once more later, then a late non-final record
    await recordReceipts([receipt('delivered', a.context, a.messageId), receipt('delivered', a.context, a.messageId)]);
    await recordReceipts([receipt('delivered', a.context, a.messageId)]);
    await recordReceipts([receipt('progress', a.context, a.messageId)]);
    // b: failed, then a contradicting delivered that the carrier published earlier but that arrives later
    const failedAt = Date.now();
    await recordReceipts([receipt('failed', b.context, b.messageId, failedAt)]);
    await recordReceipts([receipt('delivered', b.context, b.messageId, failedAt - 1000)]);
    // c: a non-final record only
    await recordReceipts([receipt('progress', c.context, c.messageId)]);
    // d: a record of a message this system never sent (no campaign context)
    await recordReceipts([receipt('delivered', { tenantId }, d.messageId)]);

    // Assert
    const ledger = await ledgerOf(h, tenantId, campaignId);
    expect(ledger.get(a.contact.id)).toMatchObject({ status: 'delivered', deliveredAt: expect.any(String) });
    expect(ledger.get(b.contact.id)).toMatchObject({ status: 'failed', reason: 'carrierUnreachable' });
    expect(ledger.get(c.contact.id)?.status).toBe('sent');
    expect(ledger.get(d.contact.id)?.status).toBe('sent');
    expect(await countsOf(tenantId, campaignId)).toMatchObject({ sent: 4, delivered: 1, failed: 1 });
    const results = await campaignResults(tenantId, campaignId, h.deps);
    expect(results).toMatchObject({
      sent: 4,
      delivered: 1,
      failed: 1,
      failedByReason: { carrierUnreachable: 1 },
      pending: 2,
      deliveryRate: 0.25,
    });
  });

  it('the same receipts replayed concurrently still count once (Invariant 4)', async () => {
    // Arrange
    const { tenantId, campaignId, sends } = await sentCampaign('receipts-race', 10, 100);
    const records = sends.map((s, i) => receipt(i % 3 === 0 ? 'failed' : 'delivered', s.context, s.messageId));

    // Act: three deliveries of every record at once, in different orders
    await Promise.all([
      recordReceipts(records),
      recordReceipts([...records].reverse()),
      ...records.map((r) => recordReceipts([r])),
    ]);

    // Assert
    const ledger = statusCounts(await ledgerOf(h, tenantId, campaignId));
    expect(ledger).toEqual({ delivered: 6, failed: 4 });
    expect(await countsOf(tenantId, campaignId)).toMatchObject({ sent: 10, delivered: 6, failed: 4 });
  });

  it('a receipt resolves an `unknown` send into a sent one, once', async () => {
    // Arrange
    const tenantId = h.newTenant('unknown-receipt');
    const contacts = await seedTenant(h, tenantId, [{ phone: chicagoPhone(200), firstName: 'U' }]);
    const contact = [...contacts.values()][0] as Contact;
    h.gateway.answer = () => ({ kind: 'unknown', reason: 'timeout' });
    const campaign = await createCampaign(
      tenantId,
      { name: 'u', audience: { tags: { any: ['all'] } }, body: 'Hello' },
      h.deps,
    );
    await sendCampaign(tenantId, campaign.id, h.deps);
    await runLaunches(h);
    await runSendsUntilEmpty(h);
    const context = { tenantId, campaignId: campaign.id, contactId: contact.id };

    // Act
    await recordReceipts([receipt('delivered', context, 'carrier-id-1')]);
    await recordReceipts([receipt('delivered', context, 'carrier-id-1')]);

    // Assert
    expect((await ledgerOf(h, tenantId, campaign.id)).get(contact.id)).toMatchObject({
      status: 'delivered',
      messageId: 'carrier-id-1',
    });
    expect(await countsOf(tenantId, campaign.id)).toMatchObject({ sent: 1, unknown: 0, delivered: 1 });
    // What it cost is counted too, though the worker never settled it: spend caps must see every send.
    const entry = (await ledgerOf(h, tenantId, campaign.id)).get(contact.id);
    expect(entry?.cost).toBeGreaterThan(0);
    expect((await countsOf(tenantId, campaign.id))?.spend).toBe(entry?.cost);
  });

  it('a receipt that overtakes the worker’s own ledger write is not lost', async () => {
    // Arrange: the carrier's receipt is processed while the worker still holds the entry as `sending`;
    // like SQS, a receipt whose processing throws is delivered again later.
    const tenantId = h.newTenant('overtaken');
    const contacts = await seedTenant(
      h,
      tenantId,
      Array.from({ length: 3 }, (_, i) => ({ phone: chicagoPhone(300 + i), firstName: `O${i}` })),
    );
    const retry: SmsEventRecord[][] = [];
    let ids = 0;
    h.gateway.answer = () => ({ kind: 'sent', messageId: `early-${ids}` });
    h.gateway.afterSend = async (message) => {
      ids++;
      const records = [receipt('delivered', message.context, `early-${ids}`)];
      await recordReceipts(records).catch(() => retry.push(records));
    };
    const campaign = await createCampaign(
      tenantId,
      { name: 'o', audience: { tags: { any: ['all'] } }, body: 'Hello' },
      h.deps,
    );
    await sendCampaign(tenantId, campaign.id, h.deps);
    await runLaunches(h);

    // Act
    await runSendsUntilEmpty(h);
    for (const records of retry) await recordReceipts(records);

    // Assert
    const ledger = await ledgerOf(h, tenantId, campaign.id);
    expect(statusCounts(ledger)).toEqual({ delivered: 3 });
    for (const contact of contacts.values()) {
      expect(ledger.get(contact.id)).toMatchObject({ sentAt: expect.any(String), deliveredAt: expect.any(String) });
    }
    expect(await countsOf(tenantId, campaign.id)).toMatchObject({ sent: 3, delivered: 3, queued: 0 });
    expect((await h.campaigns.getCampaign(tenantId, campaign.id))?.campaign.status).toBe('sent');
  });
});
