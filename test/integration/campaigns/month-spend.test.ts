import { assertWithinBudget, monthSpend } from '../../../shared/app/campaigns/campaign-budget';
import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { pauseCampaign, resumeCampaign } from '../../../shared/app/campaigns/campaign-pause.use-case';
import { reconcileCampaignCounts } from '../../../shared/app/campaigns/reconcile-counts.use-case';
import { updateSettings } from '../../../shared/app/settings/settings.use-case';
import { RuleViolationError } from '../../../shared/domain/errors';
import {
  type CampaignHarness,
  chicagoPhone,
  OPEN_WINDOW,
  runLaunches,
  runSends,
  runSendsUntilEmpty,
  seedTenant,
  startCampaignHarness,
} from './campaign-harness';

let h: CampaignHarness;

// The last evening of November in Chicago (an open window), so a campaign can start in one month and go on in the next.
const NOVEMBER_EVENING = '2026-11-30T23:00:00.000Z';
const DECEMBER_MORNING = '2026-12-01T15:00:00.000Z';

beforeAll(async () => {
  h = await startCampaignHarness(NOVEMBER_EVENING);
});

afterAll(async () => h.stop());

const spendOf = async (tenantId: string, id: string) =>
  (await h.campaigns.getCampaign(tenantId, id))?.campaign.counts ?? { spend: Number.NaN, spendByMonth: {} };

describe('the monthly budget counts spend by the month each message went out', () => {
  it('a campaign launched in November that sends in December spends in December, not November', async () => {
    // Arrange: one campaign sent in November; another launched in November, paused before any send
    h.clock.set(NOVEMBER_EVENING);
    const tenantId = h.newTenant('month-spend');
    await seedTenant(
      h,
      tenantId,
      Array.from({ length: 20 }, (_, i) => ({ phone: chicagoPhone(200 + i), tags: [i < 10 ? 'early' : 'late'] })),
      OPEN_WINDOW,
    );
    const early = await createCampaign(
      tenantId,
      { name: 'Sent in November', audience: { tags: { any: ['early'] } }, body: 'Hello' },
      h.deps,
    );
    await sendCampaign(tenantId, early.id, h.deps);
    await runLaunches(h);
    await runSendsUntilEmpty(h);
    const late = await createCampaign(
      tenantId,
      { name: 'Launched in November, sent in December', audience: { tags: { any: ['late'] } }, body: 'Hello' },
      h.deps,
    );
    await sendCampaign(tenantId, late.id, h.deps);
    await runLaunches(h);
    await pauseCampaign(tenantId, late.id, h.deps);
    await runSends(h);

    // Act: resumed and sent on the first of December
    h.clock.set(DECEMBER_MORNING);
    await resumeCampaign(tenantId, late.id, h.deps);
    await runLaunches(h);
    await runSendsUntilEmpty(h);

    // Assert: each campaign's spend sits in the month its texts went out, and the month's total follows
    const earlyCounts = await spendOf(tenantId, early.id);
    const lateCounts = await spendOf(tenantId, late.id);
    expect(earlyCounts.spend).toBeGreaterThan(0);
    expect(lateCounts.spend).toBeGreaterThan(0);
    expect(earlyCounts.spendByMonth).toEqual({ '2026-11': earlyCounts.spend });
    expect(lateCounts.spendByMonth).toEqual({ '2026-12': lateCounts.spend });
    expect(await monthSpend(tenantId, new Date(DECEMBER_MORNING), h.deps)).toBe(lateCounts.spend);
    expect(await monthSpend(tenantId, new Date(NOVEMBER_EVENING), h.deps)).toBe(earlyCounts.spend);
    // A recount from the ledger keeps the same split
    const recount = await reconcileCampaignCounts(tenantId, late.id, h.deps);
    expect(recount.kind === 'reconciled' && recount.corrected).toBe(false);
    expect((await spendOf(tenantId, late.id)).spendByMonth).toEqual({ '2026-12': lateCounts.spend });
  });

  it('a new campaign is refused only by what December has spent', async () => {
    // Arrange: the tenant above spent in both months; a December budget a little over December's spend
    h.clock.set(NOVEMBER_EVENING);
    const tenantId = h.newTenant('month-budget');
    await seedTenant(
      h,
      tenantId,
      Array.from({ length: 10 }, (_, i) => ({ phone: chicagoPhone(300 + i) })),
      // Three texts to each within a day: the frequency cap must not skip the later campaigns.
      { ...OPEN_WINDOW, frequencyCap: { maxMessages: 10, perHours: 1 } },
    );
    const november = await createCampaign(
      tenantId,
      { name: 'November', audience: { tags: { any: ['all'] } }, body: 'Hello' },
      h.deps,
    );
    await sendCampaign(tenantId, november.id, h.deps);
    await runLaunches(h);
    await runSendsUntilEmpty(h);
    const novemberSpend = (await spendOf(tenantId, november.id)).spend;
    h.clock.set(DECEMBER_MORNING);
    await updateSettings(tenantId, { monthlyBudget: novemberSpend * 1.5 }, h.deps);
    const december = await createCampaign(
      tenantId,
      { name: 'December', audience: { tags: { any: ['all'] } }, body: 'Hello' },
      h.deps,
    );

    // Act + Assert: November's spend does not count against December: the same audience fits
    await expect(assertWithinBudget(tenantId, december, h.deps)).resolves.toBeUndefined();
    await sendCampaign(tenantId, december.id, h.deps);
    await runLaunches(h);
    await runSendsUntilEmpty(h);
    expect((await spendOf(tenantId, december.id)).spend).toBe(novemberSpend);
    // Now December has spent as much again: a third is over what is left
    const third = await createCampaign(
      tenantId,
      { name: 'December again', audience: { tags: { any: ['all'] } }, body: 'Hello' },
      h.deps,
    );
    await expect(assertWithinBudget(tenantId, third, h.deps)).rejects.toBeInstanceOf(RuleViolationError);
  });
});
