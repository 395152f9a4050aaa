import type { ConversationMessage } from '../../../shared/domain/conversations/conversation-message';
import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import {
  advanceToAfternoonIn,
  afternoonZone,
  type Campaign,
  createCampaign,
  importAll,
  openWindowSettings,
  resultsOf,
  tollFree,
  waitFor,
} from '../campaigns/campaign-e2e-helpers';
import { expectError } from '../helpers/api';

let test: TestStack;
let api: HttpClient;
let contactId: string;
const PHONE = tollFree(900);
const HELP_TEXT = 'Acme Homes help: call 312-555-0100. Reply STOP to opt out.';

interface Conversation {
  contactId: string;
  phone: string;
  unread: number;
  lastInboundAt: string;
  lastReadAt: string | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

beforeAll(async () => {
  test = await startTestStack({ carrier: { mps: 1000, receiptDelayMs: 50 } });
  await advanceToAfternoonIn(test, 'America/Chicago');
  api = await test.clientFor('conversations-1');
  const zone = afternoonZone(test);
  expect((await api.patch('/v1/settings', { ...openWindowSettings(zone), helpText: HELP_TEXT })).status).toBe(200);
  expect(
    (await importAll(api, [{ phone: PHONE, firstName: 'Rae', tags: ['conv'], smsConsent: 'opted_in' }])).rejected,
  ).toEqual([]);
  contactId = (await api.get<Page<{ id: string }>>('/v1/contacts')).body.items[0]?.id as string;
});

afterAll(async () => test.stop());

const messagesOf = async (client: HttpClient, id: string, query: Record<string, string> = {}) =>
  client.get<Page<ConversationMessage>>(`/v1/contacts/${id}/messages`, { query });

async function texts(body: string) {
  expect((await test.anonymous.post('/local/inbound', { from: PHONE, body })).status).toBe(202);
}

describe('a contact’s conversation through the local stack', () => {
  it('shows the campaign text, the workflow text, the reply, the HELP and its answer, in order, with receipts', async () => {
    // Arrange: a campaign, then a workflow text (a form submission), then a reply and a HELP
    const campaign: Campaign = await createCampaign(api, {
      name: 'Open house',
      audience: { tags: { any: ['conv'] } },
      body: 'Hi {{contact.first_name}}, open house Sat 10-2',
    });
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    await waitFor(
      () => resultsOf(api, campaign.id),
      (r) => r.status === 'sent',
      { what: 'the campaign sent' },
    );
    const workflow = await api.post<{ id: string }>('/v1/workflows', {
      name: 'Thanks',
      messageType: 'TRANSACTIONAL',
      trigger: { type: 'form_submitted', formId: 'open-house' },
      steps: [{ id: 'thanks', type: 'send_sms', body: 'Thanks for signing up, {{contact.first_name}}!' }],
    });
    expect(workflow.status).toBe(201);
    expect((await api.post(`/v1/workflows/${workflow.body.id}/activate`)).status).toBe(200);
    expect(
      (await api.post('/v1/forms/open-house/submissions', { phone: PHONE, firstName: 'Rae' })).status,
    ).toBeLessThan(300);
    await waitFor(
      async () => (await messagesOf(api, contactId)).body.items,
      (items) => items.some((m) => m.kind === 'workflow'),
      { what: 'the workflow text' },
    );
    await texts('Yes, Saturday works');
    await waitFor(
      async () => (await messagesOf(api, contactId)).body.items,
      (items) => items.some((m) => m.kind === 'reply'),
      { what: 'the reply' },
    );
    await texts('HELP');

    // Act: once every text sent has its receipt
    const items = await waitFor(
      async () => (await messagesOf(api, contactId)).body.items,
      (all) => all.length === 5 && all.every((m) => m.status === 'delivered' || m.status === 'received'),
      { what: 'five texts with their receipts' },
    );

    // Assert
    expect(items.map((m) => [m.direction, m.kind, m.status])).toEqual([
      ['outbound', 'campaign', 'delivered'],
      ['outbound', 'workflow', 'delivered'],
      ['inbound', 'reply', 'received'],
      ['inbound', 'help', 'received'],
      ['outbound', 'helpAnswer', 'delivered'],
    ]);
    expect(items.map((m) => m.body)).toEqual([
      'Hi Rae, open house Sat 10-2\nReply STOP to unsubscribe',
      'Thanks for signing up, Rae!',
      'Yes, Saturday works',
      'HELP',
      HELP_TEXT,
    ]);
    expect(items[0]).toMatchObject({ campaignId: campaign.id, segments: 1, deliveredAt: expect.any(String) });
    expect(items[1]).toMatchObject({ workflowId: workflow.body.id });
    const latestFirst = await messagesOf(api, contactId, { order: 'desc', limit: '2' });
    expect(latestFirst.body.items.map((m) => m.kind)).toEqual(['helpAnswer', 'help']);
    const next = await messagesOf(api, contactId, {
      order: 'desc',
      limit: '2',
      cursor: latestFirst.body.nextCursor as string,
    });
    expect(next.body.items.map((m) => m.kind)).toEqual(['reply', 'workflow']);
  });

  it('lists the conversation with its unread texts until it is read', async () => {
    // Act
    const before = await api.get<Page<Conversation>>('/v1/conversations');
    const read = await api.post<{ unread: number; lastReadAt: string }>(`/v1/conversations/${contactId}/read`);
    const after = await api.get<Page<Conversation>>('/v1/conversations');

    // Assert
    expect(before.status).toBe(200);
    expect(before.body.items).toEqual([
      expect.objectContaining({ contactId, phone: PHONE, unread: 2, lastReadAt: null }),
    ]);
    expect(read.status).toBe(200);
    expect(read.body.unread).toBe(0);
    expect(after.body.items).toEqual([
      expect.objectContaining({ contactId, unread: 0, lastReadAt: read.body.lastReadAt }),
    ]);
  });

  it('is a 404 to another tenant, whose conversations list is empty; bad queries are 400s naming the field', async () => {
    // Arrange
    const stranger = await test.clientFor('conversations-2');

    // Act + Assert
    expectError(await messagesOf(stranger, contactId), 404, 'CONTACT.NOT_FOUND');
    expectError(await stranger.post(`/v1/conversations/${contactId}/read`), 404, 'CONTACT.NOT_FOUND');
    expect((await stranger.get<Page<Conversation>>('/v1/conversations')).body).toEqual({ items: [], nextCursor: null });
    const order = expectError(await messagesOf(api, contactId, { order: 'newest' }), 400, 'VALIDATION_FAILED');
    expect(order.details.map((d) => d.path)).toContain('order');
    const cursor = expectError(await messagesOf(api, contactId, { cursor: 'bm90LWEtY3Vyc29y' }), 400);
    expect(cursor.details.map((d) => d.path)).toContain('cursor');
  });
});
