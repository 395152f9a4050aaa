import { apiRoutes } from '../../functions/routes';
import type { HttpClient, HttpMethod } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/local-stack';
import { type ConsentEvent, type Contact, expectError, type ImportResult, type Page } from './helpers/api';

let stack: TestStack;
let tenantA: HttpClient;
let tenantB: HttpClient;
let contactOfA: Contact;
let snapshotOfA: { contacts: Contact[]; consent: Page<ConsentEvent>; vip: Page<Contact> };

async function snapshot(api: HttpClient, contactId: string) {
  return {
    contacts: (await api.get<Page<Contact>>('/v1/contacts')).body.items,
    consent: (await api.get<Page<ConsentEvent>>(`/v1/contacts/${contactId}/consent`)).body,
    vip: (await api.get<Page<Contact>>('/v1/contacts', { query: { tag: 'vip' } })).body,
  };
}

beforeAll(async () => {
  stack = await startTestStack();
  tenantA = await stack.clientFor('isolation-a');
  tenantB = await stack.clientFor('isolation-b');
  const created = await tenantA.post<Contact>('/v1/contacts', {
    phone: '+12127365000',
    firstName: 'Private',
    tags: ['vip'],
    customFields: { secret: 'of A' },
    smsConsent: 'opted_in',
  });
  expect(created.status).toBe(201);
  contactOfA = created.body;
  await tenantA.post('/v1/contacts', { phone: '+13122345678', tags: ['vip'] });
  snapshotOfA = await snapshot(tenantA, contactOfA.id);
});

afterAll(async () => stack.stop());

describe("another tenant's contact", () => {
  const attempts: [HttpMethod, string, (id: string) => string, unknown][] = [
    ['GET', '/v1/contacts/{id}', (id) => `/v1/contacts/${id}`, undefined],
    ['PATCH', '/v1/contacts/{id}', (id) => `/v1/contacts/${id}`, { firstName: 'Hijacked', smsConsent: 'opted_out' }],
    ['DELETE', '/v1/contacts/{id}', (id) => `/v1/contacts/${id}`, undefined],
    ['GET', '/v1/contacts/{id}/consent', (id) => `/v1/contacts/${id}/consent`, undefined],
    ['GET', '/v1/contacts/{id}/messages', (id) => `/v1/contacts/${id}/messages`, undefined],
    ['POST', '/v1/contacts/{id}/tags', (id) => `/v1/contacts/${id}/tags`, { tags: ['stolen'] }],
    ['DELETE', '/v1/contacts/{id}/tags/{tag}', (id) => `/v1/contacts/${id}/tags/vip`, undefined],
  ];

  it('covers every contacts route that takes a contact id', () => {
    // Arrange
    const byId = apiRoutes
      .filter((route) => route.path.startsWith('/v1/contacts/{id}'))
      .map((r) => `${r.method} ${r.path}`);

    // Act
    const covered = attempts.map(([method, template]) => `${method} ${template}`);

    // Assert
    expect(covered.sort()).toEqual(byId.sort());
  });

  it.each(attempts)('is a 404 for %s %s, revealing nothing', async (method, _template, path, body) => {
    // Act
    const response = await tenantB.request(method, path(contactOfA.id), { body });

    // Assert
    const error = expectError(response, 404, 'CONTACT.NOT_FOUND');
    const text = JSON.stringify(response.body);
    expect(text).not.toContain('Private');
    expect(text).not.toContain('+12127365000');
    expect(error.details).toEqual([]);
  });

  it("never shows A's contacts in B's lists, with or without a tag", async () => {
    // Act
    const all = await tenantB.get<Page<Contact>>('/v1/contacts', { query: { limit: 500 } });
    const vip = await tenantB.get<Page<Contact>>('/v1/contacts', { query: { tag: 'vip' } });

    // Assert
    expect(all.body).toEqual({ items: [], nextCursor: null });
    expect(vip.body).toEqual({ items: [], nextCursor: null });
  });

  it("refuses A's list cursor to B with a 400 instead of A's data", async () => {
    // Arrange
    const pageOfA = await tenantA.get<Page<Contact>>('/v1/contacts', { query: { limit: 1 } });

    // Act
    const response = await tenantB.get('/v1/contacts', { query: { limit: 1, cursor: pageOfA.body.nextCursor ?? '' } });

    // Assert
    expect(pageOfA.body.nextCursor).toEqual(expect.any(String));
    const error = expectError(response, 400);
    expect(error.details.map((d) => d.path)).toContain('cursor');
  });

  it("lets B hold A's phone as its own contact without touching A's", async () => {
    // Act
    const created = await tenantB.post<Contact>('/v1/contacts', { phone: '212-736-5000', firstName: 'Mine' });
    const imported = await tenantB.post<ImportResult>('/v1/contacts/import', {
      contacts: [{ phone: '+13122345678', tags: ['vip'] }],
    });

    // Assert
    expect(created.status).toBe(201);
    expect(created.body.id).not.toBe(contactOfA.id);
    expect(imported.body).toEqual({ created: 1, updated: 0, rejected: [] });
  });

  it("leaves A's data exactly as it was after all of B's attempts", async () => {
    // Arrange: every attempt of B, run again here so this test does not depend on test order
    for (const [method, , path, body] of attempts) await tenantB.request(method, path(contactOfA.id), { body });

    // Act
    const after = await snapshot(tenantA, contactOfA.id);

    // Assert
    expect(after).toEqual(snapshotOfA);
    expect(after.contacts.find((c) => c.id === contactOfA.id)).toMatchObject({
      firstName: 'Private',
      tags: ['vip'],
      smsConsent: { status: 'opted_in' },
    });
  });
});
