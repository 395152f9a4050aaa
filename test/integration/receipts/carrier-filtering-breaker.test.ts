import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { DynamoFilteringStatsStore } from '../../../shared/adapters/aws/dynamo/dynamo-filtering-stats-store';
import { DynamoWorkflowStore } from '../../../shared/adapters/aws/dynamo/dynamo-workflow-store';
import { finalEventRecord } from '../../../shared/adapters/local/sms-event-record';
import { recordReceipts } from '../../../shared/app/receipts/record-receipts.use-case';
import { activateWorkflow, createWorkflow } from '../../../shared/app/workflows/workflow-definitions.use-case';
import { bucketOf, type FilteringTally } from '../../../shared/domain/campaigns/carrier-filtering';
import { workflowDraftSchema } from '../../../shared/domain/workflows/workflow.schema';
import { type CampaignHarness, startCampaignHarness } from '../campaigns/campaign-harness';

let h: CampaignHarness;
let filtering: DynamoFilteringStatsStore;
let workflows: DynamoWorkflowStore;

beforeAll(async () => {
  h = await startCampaignHarness('2026-11-26T17:00:00.000Z');
  const client = createDocumentClient({ endpoint: h.dynamo.endpoint, region: 'us-east-1' });
  filtering = new DynamoFilteringStatsStore(client, h.dynamo.tableNames.campaigns);
  workflows = new DynamoWorkflowStore(client, h.dynamo.tableNames.workflows);
});

afterAll(async () => h.stop());

const tally = (settled: number, filtered: number, samples: string[] = []): FilteringTally => ({
  settled,
  filtered,
  byCategory: filtered ? { spam: filtered } : {},
  sampleErrors: samples,
});

describe('DynamoFilteringStatsStore', () => {
  it('adds per minute and per tenant, answers the minutes since a given instant, keeps a minute’s first samples', async () => {
    const tenantId = h.newTenant('tallies');
    const now = h.clock.now().getTime();
    await filtering.addTally(tenantId, 'CMP#a', bucketOf(now - 10 * 60_000), tally(50, 10, ['TEXT_SPAM']), 0);
    await filtering.addTally(tenantId, 'CMP#a', bucketOf(now), tally(20, 0), 0);
    const after = await filtering.addTally(
      tenantId,
      'CMP#a',
      bucketOf(now),
      tally(30, 5, ['TEXT_BLOCKED']),
      now - 60_000,
    );
    await filtering.addTally(tenantId, 'CMP#b', bucketOf(now), tally(100, 1), 0);

    expect(Object.keys(after.buckets)).toEqual([bucketOf(now)]);
    expect(after.buckets[bucketOf(now)]).toEqual(tally(50, 5, ['TEXT_BLOCKED']));
    expect(after.buckets[bucketOf(now)]?.byCategory).toEqual({ spam: 5 });
    expect(after.scope).toEqual({ settled: 100, filtered: 15 });
    expect(after.tenant).toEqual({ settled: 100, filtered: 15 });
    const other = await filtering.addTally(tenantId, 'CMP#b', bucketOf(now), tally(0, 0), 0);
    expect(other.tenant).toEqual({ settled: 200, filtered: 16 });
  });
});

describe('the workflow carrier-filtering breaker', () => {
  it('pauses an active workflow whose texts carriers filter (30% spam of 220), with the evidence', async () => {
    // Arrange
    const tenantId = h.newTenant('wf-breaker');
    const deps = { ...h.deps, workflows };
    const draft = await createWorkflow(
      tenantId,
      workflowDraftSchema.parse({
        name: 'Nurture',
        messageType: 'PROMOTIONAL',
        trigger: { type: 'contact_created' },
        steps: [{ id: 'hi', type: 'send_sms', body: 'Hi there' }],
      }),
      deps,
    );
    const workflow = await activateWorkflow(tenantId, draft.id, deps);
    const at = h.clock.now().getTime();
    const receipts = Array.from({ length: 220 }, (_, i) => ({
      key: `m${i}`,
      record: {
        ...finalEventRecord({
          outcome: i % 10 < 3 ? 'failed' : 'delivered',
          failureType: 'SPAM',
          messageId: `msg-${i}`,
          from: '+18335550100',
          to: `+1312555${String(1000 + i)}`,
          isoCountryCode: 'US',
          isInternationalSend: false,
          encoding: 'GSM-7',
          messageType: 'PROMOTIONAL',
          context: { tenantId, workflowId: workflow.id, enrollmentId: `e${i}`, stepId: 'hi', contactId: `c${i}` },
          parts: 1,
          requestedAt: at,
          reportedAt: at,
          pricePerPartUsd: 0.00581,
          carrierFeePerPartUsd: 0.00302,
        }),
      },
    }));

    // Act: a first batch under the minimum sample, then the rest
    h.clock.advance(60_000);
    await recordReceipts(receipts.slice(0, 150), { ...h.deps, filtering, workflows, settings: h.deps.settings });
    const afterFirst = await workflows.getWorkflow(tenantId, workflow.id);
    await recordReceipts(receipts.slice(150), { ...h.deps, filtering, workflows, settings: h.deps.settings });

    // Assert
    expect(afterFirst?.workflow.status).toBe('active');
    const paused = (await workflows.getWorkflow(tenantId, workflow.id))?.workflow;
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'carrierFiltering' });
    expect(paused?.pauseEvidence).toMatchObject({ settled: 220, filtered: 66, byCategory: { spam: 66 } });
    expect(paused?.pauseEvidence?.sampleErrors).toEqual(['TEXT_SPAM']);
    // Activating it again clears the pause.
    expect(await activateWorkflow(tenantId, workflow.id, deps)).toMatchObject({ status: 'active', pauseReason: null });
  });
});
