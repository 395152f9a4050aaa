import { previewAudience } from '../../../shared/app/audiences/preview-audience.use-case';
import {
  FAILED_LIST_ADVICE,
  failedTag,
  failureCategoryTag,
  saveFailedList,
} from '../../../shared/app/campaigns/campaign-failed-list.use-case';
import { createCampaign, sendCampaign } from '../../../shared/app/campaigns/campaign-lifecycle.use-case';
import { NotFoundError } from '../../../shared/domain/errors';
import { type SmsEventRecord, smsEventRecordSchema } from '../../../shared/domain/receipts/sms-event.schema';
import unreachableFixture from '../../fixtures/events/sms-event-text-carrier-unreachable.json';
import deliveredFixture from '../../fixtures/events/sms-event-text-delivered.json';
import invalidFixture from '../../fixtures/events/sms-event-text-invalid.json';
import {
  type CampaignHarness,
  chicagoPhone,
  ledgerOf,
  recordReceiptsOnce,
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

const receipt = (fixture: unknown, messageId: string, context: Record<string, string>): SmsEventRecord =>
  smsEventRecordSchema.parse({ ...(fixture as object), messageId, eventTimestamp: h.clock.now().getTime(), context });

describe('POST /v1/campaigns/{id}/failed-list', () => {
  it('saves the failed recipients as a Smart List whose failure category is a filter on the tags field', async () => {
    // Arrange: six recipients; two unreachable, one invalid number, three delivered
    const tenantId = h.newTenant('failed-list');
    await seedTenant(
      h,
      tenantId,
      Array.from({ length: 6 }, (_, i) => ({ phone: chicagoPhone(800 + i) })),
    );
    const campaign = await createCampaign(
      tenantId,
      { name: 'Spring sale', audience: { tags: { any: ['all'] } }, body: 'Sale' },
      h.deps,
    );
    await sendCampaign(tenantId, campaign.id, h.deps);
    await runLaunches(h);
    await runSendsUntilEmpty(h);
    const entries = [...(await ledgerOf(h, tenantId, campaign.id)).values()];
    const fixtures = [
      unreachableFixture,
      unreachableFixture,
      invalidFixture,
      deliveredFixture,
      deliveredFixture,
      deliveredFixture,
    ];
    await recordReceiptsOnce(
      h,
      entries.map((entry, i) =>
        receipt(fixtures[i], entry.messageId as string, {
          tenantId,
          campaignId: campaign.id,
          contactId: entry.contactId,
        }),
      ),
    );

    // Act
    const saved = await saveFailedList(tenantId, campaign.id, {}, h.deps);
    const again = await saveFailedList(tenantId, campaign.id, { name: 'Fix these numbers' }, h.deps);

    // Assert
    expect(saved).toMatchObject({ failed: 3, created: true, advice: FAILED_LIST_ADVICE });
    expect(saved.smartList.name).toBe('Failed: Spring sale');
    expect(saved.byCategory).toEqual({
      carrierUnreachable: { recipients: 2, tag: failureCategoryTag(campaign.id, 'carrierUnreachable') },
      invalidNumber: { recipients: 1, tag: failureCategoryTag(campaign.id, 'invalidNumber') },
    });
    expect(again).toMatchObject({
      failed: 3,
      created: false,
      smartList: { id: saved.smartList.id, name: 'Fix these numbers' },
    });
    // The list holds the three (opted out or not: the invalid number is suppressed, still listed to fix or delete)
    const list = await previewAudience(tenantId, { smartListId: saved.smartList.id }, h.deps);
    expect(list.matched).toBe(3);
    const unreachable = await previewAudience(
      tenantId,
      {
        filter: {
          all: [
            { field: 'tags', op: 'contains', value: failedTag(campaign.id) },
            { field: 'tags', op: 'contains', value: failureCategoryTag(campaign.id, 'carrierUnreachable') },
          ],
        },
      },
      h.deps,
    );
    expect(unreachable.matched).toBe(2);
  });

  it('is another tenant’s 404', async () => {
    // Arrange
    const owner = h.newTenant('failed-owner');
    await seedTenant(h, owner, [{ phone: chicagoPhone(900) }]);
    const campaign = await createCampaign(
      owner,
      { name: 'Mine', audience: { tags: { any: ['all'] } }, body: 'Hi' },
      h.deps,
    );

    // Act + Assert
    await expect(saveFailedList(h.newTenant('failed-stranger'), campaign.id, {}, h.deps)).rejects.toThrow(
      NotFoundError,
    );
  });
});
