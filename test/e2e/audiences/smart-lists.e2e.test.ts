import { apiRoutes } from '../../../functions/routes';
import { smartListPageResponse, smartListResponse } from '../../../functions/smart-lists/smart-lists.schema';
import type { SmartList } from '../../../shared/domain/smart-lists/smart-list.schema';
import type { HttpClient, HttpMethod } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { type Contact, expectError, ISO_UTC, type Page } from '../helpers/api';

let stack: TestStack;
let api: HttpClient;
let tenants = 0;
const newTenant = () => stack.clientFor(`smart-lists-${++tenants}`);

beforeAll(async () => {
  stack = await startTestStack();
  api = await newTenant();
});

afterAll(async () => stack.stop());

const VIP_FILTER = {
  all: [
    { field: 'tags', op: 'contains', value: 'vip' },
    {
      any: [
        { field: 'customFields.plan', op: 'eq', value: 'gold' },
        { field: 'createdAt', op: 'withinDays', value: 30 },
      ],
    },
  ],
};

async function create(client: HttpClient, name: string, filter: unknown = VIP_FILTER): Promise<SmartList> {
  const response = await client.post<SmartList>('/v1/smart-lists', { name, filter });
  expect(response.status).toBe(201);
  return response.body;
}

async function listAll(client: HttpClient): Promise<SmartList[]> {
  const lists: SmartList[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.get<Page<SmartList>>('/v1/smart-lists', { query: { limit: 2, cursor } });
    expect(page.status).toBe(200);
    smartListPageResponse.parse(page.body);
    lists.push(...page.body.items);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  return lists;
}

describe('Smart Lists over HTTP', () => {
  it('creates a list (201), reads it back, renames it and replaces its filter (200), and deletes it (204)', async () => {
    // Act
    const created = await api.post<SmartList>('/v1/smart-lists', { name: '  Gold VIPs  ', filter: VIP_FILTER });
    const read = await api.get<SmartList>(`/v1/smart-lists/${created.body.id}`);
    const renamed = await api.patch<SmartList>(`/v1/smart-lists/${created.body.id}`, { name: 'VIPs' });
    const newFilter = { any: [{ field: 'smsConsent', op: 'eq', value: 'opted_in' }] };
    const refiltered = await api.patch<SmartList>(`/v1/smart-lists/${created.body.id}`, { filter: newFilter });
    const afterPatch = await api.get<SmartList>(`/v1/smart-lists/${created.body.id}`);
    const deleted = await api.delete(`/v1/smart-lists/${created.body.id}`);
    const afterDelete = await api.get(`/v1/smart-lists/${created.body.id}`);
    const deletedAgain = await api.delete(`/v1/smart-lists/${created.body.id}`);
    const patchedAfterDelete = await api.patch(`/v1/smart-lists/${created.body.id}`, { name: 'back?' });

    // Assert
    expect(created.status).toBe(201);
    expect(smartListResponse.parse(created.body)).toEqual({
      id: expect.any(String),
      name: 'Gold VIPs',
      filter: VIP_FILTER,
      createdAt: expect.stringMatching(ISO_UTC),
      updatedAt: created.body.createdAt,
    });
    expect(read).toMatchObject({ status: 200, body: created.body });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: created.body.id, name: 'VIPs', filter: VIP_FILTER });
    expect(renamed.body.createdAt).toBe(created.body.createdAt);
    expect(renamed.body.updatedAt >= created.body.updatedAt).toBe(true);
    expect(refiltered.status).toBe(200);
    expect(refiltered.body).toMatchObject({ name: 'VIPs', filter: newFilter });
    expect(afterPatch.body).toEqual(refiltered.body);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expectError(afterDelete, 404, 'SMARTLIST.NOT_FOUND');
    expectError(deletedAgain, 404, 'SMARTLIST.NOT_FOUND');
    expectError(patchedAfterDelete, 404, 'SMARTLIST.NOT_FOUND');
  });

  it('lists every list of the tenant across pages, each once', async () => {
    // Arrange
    const client = await newTenant();
    const created = [];
    for (const name of ['one', 'two', 'three', 'four', 'five']) created.push(await create(client, name));

    // Act
    const lists = await listAll(client);

    // Assert
    expect(lists.map((list) => list.id).sort()).toEqual(created.map((list) => list.id).sort());
    expect(lists.find((list) => list.name === 'three')).toEqual(created[2]);
  });

  it.each([
    ['an unknown field', 'filter.all.0.field', { all: [{ field: 'nickname', op: 'eq', value: 'x' }] }],
    ['an unknown operator', 'filter.all.0.op', { all: [{ field: 'firstName', op: 'like', value: 'x' }] }],
    [
      'an operator that does not fit the field',
      'filter.all.0.op',
      { all: [{ field: 'firstName', op: 'before', value: '2026-01-01' }] },
    ],
    [
      'a value that does not fit the operator',
      'filter.any.0.value',
      { any: [{ field: 'createdAt', op: 'withinDays', value: 0 }] },
    ],
    [
      'a nested bad condition',
      'filter.all.1.any.0.op',
      {
        all: [
          { field: 'tags', op: 'exists' },
          { any: [{ field: 'customFields.plan', op: 'sounds_like', value: 'g' }] },
        ],
      },
    ],
    ['an invalid custom field name', 'filter.all.0.field', { all: [{ field: 'customFields.1st', op: 'exists' }] }],
    ['an empty nested group', 'filter.all.0.any', { all: [{ any: [] }] }],
  ])('refuses a filter with %s with a 400 naming %s', async (_what, path, filter) => {
    // Act
    const created = await api.post('/v1/smart-lists', { name: 'bad', filter });
    const list = await create(api, 'to patch');
    const patched = await api.patch(`/v1/smart-lists/${list.id}`, { filter });
    const unchanged = await api.get<SmartList>(`/v1/smart-lists/${list.id}`);

    // Assert
    for (const response of [created, patched]) {
      const error = expectError(response, 400, 'VALIDATION_FAILED');
      expect(error.details.map((detail) => detail.path)).toContain(path);
    }
    expect(unchanged.body).toEqual(list);
  });

  it.each([
    ['no name', 'name', { filter: VIP_FILTER }],
    ['a blank name', 'name', { name: '   ', filter: VIP_FILTER }],
    ['no filter', 'filter', { name: 'x' }],
    ['a filter that is not a group', 'filter', { name: 'x', filter: { field: 'tags', op: 'exists' } }],
  ])('refuses a body with %s with a 400 naming %s', async (_what, path, body) => {
    // Act
    const response = await api.post('/v1/smart-lists', body);

    // Assert
    const error = expectError(response, 400, 'VALIDATION_FAILED');
    expect(error.details.map((detail) => detail.path)).toContain(path);
  });

  it('refuses an empty PATCH and an unknown key with a 400', async () => {
    // Arrange
    const list = await create(api, 'patch me');

    // Act
    const empty = await api.patch(`/v1/smart-lists/${list.id}`, {});
    const stranger = await api.post('/v1/smart-lists', { name: 'x', filter: VIP_FILTER, owner: 'me' });

    // Assert
    expectError(empty, 400, 'VALIDATION_FAILED');
    const error = expectError(stranger, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(error)).toContain('owner');
  });

  it('answers 401 without a token', async () => {
    // Act
    const response = await stack.anonymous.get('/v1/smart-lists');

    // Assert
    expectError(response, 401);
  });
});

describe('Smart Lists and tenant isolation', () => {
  let tenantA: HttpClient;
  let tenantB: HttpClient;
  let listOfA: SmartList;

  beforeAll(async () => {
    tenantA = await stack.clientFor('smart-lists-a');
    tenantB = await stack.clientFor('smart-lists-b');
    const contact = await tenantA.post<Contact>('/v1/contacts', {
      phone: '+13122345678',
      firstName: 'Secret',
      tags: ['vip'],
      smsConsent: 'opted_in',
    });
    expect(contact.status).toBe(201);
    listOfA = await create(tenantA, 'Private list of A', { all: [{ field: 'tags', op: 'contains', value: 'vip' }] });
    await create(tenantB, 'List of B');
  });

  const attempts: [HttpMethod, unknown][] = [
    ['GET', undefined],
    ['PATCH', { name: 'Hijacked', filter: { all: [] } }],
    ['DELETE', undefined],
  ];

  it('covers every Smart List route that takes a list id', () => {
    // Arrange
    const byId = apiRoutes.filter((route) => route.path.startsWith('/v1/smart-lists/{id}'));

    // Act
    const covered = attempts.map(([method]) => `${method} /v1/smart-lists/{id}`);

    // Assert
    expect(covered.sort()).toEqual(byId.map((route) => `${route.method} ${route.path}`).sort());
  });

  it.each(attempts)("answers 404 to %s of another tenant's list, revealing nothing", async (method, body) => {
    // Act
    const response = await tenantB.request(method, `/v1/smart-lists/${listOfA.id}`, { body });

    // Assert
    const error = expectError(response, 404, 'SMARTLIST.NOT_FOUND');
    expect(error.details).toEqual([]);
    expect(JSON.stringify(response.body)).not.toContain('Private');
  });

  it("answers 404 to previews of another tenant's list, revealing nothing", async () => {
    // Act
    const audience = await tenantB.post('/v1/audiences/preview', { audience: { smartListId: listOfA.id } });
    const sms = await tenantB.post('/v1/sms/preview', { body: 'Hi', audience: { smartListId: listOfA.id } });

    // Assert
    for (const response of [audience, sms]) {
      expectError(response, 404, 'SMARTLIST.NOT_FOUND');
      expect(JSON.stringify(response.body)).not.toContain('Secret');
    }
  });

  it("never shows A's lists in B's listing, and leaves A's list as it was", async () => {
    // Act
    const ofB = await listAll(tenantB);
    const stillOfA = await tenantA.get<SmartList>(`/v1/smart-lists/${listOfA.id}`);
    const previewOfA = await tenantA.post<{ matched: number }>('/v1/audiences/preview', {
      audience: { smartListId: listOfA.id },
    });

    // Assert
    expect(ofB.map((list) => list.name)).toEqual(['List of B']);
    expect(ofB.map((list) => list.id)).not.toContain(listOfA.id);
    expect(stillOfA.body).toEqual(listOfA);
    expect(previewOfA.body.matched).toBe(1);
  });

  it("refuses A's cursor and forged cursors on B's listing with a 400 naming the cursor", async () => {
    // Arrange
    await create(tenantA, 'Second list of A');
    const firstPageOfA = await tenantA.get<Page<SmartList>>('/v1/smart-lists', { query: { limit: 1 } });
    const cursorOfA = firstPageOfA.body.nextCursor;
    expect(cursorOfA).toEqual(expect.any(String));
    const forge = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const ownPartition = 'T#smart-lists-b';
    const cursors = [
      cursorOfA!,
      forge({ pk: ownPartition }),
      forge({ pk: ownPartition, sk: 'SL#x', extra: 'y' }),
      forge({ pk: ownPartition, sk: '#SETTINGS' }),
      forge({ pk: `${ownPartition}#C#1`, sk: '#CONTACT' }),
      'not a cursor',
    ];

    // Act
    const responses = await Promise.all(
      cursors.map((cursor) => tenantB.get('/v1/smart-lists', { query: { limit: 1, cursor } })),
    );

    // Assert
    for (const response of responses) {
      const error = expectError(response, 400, 'VALIDATION_FAILED');
      expect(error.details.map((detail) => detail.path)).toEqual(['cursor']);
      expect(JSON.stringify(response.body)).not.toContain('of A');
    }
  });
});
