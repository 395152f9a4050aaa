import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { DynamoWorkflowStore } from '../../../shared/adapters/aws/dynamo/dynamo-workflow-store';
import { sendWorkflowMessage } from '../../../shared/app/workflows/send-workflow-message';
import type { WorkflowDeps } from '../../../shared/app/workflows/workflow-deps';
import { type CampaignHarness, chicagoPhone, seedTenant, startCampaignHarness } from '../campaigns/campaign-harness';

/**
 * A workflow text's turn of the sender's rate may come long after the step was planned (a big campaign shares the
 * number): the last look before the hand-over is the campaign's own (`judgeLastLook`), the send window included.
 */
let h: CampaignHarness;
let deps: WorkflowDeps;

beforeAll(async () => {
  // 20:59:30 in Chicago: the tenant's window (08:00-21:00 every day) closes in 30 s.
  h = await startCampaignHarness('2026-11-27T02:59:30.000Z');
  const client = createDocumentClient({ endpoint: h.dynamo.endpoint, region: 'us-east-1' });
  deps = { ...h.deps, workflows: new DynamoWorkflowStore(client, h.dynamo.tableNames.workflows) };
});

afterAll(async () => {
  await h.stop();
});

const message = (tenantId: string) => ({
  tenantId,
  workflowId: 'wf',
  enrollmentId: 'e1',
  stepId: 'one',
  body: 'See you tomorrow',
  messageType: 'PROMOTIONAL' as const,
});

describe('a workflow text judged again right before the hand-over', () => {
  it('is not sent when its turn comes after the window closed: skipped as quietHours, nothing reaches the carrier', async () => {
    // Arrange: the turn comes a minute later, at 21:00:30 local
    const tenantId = h.newTenant('wf-window');
    const contact = (await seedTenant(h, tenantId, [{ phone: chicagoPhone(701) }])).get(chicagoPhone(701))!;
    const { settings } = await h.deps.settings.getSettings(tenantId);
    const slowTurn = {
      acquire: async () => {
        h.clock.advance(60_000);
        return true;
      },
    };

    // Act
    const outcome = await sendWorkflowMessage(message(tenantId), contact.id, settings, { ...deps, pacer: slowTurn });

    // Assert
    expect(outcome).toEqual({ kind: 'skipped', reason: 'quietHours' });
    expect(h.gateway.calls.filter((call) => call.message.destinationPhoneNumber === contact.phone)).toEqual([]);
  });

  it('is sent when the turn comes inside the window', async () => {
    // Arrange
    const tenantId = h.newTenant('wf-window-open');
    h.clock.set('2026-11-26T20:00:00.000Z');
    const contact = (await seedTenant(h, tenantId, [{ phone: chicagoPhone(702) }])).get(chicagoPhone(702))!;
    const { settings } = await h.deps.settings.getSettings(tenantId);

    // Act
    const outcome = await sendWorkflowMessage(message(tenantId), contact.id, settings, deps);

    // Assert
    expect(outcome).toEqual({ kind: 'sent' });
    expect(h.gateway.calls.filter((call) => call.message.destinationPhoneNumber === contact.phone)).toHaveLength(1);
  });
});
