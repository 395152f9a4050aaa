import {
  createCampaign,
  scheduleCampaign,
  sendCampaign,
} from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { getSendTimeInsights } from '../../../shared/app/insights/send-time-insights.use-case';
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

// Thursday 26 November 2026, 11:00 in Chicago (the contacts' zone by their 312 numbers).
const THURSDAY_11_CHICAGO = '2026-11-26T17:00:00.000Z';

beforeAll(async () => {
  h = await startCampaignHarness(THURSDAY_11_CHICAGO);
});

afterAll(async () => h.stop());

async function sentCampaign(tenantId: string, count: number, replies: number) {
  await seedTenant(
    h,
    tenantId,
    Array.from({ length: count }, (_, i) => ({ phone: chicagoPhone(2000 + i) })),
    { ...OPEN_WINDOW, defaultTimeZone: 'America/Chicago', frequencyCap: { maxMessages: 10, perHours: 1 } },
  );
  const campaign = await createCampaign(
    tenantId,
    { name: 'History', audience: { tags: { any: ['all'] } }, body: 'Hello' },
    h.deps,
  );
  await sendCampaign(tenantId, campaign.id, h.deps);
  await runLaunches(h);
  await runSendsUntilEmpty(h);
  const entries = [...(await ledgerOf(h, tenantId, campaign.id)).values()].slice(0, replies);
  const at = h.clock.now().toISOString();
  for (const entry of entries) {
    await h.campaigns.updateLedgerEntry(tenantId, campaign.id, entry.contactId, {}, undefined, { repliedAt: at });
  }
}

describe('GET /v1/insights/send-times', () => {
  it('finds the hour the tenant’s texts went out and drew replies, and warns about a schedule far from it', async () => {
    // Arrange: 320 texts on a Thursday at 11:00 Chicago time, 32 answered
    h.clock.set(THURSDAY_11_CHICAGO);
    const tenantId = h.newTenant('insights');
    await sentCampaign(tenantId, 320, 32);

    // Act
    const insights = await getSendTimeInsights(tenantId, h.deps);
    const next = await createCampaign(
      tenantId,
      { name: 'Next', audience: { tags: { any: ['all'] } }, body: 'Hello again' },
      h.deps,
    );
    const farSchedule = await scheduleCampaign(
      tenantId,
      next.id,
      { sendAt: '2026-11-29T18:00', timeZone: 'America/Chicago' },
      h.deps,
    );
    const nearSchedule = await scheduleCampaign(
      tenantId,
      next.id,
      { sendAt: '2026-12-03T12:00', timeZone: 'America/Chicago' },
      h.deps,
    );

    // Assert
    expect(insights).toMatchObject({ enoughData: true, messages: 320, replies: 32, responseRate: 0.1 });
    expect(insights.enoughData && insights.bestWindows).toEqual([
      { day: 'THU', start: '11:00', end: '12:00', messages: 320, replies: 32, responseRate: 0.1 },
    ]);
    expect(farSchedule.warnings).toContainEqual({
      code: 'FAR_FROM_BEST_SEND_TIME',
      message: expect.stringContaining('SUN 18:00 is'),
    });
    expect(nearSchedule.warnings.map((w) => w.code)).not.toContain('FAR_FROM_BEST_SEND_TIME');
  });

  it('says there is not enough data for a tenant with a few texts, and sees no other tenant’s history', async () => {
    // Arrange
    h.clock.set(THURSDAY_11_CHICAGO);
    const tenantId = h.newTenant('insights-small');
    await sentCampaign(tenantId, 12, 3);

    // Act
    const insights = await getSendTimeInsights(tenantId, h.deps);
    const stranger = await getSendTimeInsights(h.newTenant('insights-none'), h.deps);

    // Assert
    expect(insights).toMatchObject({ enoughData: false, messages: 12, needed: 300 });
    expect(stranger).toMatchObject({ enoughData: false, messages: 0 });
  });
});
