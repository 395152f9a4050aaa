import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { afternoonZone, openWindowSettings, tollFree, waitFor } from '../campaigns/campaign-e2e-helpers';

interface Enrollment {
  id: string;
  contactId: string;
  workflowVersion: number;
  status: string;
  currentStepId: string;
  nextWakeAt: string | null;
  exitReason: string | null;
}

const TENANT = 'wf-e2e';
const OUR_NUMBER = '+18885550142';
let test: TestStack;
let api: HttpClient;
let phoneIndex = 100;
/**
 * A zone where the stack's clock reads 14:xx now: contacts are created in it, so the legal hours hold wherever the
 * clock started and however far the tests before moved it.
 */
const zoneNow = () => afternoonZone(test);

const nextPhone = () => tollFree(phoneIndex++);

beforeAll(async () => {
  test = await startTestStack();
  api = await test.clientFor(TENANT);
  await test.assignNumber(TENANT, OUR_NUMBER);
  const settings = await api.patch('/v1/settings', {
    ...openWindowSettings(zoneNow()),
    originationIdentity: OUR_NUMBER,
  });
  expect(settings.status).toBe(200);
}, 30_000);

afterAll(async () => {
  await test?.stop();
});

/** Texts the carrier accepted for a phone, oldest first. */
function textsTo(phone: string): string[] {
  return test.stack.messaging.carrier
    .outbox({ to: phone, limit: 100 })
    .map((record) => record.body)
    .reverse();
}

async function activeWorkflow(body: Record<string, unknown>): Promise<{ id: string }> {
  const created = await api.post<{ id: string; status: string }>('/v1/workflows', {
    messageType: 'TRANSACTIONAL',
    ...body,
  });
  expect(created.status).toBe(201);
  expect(created.body.status).toBe('draft');
  const activated = await api.post<{ status: string }>(`/v1/workflows/${created.body.id}/activate`);
  expect(activated.status).toBe(200);
  expect(activated.body.status).toBe('active');
  return created.body;
}

async function enrollments(workflowId: string): Promise<Enrollment[]> {
  const page = await api.get<{ items: Enrollment[] }>(`/v1/workflows/${workflowId}/enrollments`, {
    query: { limit: 500 },
  });
  expect(page.status).toBe(200);
  return page.body.items;
}

async function enrollmentOf(workflowId: string, contactId: string, done: (e: Enrollment) => boolean, what: string) {
  const all = await waitFor(
    () => enrollments(workflowId),
    (items) => items.some((e) => e.contactId === contactId && done(e)),
    { what, timeoutMs: 20_000 },
  );
  return all.find((e) => e.contactId === contactId) as Enrollment;
}

async function submitForm(formId: string, phone: string, extra: Record<string, unknown> = {}) {
  const response = await api.post<{ contactId: string; created: boolean }>(`/v1/forms/${formId}/submissions`, {
    phone,
    firstName: 'Lee',
    timeZone: zoneNow(),
    smsConsent: 'opted_in',
    ...extra,
  });
  expect(response.status).toBe(202);
  return response.body;
}

const waitForTexts = (phone: string, count: number, what: string) =>
  waitFor(
    () => textsTo(phone),
    (texts) => texts.length >= count,
    { what, timeoutMs: 20_000 },
  );

describe('workflows on the local stack', () => {
  const nurture = {
    name: 'New lead nurture',
    trigger: { type: 'form_submitted', formId: 'lead' },
    steps: [
      { id: 'hello', type: 'send_sms', body: 'Hi {{contact.first_name}}, thanks for reaching out!' },
      { id: 'await', type: 'wait_for_reply', timeout: 'PT1H', onReply: 'engaged', onTimeout: 'nudge' },
      { id: 'nudge', type: 'send_sms', body: 'Still interested?', next: 'done' },
      { id: 'engaged', type: 'add_tag', tag: 'engaged' },
      { id: 'done', type: 'end' },
    ],
  };
  let nurtureId: string;

  beforeAll(async () => {
    nurtureId = (await activeWorkflow(nurture)).id;
  });

  it('form -> text -> no reply -> follow-up', async () => {
    const phone = nextPhone();
    const { contactId, created } = await submitForm('lead', phone);
    expect(created).toBe(true);
    await waitForTexts(phone, 1, 'the first text');
    await enrollmentOf(nurtureId, contactId, (e) => e.currentStepId === 'await', 'the wait for a reply');
    await test.advance('PT59M');
    expect(textsTo(phone)).toHaveLength(1);
    await test.advance('PT1M');
    const texts = await waitForTexts(phone, 2, 'the follow-up');
    expect(texts).toEqual(['Hi Lee, thanks for reaching out!', 'Still interested?']);
    const enrollment = await enrollmentOf(nurtureId, contactId, (e) => e.status === 'completed', 'completion');
    expect(enrollment.currentStepId).toBe('done');
    const contact = await api.get<{ smsConsent: { status: string; source: string } }>(`/v1/contacts/${contactId}`);
    expect(contact.body.smsConsent).toMatchObject({ status: 'opted_in', source: 'form' });
  });

  it('form -> text -> reply -> tag and no follow-up', async () => {
    const phone = nextPhone();
    const { contactId } = await submitForm('lead', phone);
    await waitForTexts(phone, 1, 'the first text');
    const inbound = await test.anonymous.post('/local/inbound', { from: phone, body: 'Yes please' });
    expect(inbound.status).toBeLessThan(300);
    const enrollment = await enrollmentOf(nurtureId, contactId, (e) => e.status === 'completed', 'completion');
    expect(enrollment.currentStepId).toBe('done');
    const contact = await api.get<{ tags: string[] }>(`/v1/contacts/${contactId}`);
    expect(contact.body.tags).toContain('engaged');
    expect(textsTo(phone)).toEqual(['Hi Lee, thanks for reaching out!']);
    const stats = await api.get<{ stats: { steps: { stepId: string; replied: number }[] } }>(
      `/v1/workflows/${nurtureId}`,
    );
    expect(stats.body.stats.steps.find((s) => s.stepId === 'hello')?.replied).toBeGreaterThanOrEqual(1);
  });

  it('the same form twice -> one enrollment, one text', async () => {
    const phone = nextPhone();
    const first = await submitForm('lead', phone);
    const second = await submitForm('lead', phone, { lastName: 'Again' });
    expect(second).toEqual({ contactId: first.contactId, created: false });
    await waitForTexts(phone, 1, 'the first text');
    await test.advance('PT1H');
    await enrollmentOf(nurtureId, first.contactId, (e) => e.status === 'completed', 'completion');
    expect((await enrollments(nurtureId)).filter((e) => e.contactId === first.contactId)).toHaveLength(1);
    expect(textsTo(phone).filter((t) => t.startsWith('Hi Lee'))).toHaveLength(1);
  });

  it('tag added -> text', async () => {
    await activeWorkflow({
      name: 'VIP welcome',
      trigger: { type: 'tag_added', tag: 'vip' },
      steps: [{ id: 'welcome', type: 'send_sms', body: 'Welcome to the VIP list' }],
    });
    const phone = nextPhone();
    const contact = await api.post<{ id: string }>('/v1/contacts', {
      phone,
      timeZone: zoneNow(),
      smsConsent: 'opted_in',
    });
    expect(contact.status).toBe(201);
    expect((await api.post(`/v1/contacts/${contact.body.id}/tags`, { tags: ['vip'] })).status).toBe(200);
    expect(await waitForTexts(phone, 1, 'the VIP text')).toEqual(['Welcome to the VIP list']);
  });

  it('STOP during a wait -> no later step', async () => {
    const workflow = await activeWorkflow({
      name: 'Drip',
      trigger: { type: 'tag_added', tag: 'drip' },
      steps: [
        { id: 'one', type: 'send_sms', body: 'Drip one' },
        { id: 'pause', type: 'wait', duration: 'PT1H' },
        { id: 'two', type: 'send_sms', body: 'Drip two' },
      ],
    });
    const stopper = nextPhone();
    const control = nextPhone();
    const ids: string[] = [];
    for (const phone of [stopper, control]) {
      const contact = await api.post<{ id: string }>('/v1/contacts', {
        phone,
        timeZone: zoneNow(),
        smsConsent: 'opted_in',
      });
      ids.push(contact.body.id);
    }
    await api.post(`/v1/contacts/${ids[0]}/tags`, { tags: ['drip'] });
    await waitForTexts(stopper, 1, 'the first drip');
    await test.anonymous.post('/local/inbound', { from: stopper, body: 'STOP' });
    const exited = await enrollmentOf(workflow.id, ids[0] as string, (e) => e.status === 'exited', 'the exit');
    expect(exited.exitReason).toBe('opted_out');
    // The control contact enrolls after the STOP: once its second text is out, the stopper's wake-up has fired too.
    await api.post(`/v1/contacts/${ids[1]}/tags`, { tags: ['drip'] });
    await waitForTexts(control, 1, 'the control contact first drip');
    await test.advance('PT1H');
    await waitForTexts(control, 2, 'the control contact second drip');
    expect(textsTo(stopper).filter((t) => t.startsWith('Drip'))).toEqual(['Drip one']);
  });

  it('an appointment reminder at an offset from a date field, re-planned when the date moves', async () => {
    const workflow = await activeWorkflow({
      name: 'Appointment reminder',
      trigger: { type: 'date_field', field: 'appointmentAt', offset: '-PT1H' },
      steps: [{ id: 'remind', type: 'send_sms', body: 'See you soon, {{contact.first_name}}' }],
    });
    const phone = nextPhone();
    const first = new Date(test.now().getTime() + 2 * 3_600_000);
    const contact = await api.post<{ id: string }>('/v1/contacts', {
      phone,
      firstName: 'Ana',
      timeZone: zoneNow(),
      smsConsent: 'opted_in',
      customFields: { appointmentAt: first.toISOString() },
    });
    expect(contact.status).toBe(201);
    const moved = new Date(first.getTime() + 30 * 60_000);
    const patched = await api.patch(`/v1/contacts/${contact.body.id}`, {
      customFields: { appointmentAt: moved.toISOString() },
    });
    expect(patched.status).toBe(200);
    // Past the first plan's time (an hour before the first date): the moved date's plan holds the reminder back.
    await test.advance({ to: new Date(first.getTime() - 3_600_000 + 60_000) });
    expect(textsTo(phone)).toEqual([]);
    await test.advance({ to: new Date(moved.getTime() - 3_600_000) });
    await waitForTexts(phone, 1, 'the reminder');
    const [record] = test.stack.messaging.carrier.outbox({ to: phone, limit: 10 });
    expect(Date.parse(record?.acceptedAt as string)).toBeGreaterThanOrEqual(moved.getTime() - 3_600_000);
    await enrollmentOf(workflow.id, contact.body.id, (e) => e.status === 'completed', 'completion');
    expect(textsTo(phone)).toEqual(['See you soon, Ana']);
  });

  it('a date workflow activated after the date was set still reminds the contacts who already carry it', async () => {
    const phone = nextPhone();
    const visit = new Date(test.now().getTime() + 2 * 3_600_000);
    const contact = await api.post<{ id: string }>('/v1/contacts', {
      phone,
      firstName: 'Bo',
      timeZone: zoneNow(),
      smsConsent: 'opted_in',
      customFields: { visitAt: visit.toISOString() },
    });
    expect(contact.status).toBe(201);
    const workflow = await activeWorkflow({
      name: 'Visit reminder',
      trigger: { type: 'date_field', field: 'visitAt', offset: '-PT1H' },
      steps: [{ id: 'remind', type: 'send_sms', body: 'Visit soon, {{contact.first_name}}' }],
    });
    expect(textsTo(phone)).toEqual([]);
    await test.advance('PT1H');
    await waitForTexts(phone, 1, 'the reminder planned at activation');
    await enrollmentOf(workflow.id, contact.body.id, (e) => e.status === 'completed', 'completion');
    expect(textsTo(phone)).toEqual(['Visit soon, Bo']);
  });

  it('an edit of an active workflow makes a version; a running enrollment finishes on its version', async () => {
    const workflow = await activeWorkflow({
      name: 'Versioned',
      trigger: { type: 'tag_added', tag: 'versioned' },
      steps: [
        { id: 'first', type: 'send_sms', body: 'v1 first' },
        { id: 'pause', type: 'wait', duration: 'PT30M' },
        { id: 'second', type: 'send_sms', body: 'v1 second' },
      ],
    });
    const early = nextPhone();
    const late = nextPhone();
    const earlyContact = await api.post<{ id: string }>('/v1/contacts', {
      phone: early,
      timeZone: zoneNow(),
      smsConsent: 'opted_in',
    });
    await api.post(`/v1/contacts/${earlyContact.body.id}/tags`, { tags: ['versioned'] });
    await waitForTexts(early, 1, 'the v1 first text');
    const edited = await api.patch<{ version: number }>(`/v1/workflows/${workflow.id}`, {
      steps: [
        { id: 'first', type: 'send_sms', body: 'v2 first' },
        { id: 'pause', type: 'wait', duration: 'PT20M' },
        { id: 'second', type: 'send_sms', body: 'v2 second' },
      ],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);
    const lateContact = await api.post<{ id: string }>('/v1/contacts', {
      phone: late,
      timeZone: zoneNow(),
      smsConsent: 'opted_in',
    });
    await api.post(`/v1/contacts/${lateContact.body.id}/tags`, { tags: ['versioned'] });
    await waitForTexts(late, 1, 'the v2 first text');
    // The late contact waits 20 minutes (v2), the early one 30 (v1): after 20, only the late one has its second text.
    await test.advance('PT20M');
    expect(await waitForTexts(late, 2, 'the v2 texts')).toEqual(['v2 first', 'v2 second']);
    expect(textsTo(early)).toEqual(['v1 first']);
    await test.advance('PT10M');
    expect(await waitForTexts(early, 2, 'the v1 second text')).toEqual(['v1 first', 'v1 second']);
    const all = await enrollments(workflow.id);
    expect(all.find((e) => e.contactId === earlyContact.body.id)?.workflowVersion).toBe(1);
    expect(all.find((e) => e.contactId === lateContact.body.id)?.workflowVersion).toBe(2);
  });

  it('activation checks the graph and names the step path (422)', async () => {
    const created = await api.post<{ id: string }>('/v1/workflows', {
      name: 'Broken',
      trigger: { type: 'contact_created' },
      steps: [{ id: 'a', type: 'send_sms', body: 'x', next: 'nowhere' }],
    });
    expect(created.status).toBe(201);
    const activated = await api.post<{ error: { details: { path: string }[] } }>(
      `/v1/workflows/${created.body.id}/activate`,
    );
    expect(activated.status).toBe(422);
    expect(activated.body.error.details.map((d) => d.path)).toContain('steps.0.next');
  });
});
