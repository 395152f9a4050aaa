import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import {
  type CampaignHarness,
  chicagoPhone,
  ledgerOf,
  OPEN_WINDOW,
  runLaunches,
  runSendsUntilEmpty,
  seedTenant,
  startCampaignHarness,
} from './campaign-harness';

let h: CampaignHarness;

beforeAll(async () => {
  h = await startCampaignHarness();
});

afterAll(async () => h.stop());

/** A valid, distinct Miami (305, Florida) number for each index. */
const miamiPhone = (index: number) => `+1305${(5_000_000 + index).toString()}`;

describe('the state frequency cap (Florida, Oklahoma, Maryland: three marketing texts in 24 hours)', () => {
  it('skips a Floridian’s fourth marketing text of the day as stateFrequencyCap, while others under the tenant cap get it', async () => {
    // Arrange: a tenant cap of 10 a day, two Florida numbers and two Chicago ones
    h.clock.set('2026-11-26T15:00:00.000Z'); // Thursday 10:00 in Miami, 09:00 in Chicago
    const tenantId = h.newTenant('state-cap');
    await seedTenant(
      h,
      tenantId,
      [miamiPhone(1), miamiPhone(2), chicagoPhone(1), chicagoPhone(2)].map((phone) => ({ phone })),
      { ...OPEN_WINDOW, frequencyCap: { maxMessages: 10, perHours: 24 } },
    );

    // Act: four campaigns an hour apart
    const campaignIds: string[] = [];
    for (let round = 0; round < 4; round++) {
      const campaign = await createCampaign(
        tenantId,
        { name: `Round ${round}`, audience: { tags: { any: ['all'] } }, body: `Deal number ${round}` },
        h.deps,
      );
      await sendCampaign(tenantId, campaign.id, h.deps);
      await runLaunches(h);
      await runSendsUntilEmpty(h);
      campaignIds.push(campaign.id);
      h.clock.advance(3_600_000);
    }

    // Assert: three rounds reach everyone; the fourth skips the Floridians only
    const byPhone = new Map<string, number>();
    for (const [phone, count] of h.gateway.countsByPhone()) byPhone.set(phone, count);
    expect(byPhone.get(miamiPhone(1))).toBe(3);
    expect(byPhone.get(miamiPhone(2))).toBe(3);
    expect(byPhone.get(chicagoPhone(1))).toBe(4);
    const fourth = await ledgerOf(h, tenantId, campaignIds[3]!);
    const floridians = [...fourth.values()].filter((entry) => entry.phone.startsWith('+1305'));
    expect(floridians.map((entry) => [entry.status, entry.reason])).toEqual([
      ['skipped', 'stateFrequencyCap'],
      ['skipped', 'stateFrequencyCap'],
    ]);
    const counts = (await h.campaigns.getCampaign(tenantId, campaignIds[3]!))?.campaign.counts;
    expect(counts?.skipped).toMatchObject({ stateFrequencyCap: 2, frequencyCapped: 0 });
    expect(counts?.sent).toBe(2);
  });
});
