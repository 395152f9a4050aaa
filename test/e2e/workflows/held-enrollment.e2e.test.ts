import { DateTime } from 'luxon';
import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { EVERY_DAY, tollFree, waitFor, zoneAtHour } from '../campaigns/campaign-e2e-helpers';

/** An enrollment whose text the send window holds says when it will go, instead of `nextWakeAt: null, history: []`. */

interface Enrollment {
  contactId: string;
  status: string;
  currentStepId: string;
  nextWakeAt: string | null;
  heldUntil: string | null;
  history: { at: string; stepId: string; outcome: string; until?: string }[];
}

const TENANT = 'wf-held';
let test: TestStack;
let api: HttpClient;

beforeAll(async () => {
  test = await startTestStack();
  api = await test.clientFor(TENANT);
}, 30_000);

afterAll(async () => {
  await test?.stop();
});

async function enrollments(workflowId: string): Promise<Enrollment[]> {
  const page = await api.get<{ items: Enrollment[] }>(`/v1/workflows/${workflowId}/enrollments`);
  expect(page.status).toBe(200);
  return page.body.items;
}

async function activeWorkflow(body: Record<string, unknown>): Promise<string> {
  const created = await api.post<{ id: string }>('/v1/workflows', body);
  expect(created.status).toBe(201);
  expect((await api.post(`/v1/workflows/${created.body.id}/activate`)).status).toBe(200);
  return created.body.id;
}

it.each([
  ['a promotional text held by the send window (10:00)', 'PROMOTIONAL', 10],
  ['a reminder held by quiet hours (08:00)', 'TRANSACTIONAL', 8],
] as const)(
  '%s shows the opening as nextWakeAt and a held entry, then goes at the opening',
  async (_what, messageType, opensAt) => {
    // Arrange: a contact where it is 03:xx; the window opens every day at 10:00
    const zone = zoneAtHour(test, 3);
    expect(
      (await api.patch('/v1/settings', { sendWindow: { start: '10:00', end: '17:00', days: EVERY_DAY } })).status,
    ).toBe(200);
    const tag = `held-${messageType}`;
    const workflowId = await activeWorkflow({
      name: `Held ${messageType}`,
      messageType,
      trigger: { type: 'tag_added', tag },
      steps: [
        { id: 'hello', type: 'send_sms', body: 'Acme: your showing is confirmed' },
        { id: 'done', type: 'end' },
      ],
    });
    const phone = tollFree(messageType === 'PROMOTIONAL' ? 1 : 2);
    const contact = await api.post<{ id: string }>('/v1/contacts', { phone, timeZone: zone, smsConsent: 'opted_in' });
    expect(contact.status).toBe(201);

    // Act
    expect((await api.post(`/v1/contacts/${contact.body.id}/tags`, { tags: [tag] })).status).toBe(200);
    const [held] = await waitFor(
      () => enrollments(workflowId),
      (items) => items.some((item) => item.heldUntil !== null),
      { what: 'the held enrollment' },
    );

    // Assert
    const opening = DateTime.fromJSDate(test.now(), { zone })
      .set({ hour: opensAt, minute: 0, second: 0, millisecond: 0 })
      .toUTC()
      .toISO();
    expect(held).toMatchObject({
      contactId: contact.body.id,
      status: 'active',
      currentStepId: 'hello',
      nextWakeAt: opening,
      heldUntil: opening,
    });
    expect(held?.history).toEqual([{ at: expect.any(String), stepId: 'hello', outcome: 'held', until: opening }]);
    expect(test.stack.messaging.carrier.outbox({ to: phone })).toEqual([]);

    // Act: the clock reaches the opening
    await test.advance({ to: opening as string });
    const [done] = await waitFor(
      () => enrollments(workflowId),
      (items) => items.some((item) => item.status === 'completed'),
      { what: 'the enrollment to complete' },
    );

    // Assert
    expect(done).toMatchObject({ status: 'completed', nextWakeAt: null, heldUntil: null });
    expect(done?.history.map((entry) => entry.outcome)).toEqual(['held', 'sent', 'completed']);
    expect(test.stack.messaging.carrier.outbox({ to: phone }).map((record) => record.acceptedAt)).toEqual([
      expect.stringMatching(new RegExp(`^${(opening as string).slice(0, 16)}`)),
    ]);
  },
);

it('a wait that ends after the window closed holds its text to the next opening, keeping the wait it ends', async () => {
  // Arrange: a contact where it is 16:xx; the text after a 2-hour wait falls after 17:00
  const zone = zoneAtHour(test, 16);
  const window = { sendWindow: { start: '10:00', end: '17:00', days: EVERY_DAY } };
  expect((await api.patch('/v1/settings', window)).status).toBe(200);
  const workflowId = await activeWorkflow({
    name: 'Wait then text',
    trigger: { type: 'tag_added', tag: 'wait-then-text' },
    steps: [
      { id: 'pause', type: 'wait', duration: 'PT2H' },
      { id: 'hello', type: 'send_sms', body: 'Acme: still looking?' },
    ],
  });
  const phone = tollFree(3);
  const contact = await api.post<{ id: string }>('/v1/contacts', { phone, timeZone: zone, smsConsent: 'opted_in' });
  expect((await api.post(`/v1/contacts/${contact.body.id}/tags`, { tags: ['wait-then-text'] })).status).toBe(200);
  const [waiting] = await waitFor(
    () => enrollments(workflowId),
    (items) => items.some((item) => item.status === 'waiting'),
    { what: 'the waiting enrollment' },
  );
  const wakeAt = waiting?.nextWakeAt as string;
  const opening = DateTime.fromJSDate(test.now(), { zone })
    .plus({ days: 1 })
    .set({ hour: 10, minute: 0, second: 0, millisecond: 0 })
    .toUTC()
    .toISO() as string;

  // Act: the wait ends at 18:xx there
  await test.advance('PT2H');
  const [held] = await waitFor(
    () => enrollments(workflowId),
    (items) => items.some((item) => item.heldUntil !== null),
    { what: 'the held enrollment' },
  );

  // Assert
  expect(held).toMatchObject({ status: 'waiting', currentStepId: 'pause', nextWakeAt: opening, heldUntil: opening });
  expect(held?.history.at(-1)).toEqual({ at: expect.any(String), stepId: 'pause', outcome: 'held', until: opening });
  expect(Date.parse(opening)).toBeGreaterThan(Date.parse(wakeAt));

  // Act: the next morning
  await test.advance({ to: opening });
  const [done] = await waitFor(
    () => enrollments(workflowId),
    (items) => items.some((item) => item.status === 'completed'),
    { what: 'the enrollment to complete' },
  );

  // Assert
  expect(done?.history.map((entry) => entry.outcome)).toEqual(['waiting', 'held', 'woke', 'sent', 'completed']);
  expect(test.stack.messaging.carrier.outbox({ to: phone })).toHaveLength(1);
});
