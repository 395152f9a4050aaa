import type { LaunchMessage } from '../../../shared/app/campaigns/campaign-deps';
import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { nextLookMinutes, watchdogName } from '../../../shared/app/campaigns/campaign-watchdog';
import { launchCampaign } from '../../../shared/app/campaigns/launch-campaign.use-case';
import {
  type CampaignHarness,
  chicagoPhone,
  ledgerOf,
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

beforeEach(() => {
  h.clock.set('2026-11-26T17:00:00.000Z'); // Thursday, 11:00 in Chicago
  h.queue.held.length = 0;
  h.queue.calls = 0;
  h.queue.failOnCall = undefined;
});

/** Fires the campaign's watchdog schedule as EventBridge Scheduler would, at its time, and runs the launcher. */
async function fireWatchdog(tenantId: string, campaignId: string): Promise<void> {
  const schedule = h.scheduler.schedules.get(watchdogName(tenantId, campaignId));
  if (!schedule) throw new Error('no watchdog armed');
  h.scheduler.schedules.delete(schedule.name);
  h.clock.set(`${schedule.at}.000Z`);
  await launchCampaign(schedule.payload as unknown as LaunchMessage, h.deps, { leaseOwner: 'watchdog' });
}

describe('the campaign watchdog', () => {
  it('a campaign whose launch message was lost after it was saved sending still goes out and completes', async () => {
    // Arrange: the launch queue refuses the "send now" message (the campaign is already saved as sending)
    const tenantId = h.newTenant('lost-launch');
    await seedTenant(
      h,
      tenantId,
      Array.from({ length: 12 }, (_, i) => ({ phone: chicagoPhone(700 + i), firstName: `W${i}` })),
    );
    const campaign = await createCampaign(
      tenantId,
      { name: 'Lost', audience: { tags: { any: ['all'] } }, body: 'Hi' },
      h.deps,
    );
    h.queue.failOnCall = h.queue.calls + 1;
    await expect(sendCampaign(tenantId, campaign.id, h.deps)).rejects.toThrow('simulated SQS outage');
    expect((await h.campaigns.getCampaign(tenantId, campaign.id))?.campaign.status).toBe('sending');
    expect(h.queue.takeVisible('launch')).toEqual([]);

    // Act: the watchdog looks (the campaign looks stuck the second time), the sends run
    await fireWatchdog(tenantId, campaign.id);
    await fireWatchdog(tenantId, campaign.id);
    await runSendsUntilEmpty(h);
    for (const body of h.queue.takeVisible('launch')) {
      await launchCampaign(body as LaunchMessage, h.deps, { leaseOwner: 'kick' });
    }

    // Assert
    expect(statusCounts(await ledgerOf(h, tenantId, campaign.id))).toEqual({ sent: 12 });
    expect((await h.campaigns.getCampaign(tenantId, campaign.id))?.campaign).toMatchObject({
      status: 'sent',
      counts: expect.objectContaining({ sent: 12, queued: 0 }),
    });
  });

  it('looks every 5 minutes while a campaign moves, less often while it waits, at most hourly', () => {
    expect([0, 1, 2, 3, 4, 10].map(nextLookMinutes)).toEqual([5, 10, 20, 40, 60, 60]);
  });
});
