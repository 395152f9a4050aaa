import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { createContact } from '../../../shared/app/contacts/create-contact.use-case';
import { autoReplyText } from '../../../shared/app/inbound/auto-replies';
import { processInboundMessage } from '../../../shared/app/inbound/process-inbound.use-case';
import { routeUnroutedInbound } from '../../../shared/app/numbers/sender-numbers.use-case';
import type { CampaignCounts } from '../../../shared/domain/campaigns/campaign.schema';
import type { LedgerEntry } from '../../../shared/domain/campaigns/ledger.schema';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import type { InboundMessageEvent } from '../../../shared/domain/inbound/inbound-message';
import { type TwoWayMessage, twoWayMessageSchema } from '../../../shared/domain/inbound/two-way-message.schema';
import stopFixture from '../../fixtures/events/inbound-two-way-stop.json';
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

const HELP_TEXT = 'For help call 312-555-0100. Reply STOP to opt out.';
const DAY = 86_400_000;

let h: CampaignHarness;
let numbers = 2000;
let inboundIds = 0;

beforeAll(async () => {
  h = await startCampaignHarness();
});

afterAll(async () => h.stop());

beforeEach(() => {
  h.queue.held.length = 0;
  h.clock.set('2026-11-26T17:00:00.000Z');
});

interface Tenant {
  tenantId: string;
  /** The tenant's number (its originationIdentity): inbound texts to it find the tenant. */
  number: string;
  contacts: Contact[];
}

/** A fresh tenant with its own number and `count` opted-in contacts. */
async function tenantWith(label: string, count: number): Promise<Tenant> {
  const tenantId = h.newTenant(label);
  const number = `+1206555${String(++numbers).padStart(4, '0')}`;
  const byPhone = await seedTenant(
    h,
    tenantId,
    Array.from({ length: count }, () => ({ phone: chicagoPhone(++numbers) })),
    {
      ...OPEN_WINDOW,
      businessName: 'Acme Homes',
      helpText: HELP_TEXT,
      originationIdentity: number,
      frequencyCap: { maxMessages: 10, perHours: 24 },
    },
  );
  return { tenantId, number, contacts: [...byPhone.values()] };
}

/** Sends a campaign to every contact of the tenant; returns its id and the ledger. */
async function sendCampaignToAll(
  t: Tenant,
  name: string,
  messageType: 'PROMOTIONAL' | 'TRANSACTIONAL' = 'PROMOTIONAL',
) {
  h.queue.held.length = 0;
  const campaign = await createCampaign(
    t.tenantId,
    { name, audience: { tags: { any: ['all'] } }, body: 'Open house Saturday, reply to book', messageType },
    h.deps,
  );
  await sendCampaign(t.tenantId, campaign.id, h.deps);
  await runLaunches(h);
  await runSendsUntilEmpty(h);
  h.queue.held.length = 0;
  return { campaignId: campaign.id, ledger: await ledgerOf(h, t.tenantId, campaign.id) };
}

/** A two-way payload as AWS publishes it, from `phone` to the tenant's number. */
function text(
  t: Pick<Tenant, 'number'>,
  phone: string,
  body: string,
  extra: Partial<TwoWayMessage> = {},
): TwoWayMessage {
  return twoWayMessageSchema.parse({
    ...stopFixture,
    originationNumber: phone,
    destinationNumber: t.number,
    messageKeyword: '',
    messageBody: body,
    inboundMessageId: `inbound-${++inboundIds}`,
    previousPublishedMessageId: null,
    ...extra,
  });
}

const receive = (message: TwoWayMessage) => processInboundMessage(message, h.deps);

const repliesTo = (phone: string, purpose: string) =>
  h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === phone && c.message.context?.purpose === purpose);

const eventsPublished = () =>
  h.queue.held
    .filter((m) => m.queue === 'events' && (m.body as { kind?: string }).kind === 'inboundMessage')
    .map((m) => m.body as InboundMessageEvent);

async function contactOf(t: Tenant, contact: Contact) {
  return (await h.deps.contacts.getContact(t.tenantId, contact.id))?.contact as Contact;
}

async function historyOf(t: Tenant, contact: Contact) {
  return (await h.deps.contacts.listConsentHistory(t.tenantId, contact.id, { limit: 50 })).items;
}

async function countsOf(t: Tenant, campaignId: string) {
  return (await h.campaigns.getCampaign(t.tenantId, campaignId))?.campaign.counts as CampaignCounts;
}

async function entryOf(t: Tenant, campaignId: string, contact: Contact) {
  return (await ledgerOf(h, t.tenantId, campaignId)).get(contact.id) as LedgerEntry;
}

describe('STOP and its kin', () => {
  it.each(['STOP', 'stop.', ' Stop '])(
    '"%s" opts the contact out, with the text in the consent history, and counts one opt-out on the campaign',
    async (body) => {
      // Arrange
      const t = await tenantWith('stop', 2);
      const [who, other] = t.contacts as [Contact, Contact];
      const { campaignId } = await sendCampaignToAll(t, 'open house');

      // Act
      const outcome = await receive(text(t, who.phone, body));

      // Assert
      expect(outcome).toBe('optOut');
      expect((await contactOf(t, who)).smsConsent).toMatchObject({ status: 'opted_out', source: 'inbound_keyword' });
      expect(await historyOf(t, who)).toContainEqual(
        expect.objectContaining({
          status: 'opted_out',
          source: 'inbound_keyword',
          note: expect.stringContaining(body),
        }),
      );
      expect((await contactOf(t, other)).smsConsent.status).toBe('opted_in');
      expect(await entryOf(t, campaignId, who)).toMatchObject({ optedOutAt: expect.any(String) });
      expect(await entryOf(t, campaignId, who)).not.toHaveProperty('repliedAt');
      expect(await countsOf(t, campaignId)).toMatchObject({ optOuts: 1, replies: 0 });
      expect(repliesTo(who.phone, 'optOutReply')).toHaveLength(1);
      expect(repliesTo(who.phone, 'optOutReply')[0]?.message).toMatchObject({
        originationIdentity: t.number,
        messageType: 'TRANSACTIONAL',
        messageBody: autoReplyText('optOut', { businessName: 'Acme Homes', helpText: HELP_TEXT }),
      });
    },
  );

  it('the same STOP delivered twice, one after the other or at once, acts once: one confirmation, one opt-out', async () => {
    // Arrange
    const t = await tenantWith('stop-dup', 2);
    const [serial, parallel] = t.contacts as [Contact, Contact];
    const { campaignId } = await sendCampaignToAll(t, 'open house');
    const first = text(t, serial.phone, 'STOP');
    const second = text(t, parallel.phone, 'STOP');

    // Act
    const serialOutcomes = [await receive(first), await receive({ ...first })];
    const parallelOutcomes = await Promise.all([receive(second), receive({ ...second })]);

    // Assert
    expect(serialOutcomes).toEqual(['optOut', 'duplicate']);
    expect(parallelOutcomes).toContain('optOut');
    expect(repliesTo(serial.phone, 'optOutReply')).toHaveLength(1);
    expect(repliesTo(parallel.phone, 'optOutReply')).toHaveLength(1);
    expect(await countsOf(t, campaignId)).toMatchObject({ optOuts: 2 });
    const ledger = [...(await ledgerOf(h, t.tenantId, campaignId)).values()];
    expect(ledger.filter((e) => e.optedOutAt)).toHaveLength(2);
  });

  it('START after STOP opts the contact back in, recorded in the history, with one welcome', async () => {
    // Arrange
    const t = await tenantWith('start', 1);
    const who = t.contacts[0] as Contact;
    await receive(text(t, who.phone, 'STOP'));
    h.clock.advance(60_000);

    // Act
    const outcome = await receive(text(t, who.phone, 'Start'));

    // Assert
    expect(outcome).toBe('optIn');
    expect((await contactOf(t, who)).smsConsent).toMatchObject({ status: 'opted_in', source: 'inbound_keyword' });
    const history = await historyOf(t, who);
    expect(history.map((e) => e.status)).toEqual(expect.arrayContaining(['opted_out', 'opted_in']));
    expect(repliesTo(who.phone, 'optInReply')).toHaveLength(1);
  });

  it('YES from an opted-out contact opts back in; YES from an opted-in contact is a reply', async () => {
    // Arrange
    const t = await tenantWith('yes', 2);
    const [optedOut, optedIn] = t.contacts as [Contact, Contact];
    const { campaignId } = await sendCampaignToAll(t, 'open house');
    await receive(text(t, optedOut.phone, 'STOP'));

    // Act
    const outOutcome = await receive(text(t, optedOut.phone, 'yes'));
    const inOutcome = await receive(text(t, optedIn.phone, 'Yes'));

    // Assert
    expect(outOutcome).toBe('optIn');
    expect((await contactOf(t, optedOut)).smsConsent.status).toBe('opted_in');
    expect(inOutcome).toBe('reply');
    expect((await contactOf(t, optedIn)).smsConsent.status).toBe('opted_in');
    expect(await entryOf(t, campaignId, optedIn)).toMatchObject({ repliedAt: expect.any(String), replyText: 'Yes' });
    expect(await entryOf(t, campaignId, optedOut)).not.toHaveProperty('repliedAt');
    expect(await countsOf(t, campaignId)).toMatchObject({ replies: 1, optOuts: 1 });
  });

  it('a STOP from a number with no contact opts the number out: a contact created later with it is opted out', async () => {
    // Arrange
    const t = await tenantWith('stranger', 0);
    const phone = chicagoPhone(++numbers);

    // Act
    const outcome = await receive(text(t, phone, 'UNSUBSCRIBE'));
    const later = await createContact(t.tenantId, { phone, firstName: 'Late', smsConsent: 'opted_in' }, h.deps);

    // Assert
    expect(outcome).toBe('optOut');
    expect(repliesTo(phone, 'optOutReply')).toHaveLength(1);
    expect(later.smsConsent.status).toBe('opted_out');
  });

  it('a free-text revocation ("please stop texting me") opts out and is flagged for review in the history', async () => {
    // Arrange
    const t = await tenantWith('revocation', 1);
    const who = t.contacts[0] as Contact;

    // Act
    const outcome = await receive(text(t, who.phone, 'please stop texting me'));

    // Assert
    expect(outcome).toBe('revocation');
    expect((await contactOf(t, who)).smsConsent.status).toBe('opted_out');
    expect(await historyOf(t, who)).toContainEqual(
      expect.objectContaining({
        status: 'opted_out',
        source: 'inbound_keyword',
        flaggedForReview: true,
        note: expect.stringContaining('please stop texting me'),
      }),
    );
  });
});

describe('HELP', () => {
  it("answers with the tenant's help text and changes nothing else", async () => {
    // Arrange
    const t = await tenantWith('help', 1);
    const who = t.contacts[0] as Contact;
    const { campaignId } = await sendCampaignToAll(t, 'open house');

    // Act
    const outcome = await receive(text(t, who.phone, 'help'));

    // Assert
    expect(outcome).toBe('help');
    const answers = repliesTo(who.phone, 'helpReply');
    expect(answers).toHaveLength(1);
    expect(answers[0]?.message.messageBody).toBe(`Acme Homes: ${HELP_TEXT}`);
    expect((await contactOf(t, who)).smsConsent.status).toBe('opted_in');
    expect(await countsOf(t, campaignId)).toMatchObject({ replies: 0, optOuts: 0 });
  });
});

describe('replies', () => {
  it('set repliedAt and the text on the ledger, and count each responder once', async () => {
    // Arrange
    const t = await tenantWith('replies', 3);
    const [chatty, quiet, silent] = t.contacts as [Contact, Contact, Contact];
    const { campaignId } = await sendCampaignToAll(t, 'open house');

    // Act
    await receive(text(t, chatty.phone, 'Is it still available?'));
    h.clock.advance(60_000);
    await receive(text(t, chatty.phone, 'Also, what time?'));
    await receive(text(t, quiet.phone, 'Count me in'));

    // Assert
    const ledger = await ledgerOf(h, t.tenantId, campaignId);
    expect(ledger.get(chatty.id)).toMatchObject({
      repliedAt: '2026-11-26T17:00:00.000Z',
      replyText: 'Is it still available?',
    });
    expect(ledger.get(quiet.id)).toMatchObject({ repliedAt: expect.any(String), replyText: 'Count me in' });
    expect(ledger.get(silent.id)).not.toHaveProperty('repliedAt');
    expect(await countsOf(t, campaignId)).toMatchObject({ replies: 2, optOuts: 0 });
  });

  it('with previousPublishedMessageId go to the campaign named, even when a later one was sent', async () => {
    // Arrange
    const t = await tenantWith('named', 1);
    const who = t.contacts[0] as Contact;
    const first = await sendCampaignToAll(t, 'first');
    h.clock.advance(3_600_000);
    const second = await sendCampaignToAll(t, 'second');
    h.clock.advance(60_000);
    const firstMessageId = first.ledger.get(who.id)?.messageId as string;

    // Act
    await receive(text(t, who.phone, 'About the first one', { previousPublishedMessageId: firstMessageId }));

    // Assert
    expect(await entryOf(t, first.campaignId, who)).toMatchObject({ repliedAt: expect.any(String) });
    expect(await entryOf(t, second.campaignId, who)).not.toHaveProperty('repliedAt');
    expect((await countsOf(t, first.campaignId)).replies).toBe(1);
    expect((await countsOf(t, second.campaignId)).replies).toBe(0);
  });

  it('without a message id go to the latest campaign sent to the contact within 7 days', async () => {
    // Arrange
    const t = await tenantWith('latest', 1);
    const who = t.contacts[0] as Contact;
    const first = await sendCampaignToAll(t, 'first');
    h.clock.advance(2 * DAY);
    const second = await sendCampaignToAll(t, 'second');
    h.clock.advance(6 * DAY);

    // Act
    await receive(text(t, who.phone, 'Sounds good'));

    // Assert
    expect(await entryOf(t, second.campaignId, who)).toMatchObject({ repliedAt: expect.any(String) });
    expect(await entryOf(t, first.campaignId, who)).not.toHaveProperty('repliedAt');
    expect(eventsPublished()[0]?.answers).toEqual({ kind: 'campaign', campaignId: second.campaignId });
  });

  it('go to the latest campaign whether it was promotional (capped log) or transactional (its own log item)', async () => {
    // Arrange: a promotional campaign, then a transactional one a day later, then a promotional one again
    const t = await tenantWith('mixed-log', 1);
    const who = t.contacts[0] as Contact;
    await sendCampaignToAll(t, 'promo', 'PROMOTIONAL');
    h.clock.advance(DAY);
    const notice = await sendCampaignToAll(t, 'notice', 'TRANSACTIONAL');
    h.clock.advance(DAY);

    // Act
    await receive(text(t, who.phone, 'Got it, thanks'));

    // Assert
    expect(await entryOf(t, notice.campaignId, who)).toMatchObject({ repliedAt: expect.any(String) });
    expect(eventsPublished()[0]?.answers).toEqual({ kind: 'campaign', campaignId: notice.campaignId });
  });

  it('are not attributed to a campaign sent more than 7 days before', async () => {
    // Arrange
    const t = await tenantWith('old', 1);
    const who = t.contacts[0] as Contact;
    const { campaignId } = await sendCampaignToAll(t, 'old news');
    h.clock.advance(8 * DAY);

    // Act
    const outcome = await receive(text(t, who.phone, 'Is this still on?'));

    // Assert
    expect(outcome).toBe('reply');
    expect(await entryOf(t, campaignId, who)).not.toHaveProperty('repliedAt');
    expect((await countsOf(t, campaignId)).replies).toBe(0);
    expect(eventsPublished()[0]?.answers).toBeNull();
  });
});

describe('routing and events', () => {
  it('a text to a number no tenant holds, naming no message of ours, is kept unrouted for the operator', async () => {
    // Arrange
    const message = text({ number: '+12065559999' }, chicagoPhone(++numbers), 'STOP');

    // Act
    const outcome = await receive(message);

    // Assert
    expect(outcome).toBe('unrouted');
    expect(eventsPublished()).toHaveLength(0);
    expect(await h.deps.numbers.getUnrouted(message.inboundMessageId)).toMatchObject({
      inboundMessageId: message.inboundMessageId,
      message: { destinationNumber: '+12065559999', messageBody: 'STOP' },
      reason: expect.stringContaining('+12065559999'),
    });
  });

  it('an unrouted text the operator routes to a tenant goes round again and reaches that tenant, once', async () => {
    // Arrange: a STOP to a number nobody holds, from a contact of the tenant
    const t = await tenantWith('operator-route', 1);
    const contact = t.contacts[0] as Contact;
    const message = text({ number: '+12065559998' }, contact.phone, 'STOP');
    expect(await receive(message)).toBe('unrouted');

    // Act: the operator's decision, then the message as the inbound queue hands it back
    await routeUnroutedInbound(message.inboundMessageId, t.tenantId, h.deps);
    const [again] = h.queue.held.filter((m) => m.queue === 'inbound').map((m) => m.body as { Message: string });
    const outcome = await receive(twoWayMessageSchema.parse(JSON.parse(again?.Message as string)));

    // Assert
    expect(outcome).toBe('optOut');
    expect((await h.deps.contacts.getContact(t.tenantId, contact.id))?.contact.smsConsent).toMatchObject({
      status: 'opted_out',
      source: 'inbound_keyword',
    });
    expect(await h.deps.numbers.getUnrouted(message.inboundMessageId)).toBeUndefined();
    await expect(routeUnroutedInbound(message.inboundMessageId, t.tenantId, h.deps)).rejects.toMatchObject({
      name: expect.any(String),
      message: expect.stringContaining(message.inboundMessageId),
    });
  });

  it('every inbound message publishes one event on the events queue (a duplicate none)', async () => {
    // Arrange
    const t = await tenantWith('events', 3);
    const [a, b, c] = t.contacts as [Contact, Contact, Contact];
    const messages = [text(t, a.phone, 'STOP'), text(t, b.phone, 'HELP'), text(t, c.phone, 'See you there')];

    // Act
    for (const message of messages) await receive(message);
    await receive({ ...(messages[0] as TwoWayMessage) });

    // Assert
    const events = eventsPublished();
    expect(events.map((e) => [e.inboundMessageId, e.type])).toEqual([
      [messages[0]?.inboundMessageId, 'optOut'],
      [messages[1]?.inboundMessageId, 'help'],
      [messages[2]?.inboundMessageId, 'reply'],
    ]);
    expect(events[2]).toMatchObject({
      kind: 'inboundMessage',
      tenantId: t.tenantId,
      contactId: c.id,
      phone: c.phone,
      body: 'See you there',
    });
  });
});
