import { startTestStack, type TestStack } from '../../support/local-stack';
import { abResultsOf, abTestOf, expectedVariants, importTagged, TWO_VARIANTS } from './ab-winner-helpers';
import {
  afternoonZone,
  createCampaign,
  openWindowSettings,
  outboxOf,
  perPhone,
  tollFree,
  waitFor,
} from './campaign-e2e-helpers';

const TENANT = 'winner-pause-tenant';
const TEST_PERCENT = 30;
const phones = Array.from({ length: 40 }, (_, i) => tollFree(1500 + i));

let test: TestStack;

beforeAll(async () => {
  test = await startTestStack({ carrier: { receiptDelayMs: 20 } });
});

afterAll(async () => {
  await test.stop();
});

describe('a test-then-winner campaign paused during its wait', () => {
  it('sends no remainder while paused, even past the wait, and picks the winner once resumed', async () => {
    // Arrange: the test share delivered and the wait begun
    const api = await test.clientFor(TENANT);
    expect((await api.patch('/v1/settings', openWindowSettings(afternoonZone(test)))).status).toBe(200);
    const ids = await importTagged(api, phones, 'pause');
    const campaign = await createCampaign(api, {
      name: 'Paused in the wait',
      audience: { tags: { any: ['pause'] } },
      variants: TWO_VARIANTS,
      messageType: 'TRANSACTIONAL',
      abTest: abTestOf(TEST_PERCENT, 60),
    });
    const testCount = [...expectedVariants(campaign.id, ids, phones, TEST_PERCENT, null).values()].filter(
      (v) => v.test,
    ).length;
    expect((await api.post(`/v1/campaigns/${campaign.id}/send`)).status).toBe(202);
    await waitFor(
      () => abResultsOf(api, campaign.id),
      (r) => r.abTest.phase === 'waiting' && r.delivered === testCount,
      { what: 'the test share delivered and the wait begun' },
    );

    // Act 1: pause, then move the stack's clock past the wait's end
    expect((await api.post(`/v1/campaigns/${campaign.id}/pause`)).status).toBe(200);
    await test.advance('PT61M');
    await test.stack.messaging.queue.drain('launch');
    await test.stack.messaging.queue.drain('send');
    const whilePaused = await abResultsOf(api, campaign.id);
    const sentWhilePaused = outboxOf(test, campaign.id).length;

    // Act 2: resume
    expect((await api.post(`/v1/campaigns/${campaign.id}/resume`)).status).toBe(200);
    const done = await waitFor(
      () => abResultsOf(api, campaign.id),
      (r) => r.status === 'sent' && r.delivered === phones.length,
      { what: 'the winner sent to the remainder after the resume' },
    );

    // Assert: nothing beyond the test share while paused; after the resume each phone got one text, the remainder
    // the winner's
    expect(whilePaused).toMatchObject({ status: 'paused', abTest: { phase: 'waiting', winner: null } });
    expect(sentWhilePaused).toBe(testCount);
    expect(done.abTest).toMatchObject({ phase: 'done', winner: { variant: 0, basis: 'tieFirstListed' } });
    const outbox = perPhone(outboxOf(test, campaign.id));
    const expected = expectedVariants(campaign.id, ids, phones, TEST_PERCENT, 0);
    expect(outbox.size).toBe(phones.length);
    for (const phone of phones) {
      const records = outbox.get(phone) ?? [];
      expect(records).toHaveLength(1);
      const variant = expected.get(phone)?.variant as number;
      expect(records[0]?.body.startsWith(TWO_VARIANTS[variant]?.body as string)).toBe(true);
    }
  });
});
