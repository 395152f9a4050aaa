import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { DynamoWorkflowStore } from '../../../shared/adapters/aws/dynamo/dynamo-workflow-store';
import { changeConsent } from '../../../shared/app/contacts/set-consent.use-case';
import { withBatchedIo } from '../../../shared/app/workflows/batched-io';
import { enrollContact } from '../../../shared/app/workflows/enroll-contact.use-case';
import { exitAllEnrollments } from '../../../shared/app/workflows/exit-enrollment';
import { handleContactEvent } from '../../../shared/app/workflows/handle-contact-event.use-case';
import { handleWorkflowMessage } from '../../../shared/app/workflows/handle-workflow-message.use-case';
import {
  activateWorkflow,
  createWorkflow,
  getWorkflow,
  updateWorkflow,
} from '../../../shared/app/workflows/workflow-definitions.use-case';
import type { WorkflowDeps } from '../../../shared/app/workflows/workflow-deps';
import { type Workflow, workflowDraftSchema } from '../../../shared/domain/workflows/workflow.schema';
import { workflowMessageSchema } from '../../../shared/domain/workflows/workflow-messages';
import { type CampaignHarness, chicagoPhone, seedTenant, startCampaignHarness } from '../campaigns/campaign-harness';

let h: CampaignHarness;
let deps: WorkflowDeps;
let store: DynamoWorkflowStore;

beforeAll(async () => {
  h = await startCampaignHarness('2026-11-26T17:00:00.000Z');
  const client = createDocumentClient({ endpoint: h.dynamo.endpoint, region: 'us-east-1' });
  store = new DynamoWorkflowStore(client, h.dynamo.tableNames.workflows);
  deps = { ...h.deps, workflows: store };
});

afterAll(async () => {
  await h.stop();
});

async function activeWorkflow(tenantId: string, body: Record<string, unknown>): Promise<Workflow> {
  const draft = await createWorkflow(
    tenantId,
    workflowDraftSchema.parse({ messageType: 'TRANSACTIONAL', ...body }),
    deps,
  );
  return activateWorkflow(tenantId, draft.id, deps);
}

const drip = {
  name: 'Drip',
  trigger: { type: 'tag_added', tag: 'drip' },
  steps: [
    { id: 'one', type: 'send_sms', body: 'One' },
    { id: 'pause', type: 'wait', duration: 'PT10S' },
    { id: 'two', type: 'send_sms', body: 'Two' },
  ],
};

/** Runs every `workflows` queue message visible at the clock's time. */
async function runVisible(): Promise<string[]> {
  const outcomes: string[] = [];
  for (const body of h.queue.takeVisible('workflows')) {
    outcomes.push(await handleWorkflowMessage(workflowMessageSchema.parse(body), deps));
  }
  return outcomes;
}

describe('workflow store and engine (dynalite, manual clock)', () => {
  it('keeps one active enrollment per workflow and contact; re-entry only when allowed and finished', async () => {
    const tenantId = h.newTenant('wf-lock');
    const at = h.clock.now().toISOString();
    expect(await store.claimEnrollment(tenantId, 'wf', 'c1', 'e1', at, false)).toEqual({ claimed: true });
    expect((await store.claimEnrollment(tenantId, 'wf', 'c1', 'e2', at, true)).claimed).toBe(false);
    await store.releaseEnrollmentLock(tenantId, 'wf', 'c1', 'e1');
    expect((await store.claimEnrollment(tenantId, 'wf', 'c1', 'e3', at, false)).claimed).toBe(false);
    expect(await store.claimEnrollment(tenantId, 'wf', 'c1', 'e4', at, true)).toEqual({ claimed: true });
    expect(await store.activeEnrollmentsOf(tenantId, 'c1')).toEqual([{ workflowId: 'wf', enrollmentId: 'e4' }]);
  });

  it('texts, waits, and a wake-up delivered twice (even at once) sends the next text once', async () => {
    const tenantId = h.newTenant('wf-run');
    const contacts = await seedTenant(h, tenantId, [{ phone: chicagoPhone(1) }]);
    const contact = contacts.get(chicagoPhone(1))!;
    const workflow = await activeWorkflow(tenantId, drip);
    const outcome = await enrollContact(tenantId, workflow, contact.id, deps);
    expect(outcome.enrolled).toBe(true);
    expect(h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === contact.phone)).toHaveLength(1);
    expect(h.gateway.calls.at(-1)?.message.context).toMatchObject({ tenantId, workflowId: workflow.id, stepId: 'one' });

    const [wake] = h.queue.held.filter((m) => m.queue === 'workflows').map((m) => m.body);
    h.queue.held.push({ ...(h.queue.held.find((m) => m.queue === 'workflows') as (typeof h.queue.held)[number]) });
    expect(await runVisible()).toEqual([]);
    h.clock.advance(10_000);
    const outcomes = await Promise.all([
      handleWorkflowMessage(workflowMessageSchema.parse(wake), deps),
      handleWorkflowMessage(workflowMessageSchema.parse(wake), deps),
      ...(await runVisible()).map(async (o) => o),
    ]);
    expect(outcomes.filter((o) => o === 'advanced')).toHaveLength(1);
    expect(
      h.gateway.calls
        .filter((c) => c.message.destinationPhoneNumber === contact.phone)
        .map((c) => c.message.messageBody),
    ).toEqual(['One', 'Two']);
    const { stats } = await getWorkflow(tenantId, workflow.id, deps);
    expect(stats).toMatchObject({ enrolled: 1, completed: 1, active: 0 });
    expect(stats.steps.find((s) => s.stepId === 'two')).toMatchObject({ entered: 1, completed: 1, sent: 1 });
  });

  it('an opt-out during a wait exits the enrollment and the wake-up sends nothing', async () => {
    const tenantId = h.newTenant('wf-stop');
    const contact = (await seedTenant(h, tenantId, [{ phone: chicagoPhone(2) }])).get(chicagoPhone(2))!;
    const workflow = await activeWorkflow(tenantId, drip);
    await enrollContact(tenantId, workflow, contact.id, deps);
    await changeConsent(tenantId, contact.id, 'opted_out', 'inbound_keyword', 'STOP', deps);
    await handleContactEvent(
      {
        kind: 'inboundMessage',
        tenantId,
        contactId: contact.id,
        phone: contact.phone,
        inboundMessageId: 'in-1',
        type: 'optOut',
        keyword: 'STOP',
        body: 'STOP',
        at: h.clock.now().toISOString(),
        answers: null,
      },
      deps,
    );
    h.clock.advance(10_000);
    await runVisible();
    expect(h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === contact.phone)).toHaveLength(1);
    const page = await store.listEnrollments(tenantId, workflow.id, { limit: 10 });
    expect(page.items[0]?.enrollment).toMatchObject({ status: 'exited', exitReason: 'opted_out' });
  });

  it('a long wait goes into a minute bucket with one schedule, swept onto the queue when due', async () => {
    const tenantId = h.newTenant('wf-bucket');
    const contact = (await seedTenant(h, tenantId, [{ phone: chicagoPhone(3) }])).get(chicagoPhone(3))!;
    const workflow = await activeWorkflow(tenantId, {
      ...drip,
      steps: [drip.steps[0], { id: 'pause', type: 'wait', duration: 'PT1H' }, drip.steps[2]],
    });
    await enrollContact(tenantId, workflow, contact.id, deps);
    const schedules = [...h.scheduler.schedules.values()].filter((s) => s.target === 'workflows');
    const sweep = schedules.find((s) => (s.payload as { tenantId?: string }).tenantId === tenantId);
    expect(sweep).toMatchObject({ at: '2026-11-26T18:00:00', timeZone: 'UTC' });
    h.clock.advance(3_600_000);
    await handleWorkflowMessage(workflowMessageSchema.parse(sweep?.payload), deps);
    expect(await runVisible()).toContain('advanced');
    expect(h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === contact.phone)).toHaveLength(2);
  });

  it('an edit of an active workflow makes a version; the first version stays readable', async () => {
    const tenantId = h.newTenant('wf-version');
    const workflow = await activeWorkflow(tenantId, drip);
    const edited = await updateWorkflow(tenantId, workflow.id, { name: 'Drip 2' }, deps);
    expect(edited.version).toBe(2);
    expect((await store.getWorkflowVersion(tenantId, workflow.id, 1))?.name).toBe('Drip');
    expect((await store.getWorkflowVersion(tenantId, workflow.id, 2))?.name).toBe('Drip 2');
  });

  const hello = {
    name: 'Hello',
    trigger: { type: 'tag_added', tag: 'hello' },
    steps: [{ id: 'hi', type: 'send_sms', body: 'Hi' }],
  };

  it('with re-entry a finished enrollment frees its lock and the contact can enroll again', async () => {
    const tenantId = h.newTenant('wf-reentry');
    const contact = (await seedTenant(h, tenantId, [{ phone: chicagoPhone(4) }])).get(chicagoPhone(4))!;
    const workflow = await activeWorkflow(tenantId, { ...hello, allowReentry: true });
    expect((await enrollContact(tenantId, workflow, contact.id, deps)).enrolled).toBe(true);
    expect(await store.activeEnrollmentsOf(tenantId, contact.id)).toEqual([]);
    expect((await enrollContact(tenantId, workflow, contact.id, deps)).enrolled).toBe(true);
    expect(h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === contact.phone)).toHaveLength(2);
  });

  it('without re-entry the lock stays on the finished enrollment: refused again, an exit skips it, re-entry frees it', async () => {
    const tenantId = h.newTenant('wf-once');
    const contact = (await seedTenant(h, tenantId, [{ phone: chicagoPhone(5) }])).get(chicagoPhone(5))!;
    const workflow = await activeWorkflow(tenantId, hello);
    const first = await enrollContact(tenantId, workflow, contact.id, deps);
    expect(first.enrolled).toBe(true);
    expect((await enrollContact(tenantId, workflow, contact.id, deps)).enrolled).toBe(false);
    expect(await store.activeEnrollmentsOf(tenantId, contact.id)).toHaveLength(1);
    expect(await exitAllEnrollments(tenantId, contact.id, 'opted_out', deps)).toBe(0);
    const page = await store.listEnrollments(tenantId, workflow.id, { limit: 10 });
    expect(page.items.map((item) => item.enrollment.status)).toEqual(['completed']);
    expect((await enrollContact(tenantId, workflow, contact.id, deps)).enrolled).toBe(false);

    const reentrant = await updateWorkflow(tenantId, workflow.id, { allowReentry: true }, deps);
    const second = await enrollContact(tenantId, workflow, contact.id, deps);
    expect((await enrollContact(tenantId, reentrant, contact.id, deps)).enrolled).toBe(true);
    expect(second.enrolled).toBe(false);
    expect(h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === contact.phone)).toHaveLength(2);
  });

  it('with batched reads and writes: many enrollments at once, duplicated wake-ups advance once, an opt-out is honoured', async () => {
    const tenantId = h.newTenant('wf-batched');
    const phones = Array.from({ length: 12 }, (_, i) => chicagoPhone(100 + i));
    const contacts = await seedTenant(
      h,
      tenantId,
      phones.map((phone) => ({ phone })),
    );
    const batched = withBatchedIo(deps);
    const workflow = await activeWorkflow(tenantId, drip);
    const ids = phones.map((phone) => contacts.get(phone)!.id);
    const outcomes = await Promise.all(ids.map((id) => enrollContact(tenantId, workflow, id, batched)));
    expect(outcomes.every((outcome) => outcome.enrolled)).toBe(true);
    // Overlapping triggers at once: one enrollment per contact.
    const again = await Promise.all(ids.map((id) => enrollContact(tenantId, workflow, id, batched)));
    expect(again.some((outcome) => outcome.enrolled)).toBe(false);
    const textsTo = (phone: string) =>
      h.gateway.calls.filter((c) => c.message.destinationPhoneNumber === phone).map((c) => c.message.messageBody);
    expect(phones.map(textsTo)).toEqual(phones.map(() => ['One']));

    const optedOut = ids[0] as string;
    await changeConsent(tenantId, optedOut, 'opted_out', 'inbound_keyword', 'STOP', deps);
    h.clock.advance(10_000);
    const wakes = h.queue
      .takeVisible('workflows')
      .map((body) => workflowMessageSchema.parse(body))
      .filter((message) => message.kind === 'enrollmentWake' && message.tenantId === tenantId);
    expect(wakes).toHaveLength(12);
    const results = await Promise.all(
      [...wakes, ...wakes, ...wakes].map((wake) => handleWorkflowMessage(wake, batched)),
    );
    expect(results.filter((r) => r === 'advanced')).toHaveLength(11);
    expect(results.filter((r) => r !== 'advanced').every((r) => r === 'exited' || r === 'unchanged')).toBe(true);
    expect(textsTo(phones[0] as string)).toEqual(['One']);
    expect(phones.slice(1).map(textsTo)).toEqual(phones.slice(1).map(() => ['One', 'Two']));
    const { stats } = await getWorkflow(tenantId, workflow.id, deps);
    expect(stats).toMatchObject({ enrolled: 12, completed: 11, exited: 1, active: 0 });
    expect(stats.steps.find((s) => s.stepId === 'two')).toMatchObject({ entered: 11, sent: 11 });
  });
});
