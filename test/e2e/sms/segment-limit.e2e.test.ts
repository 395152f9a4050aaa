import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { afternoonZone, tollFree } from '../campaigns/campaign-e2e-helpers';
import { expectError } from '../helpers/api';

/**
 * One limit for a text's length, in segments (the tenant's `maxSegments`, default 10), with one message, wherever a
 * body is accepted; and the preview's content warnings on the answer of /send and /schedule.
 */

/** 1,600 GSM-7 characters: 11 parts of 153, over the default limit of 10 (the old limit said "1600 characters"). */
const GSM_1600 = `Acme: ${'a'.repeat(1594)}`;
/** 1,500 UCS-2 characters (Cyrillic): 23 parts of 67, over the limit although under the old 1,600 characters. */
const UCS2_1500 = `Акме: ${'ж'.repeat(1494)}`;
const TEN_GSM_SEGMENTS = 'x'.repeat(153 * 10);

let stack: TestStack;
let api: HttpClient;

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.clientFor('segment-limit');
});

afterAll(async () => stack.stop());

const DEFAULT_LIMIT_11 = 'must fit in 10 segments (maxSegments); it is 11 segments of GSM-7 (1600 characters)';

describe('the segment limit', () => {
  it('is a setting, 10 by default, between 1 and 10', async () => {
    // Act
    const settings = await api.get<{ maxSegments: number }>('/v1/settings');
    const tooMany = await api.patch('/v1/settings', { maxSegments: 11 });
    const none = await api.patch('/v1/settings', { maxSegments: 0 });
    const fraction = await api.patch('/v1/settings', { maxSegments: 2.5 });

    // Assert
    expect(settings.body.maxSegments).toBe(10);
    for (const response of [tooMany, none, fraction]) {
      expect(expectError(response, 400, 'VALIDATION_FAILED').details.map((d) => d.path)).toEqual(['maxSegments']);
    }
  });

  it('refuses 1,600 GSM-7 characters (11 segments) with one message on campaigns, workflows and the preview', async () => {
    // Act
    const campaign = await api.post('/v1/campaigns', {
      name: 'Long',
      audience: { tags: { any: ['x'] } },
      body: GSM_1600,
      messageType: 'TRANSACTIONAL',
    });
    const workflow = await api.post('/v1/workflows', {
      name: 'Long',
      messageType: 'TRANSACTIONAL',
      trigger: { type: 'contact_created' },
      steps: [{ id: 'hello', type: 'send_sms', body: GSM_1600 }],
    });
    const preview = await api.post('/v1/sms/preview', { body: GSM_1600, messageType: 'TRANSACTIONAL' });

    // Assert
    expect(expectError(campaign, 400, 'VALIDATION_FAILED').details).toEqual([
      { path: 'body', message: DEFAULT_LIMIT_11 },
    ]);
    expect(expectError(workflow, 400, 'VALIDATION_FAILED').details).toEqual([
      { path: 'steps.0.body', message: DEFAULT_LIMIT_11 },
    ]);
    expect(expectError(preview, 400, 'VALIDATION_FAILED').details).toEqual([
      { path: 'body', message: DEFAULT_LIMIT_11 },
    ]);
  });

  it('refuses 1,500 UCS-2 characters, naming the encoding and count', async () => {
    // Act
    const response = await api.post('/v1/campaigns', {
      name: 'Emoji',
      audience: { tags: { any: ['x'] } },
      body: UCS2_1500,
      messageType: 'TRANSACTIONAL',
    });

    // Assert
    expect(expectError(response, 400, 'VALIDATION_FAILED').details).toEqual([
      {
        path: 'body',
        message: 'must fit in 10 segments (maxSegments); it is 23 segments of UCS-2 (1500 characters)',
      },
    ]);
  });

  it('counts the opt-out footer a promotional text gets, as the preview does', async () => {
    // Arrange: exactly 10 segments as written; the footer makes it 11
    const body = { name: 'Full', audience: { tags: { any: ['x'] } }, body: TEN_GSM_SEGMENTS };

    // Act
    const transactional = await api.post('/v1/campaigns', { ...body, messageType: 'TRANSACTIONAL' });
    const promotional = await api.post('/v1/campaigns', body);
    const preview = await api.post('/v1/sms/preview', { body: TEN_GSM_SEGMENTS });

    // Assert
    expect(transactional.status).toBe(201);
    const expected = [
      {
        path: 'body',
        message:
          'must fit in 10 segments (maxSegments); it is 11 segments of GSM-7 (1556 characters, opt-out footer included)',
      },
    ];
    expect(expectError(promotional, 400, 'VALIDATION_FAILED').details).toEqual(expected);
    expect(expectError(preview, 400, 'VALIDATION_FAILED').details).toEqual(expected);
  });

  it("follows the tenant's setting on create, edit and workflow edits", async () => {
    // Arrange
    const client = await stack.clientFor('segment-limit-2');
    expect((await client.patch('/v1/settings', { maxSegments: 2 })).status).toBe(200);
    const threeSegments = 'y'.repeat(153 * 2 + 1);
    const draft = await client.post<{ id: string }>('/v1/campaigns', {
      name: 'Short',
      audience: { tags: { any: ['x'] } },
      body: 'Acme: short',
      messageType: 'TRANSACTIONAL',
    });
    const workflow = await client.post<{ id: string }>('/v1/workflows', {
      name: 'Short',
      messageType: 'TRANSACTIONAL',
      trigger: { type: 'contact_created' },
      steps: [{ id: 'hello', type: 'send_sms', body: 'Acme: hi' }],
    });

    // Act
    const created = await client.post('/v1/campaigns', {
      name: 'Long',
      audience: { tags: { any: ['x'] } },
      body: threeSegments,
      messageType: 'TRANSACTIONAL',
    });
    const edited = await client.patch(`/v1/campaigns/${draft.body.id}`, { body: threeSegments });
    const renamed = await client.patch(`/v1/campaigns/${draft.body.id}`, { name: 'Renamed' });
    const workflowEdited = await client.patch(`/v1/workflows/${workflow.body.id}`, {
      steps: [
        { id: 'hello', type: 'send_sms', body: 'Acme: hi' },
        { id: 'more', type: 'send_sms', body: threeSegments },
      ],
    });

    // Assert
    const message = 'must fit in 2 segments (maxSegments); it is 3 segments of GSM-7 (307 characters)';
    expect(expectError(created, 400, 'VALIDATION_FAILED').details).toEqual([{ path: 'body', message }]);
    expect(expectError(edited, 400, 'VALIDATION_FAILED').details).toEqual([{ path: 'body', message }]);
    expect(renamed.status).toBe(200);
    expect(expectError(workflowEdited, 400, 'VALIDATION_FAILED').details).toEqual([{ path: 'steps.1.body', message }]);
  });
});

describe('the answer of /send and /schedule', () => {
  it("carries the preview's content warnings for the body over the audience", async () => {
    // Arrange: a recipient where it is afternoon, and a 3-segment body with a character that forces UCS-2
    const client = await stack.clientFor('segment-warnings');
    const zone = afternoonZone(stack);
    const imported = await client.post('/v1/contacts/import', {
      contacts: [0, 1].map((index) => ({
        phone: tollFree(index),
        timeZone: zone,
        tags: ['warned'],
        smsConsent: 'opted_in',
      })),
    });
    expect(imported.status).toBe(200);
    expect((await client.patch('/v1/settings', { sendWindow: { start: '08:00', end: '21:00' } })).status).toBe(200);
    const body = `Acme: ${'Our open house is on Saturday, with coffee. '.repeat(4)}See you there ’`;
    const audience = { tags: { any: ['warned'] } };
    const preview = await client.post<{ warnings: { code: string; message: string }[]; segments: number }>(
      '/v1/sms/preview',
      { body, audience },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['MULTI_SEGMENT', 'UCS2_CHARACTER']),
    );
    const now = await client.post<{ id: string }>('/v1/campaigns', { name: 'Now', audience, body });
    const later = await client.post<{ id: string }>('/v1/campaigns', { name: 'Later', audience, body });

    // Act
    const sent = await client.post<{ warnings: { code: string; message: string }[] }>(
      `/v1/campaigns/${now.body.id}/send`,
    );
    const sendAt = new Date(stack.now().getTime() + 7 * 86_400_000).toISOString().slice(0, 16);
    const scheduled = await client.post<{ warnings: { code: string; message: string }[] }>(
      `/v1/campaigns/${later.body.id}/schedule`,
      { sendAt, timeZone: 'UTC' },
    );

    // Assert
    expect(sent.status).toBe(202);
    expect(scheduled.status).toBe(200);
    for (const answer of [sent.body, scheduled.body]) {
      expect(answer.warnings).toEqual(expect.arrayContaining(preview.body.warnings));
    }
  });
});
