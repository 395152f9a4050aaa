import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import {
  afternoonZone,
  type Campaign,
  contactIdsByPhone,
  createCampaign,
  importAll,
  ledgerOf,
  openWindowSettings,
  outboxOf,
  tollFree,
  waitFor,
} from '../campaigns/campaign-e2e-helpers';
import { expectError } from '../helpers/api';

const BROWSER =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1';
const PREVIEWER = 'facebookexternalhit/1.1 Facebot Twitterbot/1.0';
const OFFER = 'https://shop.example.com/offer?utm=sms';
const HOURS = 'example.org/hours';

interface ClickResults {
  delivered: number;
  clicks: number;
  uniqueClickers: number;
  clickThroughRate: number | null;
  links: { index: number; url: string | null; clicks: number; uniqueClickers: number }[];
  clicksByTag: Record<string, { clicks: number; uniqueClickers: number; clickThroughRate: number | null }>;
}

let test: TestStack;
let api: HttpClient;

/** A click as a phone (or a previewer) makes it: no redirect followed, so the 302 itself is seen. */
async function click(shortUrl: string, userAgent = BROWSER) {
  const response = await fetch(shortUrl, { redirect: 'manual', headers: { 'user-agent': userAgent } });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
}

const shortLinksIn = (body: string) =>
  [...body.matchAll(/http:\/\/127\.0\.0\.1:\d+\/l\/[A-Za-z0-9_-]{12}/g)].map((m) => m[0]);

beforeAll(async () => {
  test = await startTestStack({ carrier: { receiptDelayMs: 50 } });
  api = await test.clientFor('links-tenant');
  expect((await api.patch('/v1/settings', openWindowSettings(afternoonZone(test)))).status).toBe(200);
});

afterAll(async () => test.stop());

describe('tracked links in a campaign', () => {
  let campaign: Campaign;
  let links: Map<string, string[]>;
  let ids: Map<string, string>;
  const phones = [tollFree(10), tollFree(11), tollFree(12)];

  beforeAll(async () => {
    // Arrange: three recipients, two tagged vip
    await importAll(
      api,
      phones.map((phone, i) => ({ phone, tags: i < 2 ? ['vip', 'links'] : ['links'], smsConsent: 'opted_in' })),
    );
    ids = await contactIdsByPhone(api);
    campaign = await createCampaign(api, {
      name: 'Links',
      audience: { tags: { any: ['links'] } },
      body: `Deals at ${OFFER} and our hours: ${HOURS}.`,
      trackLinks: true,
    });
  });

  it('sends each recipient its own short links in place of the URLs', async () => {
    // Act
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    const outbox = await waitFor(
      () => outboxOf(test, campaign.id),
      (records) => records.length === 3,
      { what: 'three texts' },
    );

    // Assert: two short links per text, none shared, no original URL left
    links = new Map(outbox.map((record) => [record.to, shortLinksIn(record.body)]));
    for (const record of outbox) {
      expect(record.body).not.toContain('shop.example.com');
      expect(record.body).not.toContain('example.org');
      expect(links.get(record.to)).toHaveLength(2);
    }
    const all = [...links.values()].flat();
    expect(new Set(all).size).toBe(6);
  });

  it('a click right after the text arrives (a scanner) is redirected but not counted', async () => {
    // Act: as soon as the carrier has it (well within 2 s of the send on the stack's clock)
    const first = links.get(phones[2] as string)?.[0] as string;
    const sentAt = Math.max(...outboxOf(test, campaign.id).map((record) => Date.parse(record.acceptedAt)));
    const answer = await click(first);
    const clickedBy = test.now().getTime();

    // Assert
    expect(answer).toMatchObject({ status: 302, location: OFFER });
    if (clickedBy < sentAt + 2_000) {
      await test.stack.messaging.queue.drain();
      const ledger = await ledgerOf(api, campaign.id);
      expect(ledger.find((entry) => entry.phone === phones[2])).not.toHaveProperty('clickedAt');
    }
  });

  it('counts people, not link previewers: once per recipient and link, repeat clicks apart', async () => {
    // Arrange: past the scanner window of the texts and their receipts
    await waitFor(
      () => ledgerOf(api, campaign.id),
      (ledger) => ledger.every((entry) => entry.status === 'delivered'),
      { what: 'every receipt' },
    );
    await test.advance('PT10S');
    const [a, b] = phones as [string, string];

    // Act
    const previewed = await click(links.get(a)?.[0] as string, PREVIEWER);
    const noAgent = await click(links.get(a)?.[0] as string, '');
    const clicks = [
      await click(links.get(a)?.[0] as string),
      await click(links.get(a)?.[0] as string),
      await click(links.get(a)?.[1] as string),
      await click(links.get(b)?.[1] as string),
    ];

    // Assert: every answer is the redirect, to the URL as written (a bare host gets https://)
    expect(previewed).toMatchObject({ status: 302, location: OFFER });
    expect(noAgent).toMatchObject({ status: 302, location: OFFER });
    expect(clicks.map((c) => c.location)).toEqual([OFFER, OFFER, `https://${HOURS}`, `https://${HOURS}`]);
    // Clicks are counted from the events queue, a moment after the redirect.
    await test.stack.messaging.queue.drain();
    const results = await waitFor(
      async () => (await api.get<ClickResults>(`/v1/campaigns/${campaign.id}/results`)).body,
      (r) => r.clicks >= 4,
      { what: 'the clicks to be counted' },
    );
    expect(results).toMatchObject({ delivered: 3, clicks: 4, uniqueClickers: 2, clickThroughRate: 2 / 3 });
    expect(results.links).toEqual([
      { index: 0, url: OFFER, clicks: 2, uniqueClickers: 1, clickThroughRate: 1 / 3 },
      { index: 1, url: `https://${HOURS}`, clicks: 2, uniqueClickers: 2, clickThroughRate: 2 / 3 },
    ]);
    expect(results.clicksByTag).toEqual({
      vip: { clicks: 4, uniqueClickers: 2, clickThroughRate: 1 },
      links: { clicks: 4, uniqueClickers: 2, clickThroughRate: 2 / 3 },
    });
    const ledger = await ledgerOf(api, campaign.id);
    expect(ledger.find((entry) => entry.phone === a)).toMatchObject({ clicks: 3, clickedAt: expect.any(String) });
  });

  it('saves the clickers as a Smart List', async () => {
    // Act
    const saved = await api.post<{ smartList: { id: string }; clickers: number; created: boolean }>(
      `/v1/campaigns/${campaign.id}/clickers-list`,
    );
    const again = await api.post<{ created: boolean; clickers: number }>(`/v1/campaigns/${campaign.id}/clickers-list`);

    // Assert
    expect(saved.status).toBe(201);
    expect(saved.body.clickers).toBe(2);
    expect(again).toMatchObject({ status: 200, body: { created: false, clickers: 2 } });
    const contact = await api.get<{ tags: string[] }>(`/v1/contacts/${ids.get(phones[0] as string)}`);
    expect(contact.body.tags).toContain(`clicked:${campaign.id}`);
  });

  it('an unknown code gets a plain 404 page, never a redirect', async () => {
    // Act
    const unknown = await click(`${test.url}/l/AAAAAAAAAAAA`);
    const malformed = await click(`${test.url}/l/${encodeURIComponent('https://evil.example')}`);

    // Assert
    expect(unknown.status).toBe(404);
    expect(unknown.location).toBeNull();
    expect(unknown.body).toContain('Link not found');
    expect(malformed.status).toBe(404);
    expect(malformed.location).toBeNull();
  });

  it('an expired link (past the tenant retention) is a 404', async () => {
    // Act: 91 days on
    await test.advance('P91D');
    const expired = await click(links.get(phones[0] as string)?.[0] as string);

    // Assert
    expect(expired.status).toBe(404);
    expect(expired.location).toBeNull();
  });
});

describe('links in a text are validated', () => {
  it.each([
    ['an ftp link', 'ftp://files.example.com/a', 'not http or https'],
    ['credentials in a link', 'https://user:secret@example.com/x', 'user name or password'],
    ['a link over 2048 characters', `https://example.com/${'a'.repeat(2100)}`, 'longer than 2048'],
  ])('refuses %s with a 400 naming the body', async (_label, url, message) => {
    // Act
    const response = await api.post('/v1/campaigns', {
      name: 'Bad link',
      audience: { tags: { any: ['links'] } },
      body: `Go to ${url} now`,
    });

    // Assert
    const error = expectError(response, 400);
    expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body' })]));
    expect(JSON.stringify(error.details)).toContain(message);
  });

  it.each([
    ['shortLinkDomain', { shortLinkDomain: 'https://go.example.com/l' }],
    ['linkRetentionDays', { linkRetentionDays: 0 }],
    ['trackLinks', { trackLinks: 'yes' }],
  ])('refuses a bad %s setting with a 400 naming it', async (field, patch) => {
    // Act
    const response = await api.patch('/v1/settings', patch);

    // Assert
    const error = expectError(response, 400);
    expect(error.details.map((detail) => detail.path)).toContain(field);
  });

  it('the preview counts a tracked link at the length of its short link', async () => {
    // Act
    const long = `Offer: https://shop.example.com/${'x'.repeat(300)}`;
    const tracked = await api.post<{ segments: number; finalBody: string }>('/v1/sms/preview', {
      body: long,
      trackLinks: true,
      messageType: 'TRANSACTIONAL',
    });
    const untracked = await api.post<{ segments: number }>('/v1/sms/preview', {
      body: long,
      trackLinks: false,
      messageType: 'TRANSACTIONAL',
    });

    // Assert
    expect(tracked.status).toBe(200);
    expect(tracked.body.finalBody).toMatch(/^Offer: http:\/\/127\.0\.0\.1:\d+\/l\/x{12}$/);
    expect(tracked.body.segments).toBe(1);
    expect(untracked.body.segments).toBe(3);
  });
});

describe('tracked links in workflows', () => {
  /** Creates and activates a workflow; returns its id. */
  async function activeWorkflow(body: Record<string, unknown>): Promise<string> {
    const created = await api.post<{ id: string }>('/v1/workflows', body);
    expect(created.status).toBe(201);
    expect((await api.post(`/v1/workflows/${created.body.id}/activate`)).status).toBe(200);
    return created.body.id;
  }
  /** A text with a tracked link, an hour's wait, then an if on the tag `clickedTag`. */
  const nurtureSteps = (clickedTag: string) => [
    { id: 'text', type: 'send_sms', body: `Book here: ${OFFER}`, trackLinks: true },
    { id: 'later', type: 'wait', duration: 'PT1H' },
    {
      id: 'check',
      type: 'if',
      condition: { field: 'tags', op: 'contains', value: clickedTag },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the if step's documented field, not a thenable.
      then: 'hot',
      else: 'cold',
    },
    { id: 'hot', type: 'add_tag', tag: 'engaged', next: 'done' },
    { id: 'cold', type: 'add_tag', tag: 'cold' },
    { id: 'done', type: 'end' },
  ];
  const tagsOf = async (contactId: string) =>
    (await api.get<{ tags: string[] }>(`/v1/contacts/${contactId}`)).body.tags;

  it('a click on a workflow text tags the contact clicked:<workflowId>, an if step branches on it, and link_clicked enrolls', async () => {
    // Arrange: a nurture text with a tracked link, an if a day later on "clicked in this workflow"
    const phone = tollFree(40);
    await importAll(api, [{ phone, smsConsent: 'opted_in' }]);
    const contactId = (await contactIdsByPhone(api)).get(phone) as string;
    const nurture = await activeWorkflow({
      name: 'Nurture',
      trigger: { type: 'tag_added', tag: 'nurture' },
      messageType: 'TRANSACTIONAL',
      steps: nurtureSteps('not-yet'),
    });
    // The condition names the workflow's own click tag, known once it exists.
    const patched = await api.patch(`/v1/workflows/${nurture}`, { steps: nurtureSteps(`clicked:${nurture}`) });
    expect(patched.status).toBe(200);
    await activeWorkflow({
      name: 'Hot leads',
      trigger: { type: 'link_clicked' },
      steps: [{ id: 'mark', type: 'add_tag', tag: 'hot-lead' }],
    });

    // Act: the text goes out; the contact clicks a minute later; an hour on, the if runs
    expect((await api.post(`/v1/contacts/${contactId}/tags`, { tags: ['nurture'] })).status).toBeLessThan(300);
    const text = await waitFor(
      () => test.stack.messaging.carrier.outbox({ to: phone }),
      (records) => records.length === 1,
      { what: 'the nurture text' },
    );
    const [short] = shortLinksIn(text[0]?.body ?? '');
    await test.advance('PT1M');
    expect(await click(short as string)).toMatchObject({ status: 302, location: OFFER });
    await test.stack.messaging.queue.drain();
    await waitFor(
      () => tagsOf(contactId),
      (tags) => tags.includes('hot-lead'),
      { what: 'the link_clicked workflow' },
    );
    await test.advance('PT1H');

    // Assert
    const tags = await waitFor(
      () => tagsOf(contactId),
      (t) => t.includes('engaged') || t.includes('cold'),
      { what: 'the if step' },
    );
    expect(tags).toEqual(expect.arrayContaining([`clicked:${nurture}`, 'hot-lead', 'engaged']));
    expect(tags).not.toContain('cold');
  });
});
