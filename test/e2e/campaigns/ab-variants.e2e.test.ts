import { assignVariant } from '../../../shared/domain/campaigns/variants';
import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { expectError } from '../helpers/api';
import { importTagged } from './ab-winner-helpers';
import { afternoonZone, createCampaign, openWindowSettings, outboxOf, tollFree, waitFor } from './campaign-e2e-helpers';

interface VariantResults {
  status: string;
  delivered: number;
  replies: number;
  variants: { variant: number; percent: number; recipients: number; delivered: number; replies: number }[];
  variantSignificance: { responseRate: { note: string; pValue: number | null } };
}

let test: TestStack;
let api: HttpClient;

beforeAll(async () => {
  test = await startTestStack({ carrier: { receiptDelayMs: 20 } });
  api = await test.clientFor('ab-tenant');
  expect((await api.patch('/v1/settings', openWindowSettings(afternoonZone(test)))).status).toBe(200);
});

afterAll(async () => test.stop());

describe('an A/B campaign', () => {
  const phones = Array.from({ length: 60 }, (_, i) => tollFree(700 + i));
  const VARIANTS = [
    { body: 'Open house Saturday! Reply YES to save a spot', percent: 70 },
    { body: 'Saturday open house: want a private tour? Reply YES', percent: 30 },
  ];

  it('refuses a split that does not add up to 100, naming variants', async () => {
    // Act
    const response = await api.post('/v1/campaigns', {
      name: 'Bad split',
      audience: { tags: { any: ['ab'] } },
      variants: [
        { body: 'A', percent: 60 },
        { body: 'B', percent: 30 },
      ],
    });

    // Assert
    const error = expectError(response, 400);
    expect(error.details).toEqual([
      { path: 'variants', message: 'percentages must add up to 100 (they add up to 90)' },
    ]);
  });

  it('a draft goes back to one message with variants: null (and abTest: null when it had a test)', async () => {
    // Arrange
    const created = await api.post<{ id: string }>('/v1/campaigns', {
      name: 'Undecided',
      audience: { tags: { any: ['ab'] } },
      variants: VARIANTS,
      abTest: { mode: 'testThenWinner', testPercent: 20, waitMinutes: 60 },
    });
    expect(created.status).toBe(201);
    const path = `/v1/campaigns/${created.body.id}`;

    // Act
    const keepsTest = await api.patch(path, { variants: null });
    const back = await api.patch<{ body: string; variants: unknown; abTest: unknown }>(path, {
      variants: null,
      abTest: null,
    });

    // Assert: a test needs variants, so clearing them alone names abTest; both together leave the first variant's text
    expect(expectError(keepsTest, 400).details).toEqual([
      { path: 'abTest', message: 'needs variants (2 to 5) to test' },
    ]);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ body: VARIANTS[0]?.body, variants: null, abTest: null });
  });

  it('sends each recipient exactly one text, of its assigned variant, and shows results per variant', async () => {
    // Arrange
    const ids = await importTagged(api, phones, 'ab');
    const campaign = await createCampaign(api, {
      name: 'Open house A/B',
      audience: { tags: { any: ['ab'] } },
      variants: VARIANTS,
      messageType: 'TRANSACTIONAL',
    });
    expect(campaign).toMatchObject({ body: VARIANTS[0]?.body, variants: VARIANTS });

    // Act
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    await test.stack.messaging.queue.drain();
    const outbox = await waitFor(
      () => outboxOf(test, campaign.id),
      (records) => records.length === phones.length,
      { what: 'every text' },
    );
    const replier = phones[0] as string;
    expect((await api.post('/local/inbound', { from: replier, body: 'YES' })).status).toBe(202);
    const results = await waitFor(
      async () => (await api.get<VariantResults>(`/v1/campaigns/${campaign.id}/results`)).body,
      (r) => r.status === 'sent' && r.delivered === phones.length && r.replies === 1,
      { what: 'every receipt and the reply' },
    );

    // Assert: one text per phone, with the body of the variant the hash gives that contact
    expect(new Set(outbox.map((record) => record.to)).size).toBe(phones.length);
    const percents = VARIANTS.map((variant) => variant.percent);
    const expected = phones.map((phone) => assignVariant(campaign.id, ids.get(phone) as string, percents));
    for (const [i, phone] of phones.entries()) {
      const record = outbox.find((r) => r.to === phone);
      expect(record?.body.startsWith(VARIANTS[expected[i] as number]?.body as string)).toBe(true);
    }
    const countOf = (v: number) => expected.filter((assigned) => assigned === v).length;
    expect(results.variants).toEqual([
      expect.objectContaining({ variant: 0, percent: 70, recipients: countOf(0), delivered: countOf(0) }),
      expect.objectContaining({ variant: 1, percent: 30, recipients: countOf(1), delivered: countOf(1) }),
    ]);
    expect(results.variants[expected[0] as number]?.replies).toBe(1);
    expect(results.variantSignificance.responseRate).toMatchObject({ pValue: null });
    expect(results.variantSignificance.responseRate.note).toMatch(/^not enough data/);
  });
});
