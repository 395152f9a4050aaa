import { estimateCampaign } from '../../../shared/app/campaigns/campaign-estimate.use-case';
import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { pauseCampaign } from '../../../shared/app/campaigns/campaign-pause.use-case';
import { ConflictError } from '../../../shared/domain/errors';
import { type CampaignHarness, chicagoPhone, runLaunches, seedTenant, startCampaignHarness } from './campaign-harness';

let h: CampaignHarness;

beforeAll(async () => {
  h = await startCampaignHarness();
});

afterAll(async () => h.stop());

describe('the estimate of a campaign that has started', () => {
  it('refuses a proposed sendAt with a 409 naming the state (sending, then paused), and estimates the rest without one', async () => {
    // Arrange: a launched campaign whose recipients all still wait
    const tenantId = h.newTenant('estimate-state');
    await seedTenant(
      h,
      tenantId,
      Array.from({ length: 5 }, (_, i) => ({ phone: chicagoPhone(400 + i) })),
    );
    const campaign = await createCampaign(
      tenantId,
      { name: 'Started', audience: { tags: { any: ['all'] } }, body: 'Hello' },
      h.deps,
    );
    await sendCampaign(tenantId, campaign.id, h.deps);
    await runLaunches(h);
    const proposed = { sendAt: '2026-12-01T10:30', timeZone: 'America/Chicago' };

    for (const status of ['sending', 'paused'] as const) {
      if (status === 'paused') await pauseCampaign(tenantId, campaign.id, h.deps);

      // Act
      const refused = await estimateCampaign(tenantId, campaign.id, proposed, h.deps).catch((error: unknown) => error);
      const rest = await estimateCampaign(tenantId, campaign.id, {}, h.deps);

      // Assert
      expect(refused).toBeInstanceOf(ConflictError);
      expect(refused).toMatchObject({
        code: 'CAMPAIGN.INVALID_STATE',
        meta: { status },
        details: [{ path: 'sendAt', message: `cannot be proposed for a ${status} campaign` }],
      });
      expect(rest).toMatchObject({ basis: 'ledger', recipients: 5 });
    }
  });
});
