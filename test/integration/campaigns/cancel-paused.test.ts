import {
  cancelCampaign,
  createCampaign,
  sendCampaign,
} from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { pauseCampaign } from '../../../shared/app/campaigns/campaign-pause.use-case';
import {
  type CampaignHarness,
  chicagoPhone,
  ledgerOf,
  OPEN_WINDOW,
  runLaunches,
  runSends,
  runSendsUntilEmpty,
  seedTenant,
  startCampaignHarness,
  statusCounts,
} from './campaign-harness';

let h: CampaignHarness;

beforeAll(async () => {
  h = await startCampaignHarness();
});

afterAll(async () => h.stop());

describe('cancelling a paused campaign', () => {
  it('cancels everyone who waited even when the cancel could not settle them itself (a recount held the counters)', async () => {
    // Arrange: a launched campaign, paused before any worker ran (its queue messages are dropped while paused)
    const tenantId = h.newTenant('cancel-paused');
    await seedTenant(
      h,
      tenantId,
      Array.from({ length: 30 }, (_, i) => ({ phone: chicagoPhone(100 + i) })),
      OPEN_WINDOW,
    );
    const campaign = await createCampaign(
      tenantId,
      { name: 'Paused then cancelled', audience: { tags: { any: ['all'] } }, body: 'Hello' },
      h.deps,
    );
    await sendCampaign(tenantId, campaign.id, h.deps);
    await runLaunches(h);
    await pauseCampaign(tenantId, campaign.id, h.deps);
    await runSends(h);
    expect(statusCounts(await ledgerOf(h, tenantId, campaign.id))).toEqual({ queued: 30 });
    // A recount holds the counters, so the cancel's own pass settles nobody
    const recountStarted = h.clock.now().toISOString();
    expect(await h.campaigns.startReconciling(tenantId, campaign.id, 'recount', recountStarted, recountStarted)).toBe(
      true,
    );

    // Act
    await cancelCampaign(tenantId, campaign.id, h.deps);
    const counts = (await h.campaigns.getCampaign(tenantId, campaign.id))?.campaign.counts;
    expect(
      await h.campaigns.finishReconciling(tenantId, campaign.id, 'recount', counts!, h.clock.now().toISOString()),
    ).toBe(true);
    await runSendsUntilEmpty(h);

    // Assert: nobody waits, nobody was texted
    expect(statusCounts(await ledgerOf(h, tenantId, campaign.id))).toEqual({ cancelled: 30 });
    expect(h.gateway.calls).toHaveLength(0);
  });
});
