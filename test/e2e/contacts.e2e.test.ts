import { contactResponse } from '../../functions/contacts/contacts.schema';
import type { HttpClient } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/local-stack';
import { type ConsentEvent, type Contact, type ImportResult, ISO_UTC, type Page } from './helpers/api';

let stack: TestStack;
let tenants = 0;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => stack.stop());

/** A fresh tenant whose default zone is Denver, so a fallback to it cannot be mistaken for an inference. */
async function newTenant(): Promise<HttpClient> {
  const api = await stack.clientFor(`contacts-${++tenants}`);
  const settings = await api.patch('/v1/settings', { defaultTimeZone: 'America/Denver' });
  expect(settings.status).toBe(200);
  return api;
}

async function create(api: HttpClient, body: Record<string, unknown>): Promise<Contact> {
  const response = await api.post<Contact>('/v1/contacts', body);
  expect(response.status).toBe(201);
  return response.body;
}

describe('POST /v1/contacts', () => {
  it('answers 201 with the contract contact: E.164 phone, zone inferred from the area code, timestamps', async () => {
    // Arrange
    const api = await newTenant();

    // Act
    const response = await api.post<Contact>('/v1/contacts', {
      phone: '(212) 736-5000',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      tags: ['vip', 'lead', 'vip'],
      customFields: { plan: 'gold', visits: 3, member: true },
      smsConsent: 'opted_in',
    });

    // Assert
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toContain('application/json');
    expect(() => contactResponse.parse(response.body)).not.toThrow();
    const contact = response.body;
    expect(contact).toEqual({
      id: expect.any(String),
      phone: '+12127365000',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      tags: ['lead', 'vip'],
      timeZone: 'America/New_York',
      customFields: { plan: 'gold', visits: 3, member: true },
      smsConsent: { status: 'opted_in', source: 'api', at: expect.stringMatching(ISO_UTC) },
      createdAt: expect.stringMatching(ISO_UTC),
      updatedAt: contact.createdAt,
    });
    expect(contact.id.length).toBeGreaterThan(0);
  });

  it('fills the optional fields with null, no tags, no custom fields and unknown consent', async () => {
    // Arrange
    const api = await newTenant();

    // Act
    const contact = await create(api, { phone: '+1 312 234 5678' });

    // Assert
    expect(contact).toMatchObject({
      phone: '+13122345678',
      firstName: null,
      lastName: null,
      email: null,
      tags: [],
      customFields: {},
      timeZone: 'America/Chicago',
      smsConsent: { status: 'unknown', source: 'api' },
    });
  });

  it.each([
    ['a toll-free number', '+1 800 234 5678'],
    ['a number of a country with several clocks', '+61 2 1234 5678'],
  ])('gives %s, whose zone cannot be inferred, the tenant default zone', async (_label, phone) => {
    // Arrange
    const api = await newTenant();

    // Act
    const contact = await create(api, { phone });

    // Assert
    expect(contact.timeZone).toBe('America/Denver');
  });

  it.each([
    ['+44 20 7946 0018', 'Europe/London'],
    ['+33 1 42 68 53 00', 'Europe/Paris'],
    ['+49 30 901820', 'Europe/Berlin'],
  ])('gives a number abroad (%s) the zone of its country when the country keeps one clock', async (phone, zone) => {
    // Arrange
    const api = await newTenant();

    // Act
    const contact = await create(api, { phone });

    // Assert
    expect(contact.timeZone).toBe(zone);
  });

  it('keeps a time zone given in the body', async () => {
    // Arrange
    const api = await newTenant();

    // Act
    const contact = await create(api, { phone: '2127365000', timeZone: 'Europe/Paris' });

    // Assert
    expect(contact.timeZone).toBe('Europe/Paris');
  });
});

describe('GET /v1/contacts/{id}', () => {
  it('answers the stored contact', async () => {
    // Arrange
    const api = await newTenant();
    const created = await create(api, { phone: '+12127365000', firstName: 'Grace' });

    // Act
    const response = await api.get<Contact>(`/v1/contacts/${created.id}`);

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
  });
});

describe('GET /v1/contacts', () => {
  it('pages through the contacts with limit and cursor', async () => {
    // Arrange
    const api = await newTenant();
    const created = [];
    for (const phone of ['+12127365000', '+13122345678', '+14254147755']) created.push(await create(api, { phone }));

    // Act
    const first = await api.get<Page<Contact>>('/v1/contacts', { query: { limit: 2 } });
    const second = await api.get<Page<Contact>>('/v1/contacts', {
      query: { limit: 2, cursor: first.body.nextCursor ?? '' },
    });

    // Assert
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(typeof first.body.nextCursor).toBe('string');
    expect(second.body).toEqual({ items: [expect.any(Object)], nextCursor: null });
    const listed = [...first.body.items, ...second.body.items].map((c) => c.id).sort();
    expect(listed).toEqual(created.map((c) => c.id).sort());
  });

  it('lists only the contacts carrying a tag when asked for one', async () => {
    // Arrange
    const api = await newTenant();
    const vip = await create(api, { phone: '+12127365000', tags: ['vip'] });
    await create(api, { phone: '+13122345678', tags: ['lead'] });

    // Act
    const response = await api.get<Page<Contact>>('/v1/contacts', { query: { tag: 'vip' } });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [vip], nextCursor: null });
  });

  it('answers an empty page to a tenant without contacts', async () => {
    // Arrange
    const api = await newTenant();

    // Act
    const response = await api.get<Page<Contact>>('/v1/contacts');

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [], nextCursor: null });
  });
});

describe('PATCH /v1/contacts/{id}', () => {
  it('changes the given fields, clears nulls, removes null custom fields and re-infers the zone of a new phone', async () => {
    // Arrange
    const api = await newTenant();
    const created = await create(api, {
      phone: '+12127365000',
      firstName: 'Ada',
      email: 'ada@example.com',
      customFields: { plan: 'gold', visits: 3 },
    });

    // Act
    const response = await api.patch<Contact>(`/v1/contacts/${created.id}`, {
      phone: '(312) 234-5678',
      lastName: 'Byron',
      email: null,
      customFields: { plan: null, city: 'Chicago' },
    });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ...created,
      phone: '+13122345678',
      lastName: 'Byron',
      email: null,
      timeZone: 'America/Chicago',
      customFields: { visits: 3, city: 'Chicago' },
      updatedAt: expect.stringMatching(ISO_UTC),
    });
    expect((await api.get(`/v1/contacts/${created.id}`)).body).toEqual(response.body);
  });

  it('records opt-out and opt-in requested through the API in the consent history', async () => {
    // Arrange
    const api = await newTenant();
    const created = await create(api, { phone: '+12127365000', smsConsent: 'opted_in' });

    // Act
    const optedOut = await api.patch<Contact>(`/v1/contacts/${created.id}`, { smsConsent: 'opted_out' });
    const optedIn = await api.patch<Contact>(`/v1/contacts/${created.id}`, { smsConsent: 'opted_in' });
    const history = await api.get<Page<ConsentEvent>>(`/v1/contacts/${created.id}/consent`);

    // Assert
    expect(optedOut.body.smsConsent).toMatchObject({ status: 'opted_out', source: 'api' });
    expect(optedIn.body.smsConsent).toMatchObject({ status: 'opted_in', source: 'api' });
    expect(history.status).toBe(200);
    expect(history.body).toEqual({
      items: [
        { status: 'opted_in', source: 'api', at: created.smsConsent.at },
        { status: 'opted_out', source: 'api', at: optedOut.body.smsConsent.at },
        { status: 'opted_in', source: 'api', at: optedIn.body.smsConsent.at },
      ],
      nextCursor: null,
    });
  });
});

describe('tags', () => {
  it('adds tags with POST /v1/contacts/{id}/tags and lists the contact under them', async () => {
    // Arrange
    const api = await newTenant();
    const created = await create(api, { phone: '+12127365000', tags: ['lead'] });

    // Act
    const response = await api.post<Contact>(`/v1/contacts/${created.id}/tags`, { tags: ['vip', 'spring sale'] });
    const listed = await api.get<Page<Contact>>('/v1/contacts', { query: { tag: 'spring sale' } });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.tags).toEqual(['lead', 'spring sale', 'vip']);
    expect(listed.body.items.map((c) => c.id)).toEqual([created.id]);
  });

  it('removes a tag with DELETE /v1/contacts/{id}/tags/{tag}, also one that needs URL encoding', async () => {
    // Arrange
    const api = await newTenant();
    const created = await create(api, { phone: '+12127365000', tags: ['lead', 'spring sale'] });

    // Act
    const response = await api.delete<Contact>(`/v1/contacts/${created.id}/tags/${encodeURIComponent('spring sale')}`);
    const listed = await api.get<Page<Contact>>('/v1/contacts', { query: { tag: 'spring sale' } });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.tags).toEqual(['lead']);
    expect(listed.body.items).toEqual([]);
  });

  it('treats adding a tag the contact has, or removing one it lacks, as a no-op', async () => {
    // Arrange
    const api = await newTenant();
    const created = await create(api, { phone: '+12127365000', tags: ['lead'] });

    // Act
    const added = await api.post<Contact>(`/v1/contacts/${created.id}/tags`, { tags: ['lead'] });
    const removed = await api.delete<Contact>(`/v1/contacts/${created.id}/tags/never-had-it`);

    // Assert
    expect(added.status).toBe(200);
    expect(added.body).toEqual(created);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual(created);
  });
});

describe('DELETE /v1/contacts/{id}', () => {
  it('answers 204 without a body, after which the contact is gone', async () => {
    // Arrange
    const api = await newTenant();
    const created = await create(api, { phone: '+12127365000' });

    // Act
    const response = await api.delete(`/v1/contacts/${created.id}`);

    // Assert
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    expect((await api.get(`/v1/contacts/${created.id}`)).status).toBe(404);
    expect((await api.get<Page<Contact>>('/v1/contacts')).body.items).toEqual([]);
  });

  it('keeps an opt-out: the number comes back opted out when it is created again', async () => {
    // Arrange
    const api = await newTenant();
    const created = await create(api, { phone: '+12127365000', smsConsent: 'opted_in' });
    await api.patch(`/v1/contacts/${created.id}`, { smsConsent: 'opted_out' });
    await api.delete(`/v1/contacts/${created.id}`);

    // Act
    const again = await create(api, { phone: '212-736-5000', smsConsent: 'opted_in' });

    // Assert
    expect(again.smsConsent).toMatchObject({ status: 'opted_out', source: 'suppression_list' });
  });
});

describe('POST /v1/contacts/import', () => {
  it('answers created, updated and the rejected rows by index', async () => {
    // Arrange
    const api = await newTenant();
    const existing = await create(api, { phone: '+12127365000', tags: ['customer'] });

    // Act
    const response = await api.post<ImportResult>('/v1/contacts/import', {
      contacts: [
        { phone: '212 736 5000', firstName: 'Known', tags: ['imported'] },
        { phone: '+13122345678', firstName: 'New' },
        { phone: 'not a phone' },
        { phone: '+14254147755', email: 'nope' },
        { phone: '312-234-5678', lastName: 'Again' },
      ],
    });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      created: 1,
      updated: 2,
      rejected: [
        { index: 2, error: expect.objectContaining({ details: [expect.objectContaining({ path: 'phone' })] }) },
        { index: 3, error: expect.objectContaining({ details: [expect.objectContaining({ path: 'email' })] }) },
      ],
    });
    const known = await api.get<Contact>(`/v1/contacts/${existing.id}`);
    expect(known.body).toMatchObject({ firstName: 'Known', tags: ['customer', 'imported'] });
    const all = await api.get<Page<Contact>>('/v1/contacts');
    expect(all.body.items.map((c) => c.phone).sort()).toEqual(['+12127365000', '+13122345678']);
  });
});
