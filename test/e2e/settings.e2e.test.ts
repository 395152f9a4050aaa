import { apiRoutes } from '../../functions/routes';
import { startTestStack, type TestStack } from '../support/local-stack';
import { type Contact, expectError, type Settings } from './helpers/api';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => stack.stop());

describe('settings over HTTP', () => {
  let tenants = 0;
  const newTenant = () => stack.clientFor(`settings-${++tenants}`);

  it('answers the contract defaults to a tenant that never saved settings', async () => {
    // Arrange
    const api = await newTenant();

    // Act
    const response = await api.get<Settings>('/v1/settings');

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      defaultCountry: 'US',
      sendWindow: { start: '10:00', end: '17:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] },
      autoAppendOptOut: true,
      optOutText: 'Reply STOP to unsubscribe',
      frequencyCap: { maxMessages: 1, perHours: 24 },
      marketingRequiresOptIn: true,
      maxSegments: 10,
      // Issue 16: no carrier daily cap, budgets in USD at the price table's prices, no monthly budget.
      carrierDailyCap: null,
      currency: 'USD',
      monthlyBudget: null,
      pricePerSegment: {},
      trackLinks: false,
      shortLinkDomain: null,
      linkRetentionDays: 90,
    });
    expect(Object.keys(response.body).sort()).toEqual(
      [
        'autoAppendOptOut',
        'businessName',
        'carrierDailyCap',
        'currency',
        'monthlyBudget',
        'pricePerSegment',
        'defaultCountry',
        'defaultTimeZone',
        'frequencyCap',
        'helpText',
        'linkRetentionDays',
        'marketingRequiresOptIn',
        'maxSegments',
        'mps',
        'optOutText',
        'originationIdentity',
        'sendWindow',
        'shortLinkDomain',
        'trackLinks',
      ].sort(),
    );
  });

  it('applies a partial PATCH, keeps what it does not name, and keeps it for the next GET', async () => {
    // Arrange
    const api = await newTenant();
    const before = (await api.get<Settings>('/v1/settings')).body;

    // Act
    const patched = await api.patch<Settings>('/v1/settings', {
      businessName: 'Acme Dental',
      sendWindow: { start: '08:00', end: '21:00' },
      frequencyCap: { perHours: 48 },
      mps: 5,
    });
    const reread = await api.get<Settings>('/v1/settings');

    // Assert
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({
      ...before,
      businessName: 'Acme Dental',
      sendWindow: { ...before.sendWindow, start: '08:00', end: '21:00' },
      frequencyCap: { maxMessages: 1, perHours: 48 },
      mps: 5,
    });
    expect(reread.body).toEqual(patched.body);
  });

  it('keeps one tenant settings away from another tenant', async () => {
    // Arrange
    const first = await newTenant();
    const second = await newTenant();
    await first.patch('/v1/settings', { businessName: 'First Co' });

    // Act
    const response = await second.get<Settings>('/v1/settings');

    // Assert
    expect(response.body.businessName).toBeNull();
  });

  it.each([
    ['starts before 08:00', 'sendWindow.start', { start: '07:30' }],
    ['ends after 21:00', 'sendWindow.end', { end: '21:30' }],
    ['ends before it starts', 'sendWindow.end', { start: '16:00', end: '09:00' }],
  ])('refuses a send window that %s with a 400 naming %s, and changes nothing', async (_label, path, sendWindow) => {
    // Arrange
    const api = await newTenant();
    const before = (await api.get<Settings>('/v1/settings')).body;

    // Act
    const response = await api.patch('/v1/settings', { sendWindow, businessName: 'Not saved' });

    // Assert
    const error = expectError(response, 400);
    expect(error.details.map((d) => d.path)).toContain(path);
    expect((await api.get<Settings>('/v1/settings')).body).toEqual(before);
  });

  it('names both ends of a window wider on both sides', async () => {
    // Arrange
    const api = await newTenant();

    // Act
    const response = await api.patch('/v1/settings', { sendWindow: { start: '06:00', end: '23:00' } });

    // Assert
    const error = expectError(response, 400);
    expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['sendWindow.start', 'sendWindow.end']));
  });

  it.each([
    ['an opt-out text without an opt-out word', 'optOutText', { optOutText: 'Thanks for being with us' }],
    ['an unknown time zone', 'defaultTimeZone', { defaultTimeZone: 'Mars/Olympus' }],
    ['an unknown country', 'defaultCountry', { defaultCountry: 'XX' }],
    ['a window day that does not exist', 'sendWindow.days.0', { sendWindow: { days: ['FUNDAY'] } }],
    ['a wrong type', 'autoAppendOptOut', { autoAppendOptOut: 'yes' }],
  ])('refuses %s with a 400 naming %s', async (_label, path, patch) => {
    // Arrange
    const api = await newTenant();

    // Act
    const response = await api.patch('/v1/settings', patch);

    // Assert
    const error = expectError(response, 400);
    expect(error.details.map((d) => d.path)).toContain(path);
  });

  it('refuses an unknown settings field with a 400 that names it', async () => {
    // Arrange
    const api = await newTenant();

    // Act
    const response = await api.patch('/v1/settings', { quietHours: true });

    // Assert
    const error = expectError(response, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(error.details)).toContain('quietHours');
  });

  it('refuses a price key that is not an ISO 3166-1 alpha-2 region (UK), naming it and suggesting GB; keeps what was there', async () => {
    // Arrange
    const api = await newTenant();
    expect((await api.patch('/v1/settings', { pricePerSegment: { GB: 0.04 } })).status).toBe(200);

    // Act
    const response = await api.patch('/v1/settings', { pricePerSegment: { UK: 0.05, US: 0.01 } });

    // Assert
    const error = expectError(response, 400, 'VALIDATION_FAILED');
    expect(error.details).toEqual([
      { path: 'pricePerSegment.UK', message: expect.stringContaining('did you mean GB?') },
    ]);
    expect((await api.get<Settings>('/v1/settings')).body.pricePerSegment).toEqual({ GB: 0.04 });
  });

  it('parses contact phones with the tenant default country and uses its default zone', async () => {
    // Arrange
    const api = await newTenant();
    await api.patch('/v1/settings', { defaultCountry: 'GB', defaultTimeZone: 'Europe/London' });

    // Act
    const response = await api.post<Contact>('/v1/contacts', { phone: '020 7946 0018' });

    // Assert
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ phone: '+442079460018', timeZone: 'Europe/London' });
  });

  it('answers 401 to settings calls without a token', async () => {
    // Act
    const read = await stack.anonymous.get('/v1/settings');
    const write = await stack.anonymous.patch('/v1/settings', { businessName: 'Intruder' });

    // Assert
    expectError(read, 401);
    expectError(write, 401);
  });
});

describe('the OpenAPI document over HTTP', () => {
  it('serves an OpenAPI 3.1 document without a token that describes every route of the route table', async () => {
    // Act
    const response = await stack.anonymous.get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      '/v1/openapi.json',
    );

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\.1\./);
    const documented = Object.entries(response.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented).toEqual(expect.arrayContaining(apiRoutes.map((route) => `${route.method} ${route.path}`)));
  });
});
