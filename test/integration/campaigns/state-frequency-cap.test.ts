import type { SendBatchMessage } from '../../../shared/app/campaigns/campaign-deps';
import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { sendCampaignBatch } from '../../../shared/app/campaigns/send-batch.use-case';
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

  it('checks a recipient given back with its cap count again when it is sent a day later (a long pause never skips the caps)', async () => {
    // Arrange: campaign A's only send is throttled, so its Floridian goes back to the queue with its cap count kept
    h.clock.set('2026-11-26T15:00:00.000Z');
    const tenantId = h.newTenant('state-cap-held');
    await seedTenant(h, tenantId, [{ phone: miamiPhone(7) }], {
      ...OPEN_WINDOW,
      frequencyCap: { maxMessages: 10, perHours: 24 },
    });
    const send = async (name: string) => {
      const campaign = await createCampaign(
        tenantId,
        { name, audience: { tags: { any: ['all'] } }, body: `${name} deal` },
        h.deps,
      );
      await sendCampaign(tenantId, campaign.id, h.deps);
      await runLaunches(h);
      return campaign.id;
    };
    const held = await send('Held');
    h.gateway.answer = () => ({ kind: 'retryLater', reason: 'ThrottlingException' });
    await runSends(h);
    h.gateway.answer = () => undefined;
    h.clock.set(new Date(h.queue.nextVisibleAt('send') as number).toISOString());
    const retry = h.queue.takeVisible('send') as SendBatchMessage[];
    expect(retry).toHaveLength(1);
    expect((await ledgerOf(h, tenantId, held)).get(retry[0]!.contactIds[0]!)?.capCountedAt).toBeDefined();

    // Act: a day later three campaigns reach the Floridian, then the held recipient's message comes round
    h.clock.advance(25 * 3_600_000);
    for (const name of ['B', 'C', 'D']) {
      await send(name);
      await runSendsUntilEmpty(h);
    }
    await sendCampaignBatch(retry[0]!, h.deps);

    // Assert: the held send would be a fourth marketing text in 24 hours: skipped, never sent
    const sentTo = h.gateway.calls.filter((call) => call.message.destinationPhoneNumber === miamiPhone(7));
    expect(sentTo.map((call) => call.message.messageBody.split(' deal')[0])).toEqual(['Held', 'B', 'C', 'D']);
    const entry = [...(await ledgerOf(h, tenantId, held)).values()][0];
    expect([entry?.status, entry?.reason]).toEqual(['skipped', 'stateFrequencyCap']);
  });
});
