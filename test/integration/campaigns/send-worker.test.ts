import type { SendBatchMessage, SendDeps } from '../../../shared/app/campaigns/campaign-deps';
import {
  cancelCampaign,
  createCampaign,
  scheduleCampaign,
  sendCampaign,
} from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { sendCampaignBatch } from '../../../shared/app/campaigns/send-batch.use-case';
import { changeConsent } from '../../../shared/app/contacts/set-consent.use-case';
import { updateContact } from '../../../shared/app/contacts/update-contact.use-case';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import type { SmsEventRecord } from '../../../shared/domain/receipts/sms-event.schema';
import { defaultSettings } from '../../../shared/domain/settings/settings.schema';
import type { CampaignStore } from '../../../shared/ports/campaign-store.port';
import {
  type CampaignHarness,
  type ContactSpec,
  chicagoPhone,
  ledgerOf,
  recordReceiptsOnce,
  runLaunches,
  runSends,
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
  h.clock.set('2026-11-26T17:00:00.000Z'); // Thursday: 11:00 in Chicago, 09:00 in Los Angeles
  h.queue.held.length = 0;
  h.queue.failOnCall = undefined;
  h.gateway.calls.length = 0;
  h.gateway.answer = () => undefined;
  h.gateway.afterSend = undefined;
});

const people = (count: number, from: number): ContactSpec[] =>
  Array.from({ length: count }, (_, i) => ({ phone: chicagoPhone(from + i), firstName: `Pat${i}` }));

/** Seeds the tenant, creates and sends a campaign, runs the launcher; the send messages wait in the fake queue. */
async function launched(label: string, specs: ContactSpec[], settings?: Parameters<typeof seedTenant>[3]) {
  const tenantId = h.newTenant(label);
  const contacts = await seedTenant(h, tenantId, specs, settings);
  const campaign = await createCampaign(
    tenantId,
    { name: label, audience: { tags: { any: ['all'] } }, body: 'Hi {{contact.first_name}}, 20% off today' },
    h.deps,
  );
  await sendCampaign(tenantId, campaign.id, h.deps);
  await runLaunches(h);
  return { tenantId, campaignId: campaign.id, contacts };
}

const campaignOf = async (tenantId: string, campaignId: string) =>
  (await h.campaigns.getCampaign(tenantId, campaignId))?.campaign;

describe('sendCampaignBatch', () => {
  it('a message delivered twice, one after the other and at the same time, sends once per recipient', async () => {
    // Arrange
    const { tenantId, campaignId } = await launched('duplicates', people(30, 0));
    const messages = h.queue.takeVisible('send') as SendBatchMessage[];

    // Act: each message three times: twice at once, then once more
    await Promise.all(messages.flatMap((m) => [sendCampaignBatch(m, h.deps), sendCampaignBatch(m, h.deps)]));
    await Promise.all(messages.map((m) => sendCampaignBatch(m, h.deps)));
    await runSendsUntilEmpty(h);

    // Assert
    const perPhone = h.gateway.countsByPhone();
    expect(perPhone.size).toBe(30);
    expect(Math.max(...perPhone.values())).toBe(1);
    expect(statusCounts(await ledgerOf(h, tenantId, campaignId))).toEqual({ sent: 30 });
    const campaign = await campaignOf(tenantId, campaignId);
    expect(campaign).toMatchObject({ status: 'sent' });
    expect(campaign?.counts).toMatchObject({
      sent: 30,
      queued: 0,
      skipped: expect.objectContaining({ frequencyCapped: 0 }),
    });
  });

  it('a worker near its timeout hands the recipients it has no time for back to the queue, untouched', async () => {
    // Arrange: 30 recipients in one message; the invocation runs out of time after five sends
    const { tenantId, campaignId } = await launched('hand-back', people(30, 400));
    const messages = h.queue.takeVisible('send') as SendBatchMessage[];
    expect(messages).toHaveLength(1);
    let remainingMs = 60_000;
    h.gateway.afterSend = async () => {
      if (h.gateway.calls.length >= 5) remainingMs = 5_000;
    };

    // Act
    await sendCampaignBatch(messages[0] as SendBatchMessage, h.deps, { remainingMs: () => remainingMs });

    // Assert: what was not tried is queued again as it was (no claim, no cap counted, nothing unknown)
    const sent = h.gateway.calls.length;
    expect(sent).toBeGreaterThanOrEqual(5);
    expect(sent).toBeLessThan(30);
    const ledger = await ledgerOf(h, tenantId, campaignId);
    expect(statusCounts(ledger)).toEqual({ sent, queued: 30 - sent });
    const waiting = [...ledger.values()].filter((e) => e.status === 'queued');
    for (const entry of waiting) {
      expect(entry.capCountedAt).toBeUndefined();
      expect(entry.claimedAt).toBeUndefined();
    }
    // They come round again after one to three seconds (at random, so workers do not race for the same opening).
    h.clock.set(new Date(h.clock.now().getTime() + 3_000).toISOString());
    const handedBack = h.queue.takeVisible('send') as SendBatchMessage[];
    expect(handedBack.flatMap((m) => m.contactIds).sort()).toEqual(waiting.map((e) => e.contactId).sort());

    // And a fresh invocation sends them, once each
    for (const message of handedBack) await sendCampaignBatch(message, h.deps);
    await runSendsUntilEmpty(h);
    expect(Math.max(...h.gateway.countsByPhone().values())).toBe(1);
    expect(statusCounts(await ledgerOf(h, tenantId, campaignId))).toEqual({ sent: 30 });
  });

  it('renders each recipient’s message with the opt-out footer and the campaign context', async () => {
    const { tenantId, campaignId, contacts } = await launched('render', people(2, 50));
    await runSendsUntilEmpty(h);
    const contact = contacts.get(chicagoPhone(50)) as Contact;
    const call = h.gateway.calls.find((c) => c.message.destinationPhoneNumber === contact.phone);
    expect(call?.message).toMatchObject({
      messageBody: `Hi Pat0, 20% off today\n${defaultSettings.optOutText}`,
      messageType: 'PROMOTIONAL',
      context: { tenantId, campaignId, contactId: contact.id },
    });
  });

  it('a worker that dies after the carrier took the message leaves it `sending`; a redelivery never re-sends it', async () => {
    // Arrange: the ledger write after the third send fails, as a crash would leave it (two sends already settled)
    const { tenantId, campaignId, contacts } = await launched('crash-after-send', people(5, 100));
    let settledSends = 0;
    let crashed = false;
    const failingStore: CampaignStore = new Proxy(h.campaigns, {
      get(target, property, receiver) {
        if (property === 'updateLedgerEntry') {
          return async (...args: Parameters<CampaignStore['updateLedgerEntry']>) => {
            if (args[4] === 'sent' && !crashed && ++settledSends === 3) {
              crashed = true;
              throw new Error('the worker died');
            }
            return target.updateLedgerEntry(...args);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const crashingDeps: SendDeps = { ...h.deps, campaigns: failingStore };

    // Act: the first receive dies; SQS redelivers the message (twice, for good measure)
    const first = await runSends(h, { deps: crashingDeps, redeliver: true, visibilityMs: 30_000 });
    h.clock.advance(30_000);
    const redelivered = h.queue.takeVisible('send') as SendBatchMessage[];
    await sendCampaignBatch(redelivered[0] as SendBatchMessage, h.deps);
    await sendCampaignBatch(redelivered[0] as SendBatchMessage, h.deps);

    // Assert
    expect(first.failures).toHaveLength(1);
    const ambiguousPhone = h.gateway.calls[2]?.message.destinationPhoneNumber as string;
    const ambiguous = contacts.get(ambiguousPhone) as Contact;
    expect([...h.gateway.countsByPhone().values()]).toEqual([1, 1, 1, 1, 1]);
    const ledger = await ledgerOf(h, tenantId, campaignId);
    expect(ledger.get(ambiguous.id)?.status).toBe('sending');
    expect(statusCounts(ledger)).toEqual({ sending: 1, sent: 4 });
    // the two sends settled before the crash are counted: only the ambiguous one keeps the campaign open
    expect(await campaignOf(tenantId, campaignId)).toMatchObject({
      status: 'sending',
      counts: expect.objectContaining({ sent: 4, queued: 1 }),
    });

    // ...until the carrier's receipt for it settles the question, once
    const delivered = {
      eventType: 'TEXT_DELIVERED',
      eventTimestamp: Date.parse('2026-11-26T17:00:02.000Z'),
      messageRequestTimestamp: Date.parse('2026-11-26T17:00:00.000Z'),
      isFinal: true,
      messageId: 'carrier-1',
      totalMessageParts: 1,
      context: { tenantId, campaignId, contactId: ambiguous.id },
    };
    await recordReceipts([delivered, delivered]);
    expect((await ledgerOf(h, tenantId, campaignId)).get(ambiguous.id)).toMatchObject({
      status: 'delivered',
      sentAt: '2026-11-26T17:00:00.000Z',
      segments: 1,
    });
    expect(await campaignOf(tenantId, campaignId)).toMatchObject({
      status: 'sent',
      counts: expect.objectContaining({ sent: 5, delivered: 1, queued: 0, segments: 5 }),
    });
    expect(h.gateway.calls).toHaveLength(5);
  });

  it('a claim abandoned by a killed worker turns `unknown` on a later kick, never re-sent, and the campaign finishes', async () => {
    // Arrange: the ledger write after the second send fails, as a killed worker would leave it
    const { tenantId, campaignId, contacts } = await launched('abandoned-claim', people(3, 300));
    let settled = 0;
    const dyingStore: CampaignStore = new Proxy(h.campaigns, {
      get(target, property, receiver) {
        if (property === 'updateLedgerEntry') {
          return async (...args: Parameters<CampaignStore['updateLedgerEntry']>) => {
            if (args[4] === 'sent' && ++settled === 2) throw new Error('the worker was killed');
            return target.updateLedgerEntry(...args);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await runSends(h, { deps: { ...h.deps, campaigns: dyingStore }, redeliver: false });
    const stuckPhone = h.gateway.calls[1]?.message.destinationPhoneNumber as string;
    const stuck = contacts.get(stuckPhone) as Contact;
    expect((await ledgerOf(h, tenantId, campaignId)).get(stuck.id)?.status).toBe('sending');

    // Act: a kick soon after changes nothing; one after the abandonment delay settles the claim
    await h.deps.queue.sendMessages('launch', [{ body: { kind: 'campaignLaunch', tenantId, campaignId } }]);
    await runLaunches(h);
    const early = (await ledgerOf(h, tenantId, campaignId)).get(stuck.id)?.status;
    h.clock.advance(11 * 60_000);
    await h.deps.queue.sendMessages('launch', [{ body: { kind: 'campaignLaunch', tenantId, campaignId } }]);
    await runLaunches(h);
    await runSendsUntilEmpty(h);

    // Assert
    expect(early).toBe('sending');
    expect((await ledgerOf(h, tenantId, campaignId)).get(stuck.id)).toMatchObject({ status: 'unknown' });
    expect(h.gateway.countsByPhone().get(stuckPhone)).toBe(1);
    expect(await campaignOf(tenantId, campaignId)).toMatchObject({
      status: 'sent',
      counts: expect.objectContaining({ queued: 0, unknown: 1 }),
    });
  });

  it('a worker that fails after the claim but before the handover gives the recipient back; it is sent later', async () => {
    // Arrange: waiting for the sender's turn fails once (the pacer's store, say), after the claim and the cap
    const { tenantId, campaignId } = await launched('fail-before-send', people(3, 170));
    let failures = 0;
    const flakyDeps: SendDeps = {
      ...h.deps,
      pacer: {
        acquire: async () => {
          if (failures++ === 0) throw new Error('pacer unavailable');
          return true;
        },
      },
    };

    // Act: the first receive fails; the message comes back as SQS would
    const first = await runSends(h, { deps: flakyDeps, redeliver: true, visibilityMs: 30_000 });
    await runSendsUntilEmpty(h);

    // Assert
    expect(first.failures).toHaveLength(1);
    expect([...h.gateway.countsByPhone().values()]).toEqual([1, 1, 1]);
    expect(statusCounts(await ledgerOf(h, tenantId, campaignId))).toEqual({ sent: 3 });
    expect(await campaignOf(tenantId, campaignId)).toMatchObject({
      status: 'sent',
      counts: expect.objectContaining({ sent: 3, queued: 0, skipped: expect.objectContaining({ frequencyCapped: 0 }) }),
    });
  });

  it('a throttled send (retryLater) is retried later and sent once, without counting against the frequency cap', async () => {
    // Arrange: the carrier throttles the first attempt to one number
    const { tenantId, campaignId, contacts } = await launched('throttled', people(4, 150));
    const throttled = chicagoPhone(151);
    h.gateway.answer = (message, attempt) =>
      message.destinationPhoneNumber === throttled && attempt === 1
        ? { kind: 'retryLater', reason: 'ThrottlingException' }
        : undefined;

    // Act
    await runSends(h);
    const afterFirst = (await ledgerOf(h, tenantId, campaignId)).get((contacts.get(throttled) as Contact).id);
    const retryAt = h.queue.nextVisibleAt('send');
    await runSendsUntilEmpty(h);

    // Assert
    expect(afterFirst?.status).toBe('queued');
    expect(retryAt).toBeGreaterThan(Date.parse('2026-11-26T17:00:00.000Z'));
    const calls = h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === throttled);
    expect(calls).toHaveLength(2); // refused once, accepted once
    const ledger = await ledgerOf(h, tenantId, campaignId);
    expect(statusCounts(ledger)).toEqual({ sent: 4 });
    expect(await campaignOf(tenantId, campaignId)).toMatchObject({
      status: 'sent',
      counts: expect.objectContaining({ sent: 4 }),
    });
  });

  it('a duplicate that read the recipient before another worker was throttled and gave it back sends it once, its cap counted once', async () => {
    // Arrange: two deliveries of one message; the second waits for its turn of the rate until the first is done
    const { tenantId, campaignId } = await launched('stale-duplicate', people(1, 170));
    const [message] = h.queue.takeVisible('send') as SendBatchMessage[];
    h.gateway.answer = (_message, attempt) =>
      attempt === 1 ? { kind: 'retryLater', reason: 'ThrottlingException' } : undefined;
    let firstDone = () => {};
    const first = new Promise<void>((resolve) => {
      firstDone = resolve;
    });
    const waitsForFirst: SendDeps = { ...h.deps, pacer: { acquire: async () => first.then(() => true) } };

    // Act: the second loads the entry (queued), the first claims, counts the cap, is throttled and gives it back,
    // then the second claims it again
    const second = sendCampaignBatch(message as SendBatchMessage, waitsForFirst);
    await sendCampaignBatch(message as SendBatchMessage, h.deps);
    firstDone();
    await second;
    await runSendsUntilEmpty(h);

    // Assert: the cap the first counted is the one the second's send uses; nobody is skipped as over it
    expect(h.gateway.calls).toHaveLength(2);
    expect(statusCounts(await ledgerOf(h, tenantId, campaignId))).toEqual({ sent: 1 });
    expect((await campaignOf(tenantId, campaignId))?.counts).toMatchObject({
      sent: 1,
      skipped: expect.objectContaining({ frequencyCapped: 0 }),
    });
  });

  it('an `unknown` outcome is never sent again, whatever is redelivered', async () => {
    // Arrange
    const { tenantId, campaignId, contacts } = await launched('unknown', people(3, 200));
    const unsure = chicagoPhone(200);
    h.gateway.answer = (message) =>
      message.destinationPhoneNumber === unsure ? { kind: 'unknown', reason: 'timeout' } : undefined;
    const messages = h.queue.takeVisible('send') as SendBatchMessage[];

    // Act
    for (const message of messages) await sendCampaignBatch(message, h.deps);
    for (const message of messages) await sendCampaignBatch(message, h.deps);

    // Assert
    expect(h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === unsure)).toHaveLength(1);
    const entry = (await ledgerOf(h, tenantId, campaignId)).get((contacts.get(unsure) as Contact).id);
    expect(entry).toMatchObject({ status: 'unknown', reason: 'timeout' });
    expect((await campaignOf(tenantId, campaignId))?.counts).toMatchObject({ sent: 2, unknown: 1, queued: 0 });
  });

  it('`rejected` with optedOut opts the contact out (source carrier) and skips it', async () => {
    // Arrange
    const { tenantId, campaignId, contacts } = await launched('carrier-opt-out', people(3, 250));
    const stopped = contacts.get(chicagoPhone(251)) as Contact;
    h.gateway.answer = (message) =>
      message.destinationPhoneNumber === stopped.phone
        ? { kind: 'rejected', reason: 'ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT', optedOut: true }
        : undefined;

    // Act
    await runSendsUntilEmpty(h);

    // Assert
    const contact = await h.deps.contacts.getContact(tenantId, stopped.id);
    expect(contact?.contact.smsConsent).toMatchObject({ status: 'opted_out', source: 'carrier' });
    const history = await h.deps.contacts.listConsentHistory(tenantId, stopped.id, { limit: 50 });
    expect(history.items.some((event) => event.status === 'opted_out' && event.source === 'carrier')).toBe(true);
    const entry = (await ledgerOf(h, tenantId, campaignId)).get(stopped.id);
    expect(entry).toMatchObject({ status: 'skipped', reason: 'optedOut' });
    const campaign = await campaignOf(tenantId, campaignId);
    expect(campaign).toMatchObject({ status: 'sent' });
    expect(campaign?.counts).toMatchObject({ sent: 2, skipped: expect.objectContaining({ optedOut: 1 }) });
  });

  it('a contact who opts out after the launch queued them is skipped, not sent', async () => {
    const { tenantId, campaignId, contacts } = await launched('late-opt-out', people(3, 280));
    const late = contacts.get(chicagoPhone(282)) as Contact;
    await changeConsent(tenantId, late.id, 'opted_out', 'inbound_keyword', 'STOP', h.deps);

    await runSendsUntilEmpty(h);

    expect(h.gateway.countsByPhone().has(late.phone)).toBe(false);
    expect((await ledgerOf(h, tenantId, campaignId)).get(late.id)).toMatchObject({
      status: 'skipped',
      reason: 'optedOut',
    });
  });

  it('a tenant with no sender number cannot send or schedule (422 naming originationIdentity), never from a default', async () => {
    // Arrange: a tenant the operator gave no number
    const tenantId = h.newTenant('no-number');
    const campaign = await createCampaign(
      tenantId,
      { name: 'No number', audience: { tags: { any: ['all'] } }, body: 'Hi' },
      h.deps,
    );

    // Act
    const send = sendCampaign(tenantId, campaign.id, h.deps);
    const schedule = scheduleCampaign(
      tenantId,
      campaign.id,
      { sendAt: '2026-11-27T10:00', timeZone: 'America/Chicago' },
      h.deps,
    );

    // Assert
    for (const attempt of [send, schedule]) {
      await expect(attempt).rejects.toMatchObject({
        code: 'CAMPAIGN.NO_SENDER_NUMBER',
        details: [{ path: 'originationIdentity', message: expect.any(String) }],
      });
    }
    expect(await campaignOf(tenantId, campaign.id)).toMatchObject({ status: 'draft' });
  });

  /** Runs the sends with `change` applied while the worker waits for its turn (after its batch read, before its last look). */
  async function sendWithChangeBeforeHandover(phone: string, change: () => Promise<void>) {
    let changed = false;
    const pacer = {
      acquire: async () => {
        if (changed) return true;
        changed = true;
        await change();
        return true;
      },
    };
    const deps: SendDeps = { ...h.deps, pacer };
    const { failures } = await runSends(h, { deps, concurrency: 1 });
    expect(failures).toEqual([]);
    expect(changed).toBe(true);
    await runSendsUntilEmpty(h);
    return h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === phone);
  }

  it("the number's own opt-out, landing while the contact still reads opted in, stops the send right before it", async () => {
    // Arrange: one recipient, so the change lands before its own send
    const { tenantId, campaignId, contacts } = await launched('number-opt-out', people(1, 320));
    const contact = contacts.get(chicagoPhone(320)) as Contact;

    // Act: a STOP reached the number (e.g. under another contact record) while the worker waited
    const calls = await sendWithChangeBeforeHandover(contact.phone, () =>
      h.deps.contacts.setNumberOptOut(tenantId, contact.phone, h.clock.now().toISOString()),
    );

    // Assert
    expect(calls).toEqual([]);
    expect((await ledgerOf(h, tenantId, campaignId)).get(contact.id)).toMatchObject({
      status: 'skipped',
      reason: 'optedOut',
    });
  });

  it('a phone fixed mid-blast: the text goes to the new number, once, and the ledger records the number used', async () => {
    // Arrange
    const { tenantId, campaignId, contacts } = await launched('phone-fixed', people(1, 330));
    const contact = contacts.get(chicagoPhone(330)) as Contact;
    const fixed = chicagoPhone(339);

    // Act
    const toOld = await sendWithChangeBeforeHandover(contact.phone, async () => {
      await updateContact(tenantId, contact.id, { phone: fixed }, h.deps);
    });

    // Assert
    expect(toOld).toEqual([]);
    const toNew = h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === fixed);
    expect(toNew).toHaveLength(1);
    expect((await ledgerOf(h, tenantId, campaignId)).get(contact.id)).toMatchObject({ status: 'sent', phone: fixed });
  });

  it('a phone moved mid-blast to a number that opted out: the text goes to neither', async () => {
    // Arrange: the new number opted out earlier (its contact was deleted since, the opt-out stays)
    const { tenantId, campaignId, contacts } = await launched('phone-to-opted-out', people(1, 340));
    const contact = contacts.get(chicagoPhone(340)) as Contact;
    const optedOutNumber = chicagoPhone(349);
    await h.deps.contacts.setNumberOptOut(tenantId, optedOutNumber, h.clock.now().toISOString());

    // Act
    const toOld = await sendWithChangeBeforeHandover(contact.phone, async () => {
      await updateContact(tenantId, contact.id, { phone: optedOutNumber }, h.deps);
    });

    // Assert
    expect(toOld).toEqual([]);
    expect(h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === optedOutNumber)).toEqual([]);
    expect((await ledgerOf(h, tenantId, campaignId)).get(contact.id)).toMatchObject({
      status: 'skipped',
      reason: 'optedOut',
    });
  });

  it('quiet hours: a contact outside the window is deferred to the next opening and sent when it comes back after it', async () => {
    // Arrange: the default window 10:00-17:00 on weekdays; at 17:00 UTC it is 11:00 in Chicago, 09:00 in Los Angeles
    const losAngeles = '+12135550199';
    const { tenantId, campaignId, contacts } = await launched(
      'quiet-hours',
      [...people(2, 300), { phone: losAngeles, firstName: 'Lee' }],
      { sendWindow: defaultSettings.sendWindow },
    );
    const lee = contacts.get(losAngeles) as Contact;
    const original = h.queue.takeVisible('send') as SendBatchMessage[];
    const opening = '2026-11-26T18:00:00.000Z'; // 10:00 in Los Angeles

    // Act 1: the first pass sends Chicago and defers Los Angeles
    for (const message of original) await sendCampaignBatch(message, h.deps);
    const deferred = (await ledgerOf(h, tenantId, campaignId)).get(lee.id);
    const whileWaiting = await campaignOf(tenantId, campaignId);
    // a redelivery of the original message before the opening sends nothing
    h.clock.set('2026-11-26T17:40:00.000Z');
    for (const message of original) await sendCampaignBatch(message, h.deps);
    const beforeOpening = h.gateway.countsByPhone().get(losAngeles) ?? 0;
    // Act 2: time runs on to each follow-up, until the queue is empty
    await runSendsUntilEmpty(h);

    // Assert
    expect(deferred).toMatchObject({ status: 'deferred', notBefore: opening });
    expect(whileWaiting).toMatchObject({ status: 'sending' });
    expect(beforeOpening).toBe(0);
    const leeCalls = h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === losAngeles);
    expect(leeCalls).toHaveLength(1);
    expect(Date.parse(leeCalls[0]?.at as string)).toBeGreaterThanOrEqual(Date.parse(opening));
    expect(Date.parse(leeCalls[0]?.at as string)).toBeLessThan(Date.parse(opening) + 15 * 60_000);
    for (const call of h.gateway.calls.filter((c) => c.message.destinationPhoneNumber !== losAngeles)) {
      expect(call.at).toBe('2026-11-26T17:00:00.000Z');
    }
    const campaign = await campaignOf(tenantId, campaignId);
    expect(campaign).toMatchObject({ status: 'sent' });
    expect(campaign?.counts).toMatchObject({ sent: 3, skipped: expect.objectContaining({ quietHoursDeferred: 1 }) });
  });

  it('cancel while sending: the rest are cancelled and nothing more goes to the carrier', async () => {
    // Arrange: the campaign is cancelled while the carrier takes the third message. A worker has up to ten
    // recipients of a message in flight (past their last look at the campaign), so at most those still go.
    const RECIPIENTS_IN_FLIGHT = 10;
    const { tenantId, campaignId } = await launched('cancel', people(40, 400));
    let cancelled = false;
    h.gateway.afterSend = async () => {
      if (h.gateway.calls.length === 3) {
        await cancelCampaign(tenantId, campaignId, h.deps);
        cancelled = true;
      }
    };

    // Act
    await runSendsUntilEmpty(h);
    const handedOver = h.gateway.calls.length;
    await runSendsUntilEmpty(h); // a redelivery changes nothing

    // Assert
    expect(cancelled).toBe(true);
    expect(handedOver).toBeGreaterThanOrEqual(3);
    expect(handedOver).toBeLessThanOrEqual(RECIPIENTS_IN_FLIGHT);
    expect(h.gateway.calls).toHaveLength(handedOver);
    const ledger = await ledgerOf(h, tenantId, campaignId);
    expect(statusCounts(ledger)).toEqual({ sent: handedOver, cancelled: 40 - handedOver });
    const campaign = await campaignOf(tenantId, campaignId);
    expect(campaign?.status).toBe('cancelled');
    expect(campaign?.counts).toMatchObject({ sent: handedOver, cancelled: 40 - handedOver, queued: 0 });
  });

  it('completes (status sent) only once no recipient waits', async () => {
    // Arrange: one recipient is throttled twice, so it waits on two retries
    const { tenantId, campaignId } = await launched('completion', people(5, 500));
    const slow = chicagoPhone(502);
    h.gateway.answer = (message, attempt) =>
      message.destinationPhoneNumber === slow && attempt <= 2
        ? { kind: 'retryLater', reason: 'ThrottlingException' }
        : undefined;

    // Act / Assert
    await runSends(h);
    expect((await campaignOf(tenantId, campaignId))?.status).toBe('sending');
    h.clock.advance(60_000);
    await runSends(h);
    expect((await campaignOf(tenantId, campaignId))?.status).toBe('sending');
    await runSendsUntilEmpty(h);
    const campaign = await campaignOf(tenantId, campaignId);
    expect(campaign).toMatchObject({ status: 'sent', completedAt: expect.any(String) });
    expect(campaign?.counts).toMatchObject({ sent: 5, queued: 0 });
  });
});
