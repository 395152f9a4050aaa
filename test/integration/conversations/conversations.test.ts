import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { DynamoConversationStore } from '../../../shared/adapters/aws/dynamo/dynamo-conversation-store';
import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import {
  type ConversationDeps,
  listContactMessages,
  listConversations,
  markConversationRead,
} from '../../../shared/app/conversations/conversations.use-case';
import { processInboundMessage } from '../../../shared/app/inbound/process-inbound.use-case';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import type { ConversationMessage } from '../../../shared/domain/conversations/conversation-message';
import { NotFoundError, ValidationError } from '../../../shared/domain/errors';
import { type TwoWayMessage, twoWayMessageSchema } from '../../../shared/domain/inbound/two-way-message.schema';
import { type SmsEventRecord, smsEventRecordSchema } from '../../../shared/domain/receipts/sms-event.schema';
import stopFixture from '../../fixtures/events/inbound-two-way-stop.json';
import unreachableFixture from '../../fixtures/events/sms-event-text-carrier-unreachable.json';
import deliveredFixture from '../../fixtures/events/sms-event-text-delivered.json';
import {
  type CampaignHarness,
  chicagoPhone,
  ledgerOf,
  OPEN_WINDOW,
  recordReceiptsOnce,
  runLaunches,
  runSendsUntilEmpty,
  seedTenant,
  startCampaignHarness,
} from '../campaigns/campaign-harness';

let h: CampaignHarness;
let deps: ConversationDeps;
let destroy: () => void;

beforeAll(async () => {
  h = await startCampaignHarness();
  const client = createDocumentClient({ endpoint: h.dynamo.endpoint, region: 'us-east-1' });
  destroy = () => client.destroy();
  const conversations = new DynamoConversationStore(client, h.dynamo.tableNames);
  deps = { contacts: h.deps.contacts, conversations, clock: h.clock };
});

afterAll(async () => {
  destroy();
  await h.stop();
});

let numbers = 0;
let inboundIds = 0;

interface Tenant {
  tenantId: string;
  number: string;
  contact: Contact;
}

async function tenantWithContact(label: string): Promise<Tenant> {
  const tenantId = h.newTenant(label);
  const number = `+1206556${String(++numbers).padStart(4, '0')}`;
  const byPhone = await seedTenant(h, tenantId, [{ phone: chicagoPhone(600 + numbers), firstName: 'Rae' }], {
    ...OPEN_WINDOW,
    originationIdentity: number,
    helpText: 'Acme Homes: reply STOP to opt out',
  });
  return { tenantId, number, contact: [...byPhone.values()][0] as Contact };
}

function text(t: Tenant, body: string, inboundMessageId = `conv-in-${++inboundIds}`): TwoWayMessage {
  return twoWayMessageSchema.parse({
    ...stopFixture,
    originationNumber: t.contact.phone,
    destinationNumber: t.number,
    messageKeyword: '',
    messageBody: body,
    inboundMessageId,
    previousPublishedMessageId: null,
  });
}

const receipt = (fixture: unknown, messageId: string, context: Record<string, string>, at: number): SmsEventRecord =>
  smsEventRecordSchema.parse({ ...(fixture as object), messageId, eventTimestamp: at, context });

async function everyPage(t: Tenant, limit: number, order: 'asc' | 'desc' = 'asc') {
  const items: ConversationMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await listContactMessages(t.tenantId, t.contact.id, { limit, cursor, order }, deps);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

const step = () => h.clock.advance(60_000);

describe('a contact’s conversation', () => {
  let a: Tenant;
  let campaignId: string;
  let settledAt: number;

  beforeAll(async () => {
    // A campaign text, a reply, a HELP and its answer, receipts for both texts sent
    a = await tenantWithContact('conversation');
    const campaign = await createCampaign(
      a.tenantId,
      { name: 'Open house', audience: { tags: { any: ['all'] } }, body: 'Hi {{contact.first_name}}, open house Sat' },
      h.deps,
    );
    campaignId = campaign.id;
    await sendCampaign(a.tenantId, campaign.id, h.deps);
    await runLaunches(h);
    await runSendsUntilEmpty(h);
    const entry = (await ledgerOf(h, a.tenantId, campaign.id)).get(a.contact.id);
    step();
    await processInboundMessage(text(a, 'Yes, Saturday works'), h.deps);
    step();
    await processInboundMessage(text(a, 'HELP'), h.deps);
    const help = h.gateway.calls.at(-1);
    expect(help?.message.context?.purpose).toBe('helpReply');
    const helpId = `msg-${h.gateway.calls.length}`;
    step();
    const now = h.clock.now().getTime();
    settledAt = now;
    await recordReceiptsOnce(h, [
      receipt(
        deliveredFixture,
        entry?.messageId as string,
        { tenantId: a.tenantId, campaignId, contactId: a.contact.id },
        now,
      ),
      receipt(unreachableFixture, helpId, { tenantId: a.tenantId, contactId: a.contact.id, purpose: 'helpReply' }, now),
    ]);
  });

  it('lists every text either way in time order, with the receipts’ statuses and the texts as sent', async () => {
    // Act
    const page = await listContactMessages(a.tenantId, a.contact.id, { limit: 50, order: 'asc' }, deps);

    // Assert
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((m) => [m.direction, m.kind, m.status])).toEqual([
      ['outbound', 'campaign', 'delivered'],
      ['inbound', 'reply', 'received'],
      ['inbound', 'help', 'received'],
      ['outbound', 'helpAnswer', 'failed'],
    ]);
    expect(page.items[0]).toMatchObject({ campaignId, body: expect.stringMatching(/^Hi Rae, open house Sat/) });
    expect(page.items[1]).toMatchObject({ body: 'Yes, Saturday works', campaignId });
    expect(page.items[3]).toMatchObject({ body: 'Acme Homes: reply STOP to opt out', reason: 'carrierUnreachable' });
    const times = page.items.map((m) => m.at);
    expect([...times].sort()).toEqual(times);
  });

  it('pages through the same texts with the cursor, either way round, whatever the page size', async () => {
    // Arrange
    const all = await everyPage(a, 50);

    // Act + Assert
    for (const limit of [1, 2, 3]) {
      expect(await everyPage(a, limit)).toEqual(all);
      expect(await everyPage(a, limit, 'desc')).toEqual([...all].reverse());
    }
  });

  it('a receipt that comes twice, or an earlier one after a later, changes nothing', async () => {
    // Arrange
    const before = await everyPage(a, 50);
    const helpAnswer = before[3] as ConversationMessage;
    const context = { tenantId: a.tenantId, contactId: a.contact.id, purpose: 'helpReply' };

    // Act: the same failure again, and a delivery from before it
    const early = h.clock.now().getTime() - 3_600_000;
    const failedAt = settledAt;
    await recordReceiptsOnce(h, [
      receipt(unreachableFixture, helpAnswer.id, context, failedAt),
      receipt(deliveredFixture, helpAnswer.id, context, early),
    ]);

    // Assert
    expect(await everyPage(a, 50)).toEqual(before);
  });

  it('is another tenant’s 404, and another tenant’s cursor is a 400', async () => {
    // Arrange
    const b = await tenantWithContact('conversation-other');
    const page = await listContactMessages(a.tenantId, a.contact.id, { limit: 1, order: 'asc' }, deps);

    // Act + Assert
    await expect(listContactMessages(b.tenantId, a.contact.id, { limit: 50, order: 'asc' }, deps)).rejects.toThrow(
      NotFoundError,
    );
    await expect(markConversationRead(b.tenantId, a.contact.id, deps)).rejects.toThrow(NotFoundError);
    const cursor = page.nextCursor as string;
    await expect(
      listContactMessages(b.tenantId, b.contact.id, { limit: 50, cursor, order: 'asc' }, deps),
    ).rejects.toThrow(ValidationError);
    expect((await listConversations(b.tenantId, { limit: 50 }, deps)).items).toEqual([]);
  });
});

describe('the conversations list', () => {
  it('orders contacts by latest inbound text and counts unread texts once each, until read', async () => {
    // Arrange: two contacts of one tenant; the first texts, then the second
    const first = await tenantWithContact('inbox');
    const tenantId = first.tenantId;
    const secondContact = [
      ...(
        await seedTenant(h, tenantId, [{ phone: chicagoPhone(700) }], {
          ...OPEN_WINDOW,
          originationIdentity: first.number,
        })
      ).values(),
    ].find((c) => c.phone === chicagoPhone(700)) as Contact;
    const second: Tenant = { ...first, contact: secondContact };
    step();
    const duplicated = text(first, 'Is it still for sale?');
    await processInboundMessage(duplicated, h.deps);
    await processInboundMessage(duplicated, h.deps);
    step();
    await processInboundMessage(text(first, 'What is the price?'), h.deps);
    step();
    await processInboundMessage(text(second, 'Call me'), h.deps);

    // Act
    const inbox = await listConversations(tenantId, { limit: 50 }, deps);

    // Assert
    expect(inbox.items.map((c) => [c.contactId, c.unread])).toEqual([
      [second.contact.id, 1],
      [first.contact.id, 2],
    ]);
    expect(inbox.items[0]).toMatchObject({ phone: chicagoPhone(700), lastReadAt: null });

    // Act: read, then one more text
    const readAt = step();
    const read = await markConversationRead(tenantId, first.contact.id, deps);
    const afterRead = await listConversations(tenantId, { limit: 50 }, deps);
    step();
    await processInboundMessage(text(first, 'Hello?'), h.deps);
    const afterMore = await listConversations(tenantId, { limit: 1 }, deps);

    // Assert
    expect(read).toEqual({ contactId: first.contact.id, unread: 0, lastReadAt: readAt });
    expect(afterRead.items.find((c) => c.contactId === first.contact.id)).toMatchObject({
      unread: 0,
      lastReadAt: read.lastReadAt,
    });
    expect(afterMore.items).toEqual([expect.objectContaining({ contactId: first.contact.id, unread: 1 })]);
    expect(afterMore.nextCursor).not.toBeNull();
    const rest = await listConversations(tenantId, { limit: 1, cursor: afterMore.nextCursor as string }, deps);
    expect(rest.items.map((c) => c.contactId)).toEqual([second.contact.id]);
  });
});
