import fc from 'fast-check';
import { contactResponse, importResponse } from '../../functions/contacts/contacts.schema';
import type { HttpClient, HttpResponse } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/local-stack';
import type { Contact, ErrorBody } from './helpers/api';

/** Fixed seed: the same bodies on every run. Set FUZZ_SEED to explore others. */
const seed = Number(process.env.FUZZ_SEED ?? 20260302);

let stack: TestStack;
let api: HttpClient;
let target: Contact;
let bodiesSent = 0;

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.clientFor('fuzz');
  const created = await api.post<Contact>('/v1/contacts', { phone: '+12127365000', tags: ['seed'] });
  expect(created.status).toBe(201);
  target = created.body;
});

afterAll(async () => stack.stop());

const contactFields = ['phone', 'firstName', 'lastName', 'email', 'tags', 'timeZone', 'customFields', 'smsConsent'];

// ---- arbitraries ----------------------------------------------------------------------------

const anyJson = fc.jsonValue({ maxDepth: 3 });
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '__proto__',
    'constructor',
    '\u0000',
    '\n',
    'x'.repeat(5000),
    '💬'.repeat(70),
    '#',
    'T#other#C#1',
  ),
);
const randomKeysObject = fc.dictionary(
  fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...contactFields)),
  anyJson,
  {
    maxKeys: 6,
  },
);
const validPhone = fc
  .integer({ min: 0, max: 999_999 })
  .chain((n) =>
    fc.constantFrom(
      `+1312${2_000_000 + n}`,
      `(312) ${200 + Math.floor(n / 10_000)}-${String(n % 10_000).padStart(4, '0')}`,
      `312.${200 + Math.floor(n / 10_000)}.${String(n % 10_000).padStart(4, '0')}`,
    ),
  );
const customFieldName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,10}$/);
const validContact = fc.record(
  {
    phone: validPhone,
    firstName: fc.option(fc.string({ maxLength: 30 }), { nil: null }),
    lastName: fc.option(fc.string({ maxLength: 30 }), { nil: null }),
    email: fc.option(fc.emailAddress(), { nil: null }),
    tags: fc.array(fc.stringMatching(/^[a-z][a-z0-9 -]{0,15}$/), { maxLength: 4 }),
    timeZone: fc.constantFrom('America/Chicago', 'Europe/Paris', 'UTC', 'Asia/Kolkata'),
    customFields: fc.dictionary(customFieldName, fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()), {
      maxKeys: 4,
    }),
    smsConsent: fc.constantFrom('opted_in', 'unknown'),
  },
  { requiredKeys: ['phone'] },
);
/** A valid contact with one field replaced by junk, removed, or a stranger key added. */
const nearValidContact = fc
  .tuple(validContact, fc.constantFrom(...contactFields), anyJson, hostileString, fc.nat(4))
  .map(([contact, field, junk, text, how]): unknown => {
    const body: Record<string, unknown> = { ...contact };
    if (how === 0) body[field] = junk;
    else if (how === 1) body[field] = text;
    else if (how === 2) delete body[field];
    else if (how === 3) body[text || 'extra'] = junk;
    return body;
  });
const contactBody = fc.oneof(
  { weight: 1, arbitrary: anyJson as fc.Arbitrary<unknown> },
  { weight: 1, arbitrary: randomKeysObject as fc.Arbitrary<unknown> },
  { weight: 1, arbitrary: validContact as fc.Arbitrary<unknown> },
  { weight: 4, arbitrary: nearValidContact },
);
/** Sent as raw text: usually malformed JSON. */
const rawText = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('{', '{"phone":', '[1,', 'nul', '{"a":1}}'));
type Body = { raw: string } | { json: unknown };
const bodyOf = (json: fc.Arbitrary<unknown>): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 9, arbitrary: json.map((value): Body => ({ json: value })) },
    { weight: 1, arbitrary: rawText.map((raw): Body => ({ raw })) },
  );

// ---- the oracle -----------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A detail names a field when its path starts with a field of the endpoint or a key that was sent.
 * `(body)` is the body as a whole: fine for a body that is no object or for a whole-body rule
 * ("must change at least one field"); for an unknown key it must at least quote the key (zod
 * reports unknown keys at the object's own path, so they arrive as `(body)` today).
 */
function namesAField(detail: { path: string; message: string }, body: Body, fields: string[]): boolean {
  if (typeof detail.path !== 'string' || detail.path === '') return false;
  const sent = 'json' in body ? body.json : undefined;
  if (detail.path === '(body)') {
    if (!isPlainObject(sent) || !/^Unrecognized keys?: /.test(detail.message)) return true;
    return Object.keys(sent).some((key) => !fields.includes(key) && detail.message.includes(`"${key}"`));
  }
  const first = detail.path.split('.')[0] ?? '';
  return fields.includes(first) || (isPlainObject(sent) && first in sent);
}

function checkError(response: HttpResponse<unknown>, body: Body, fields: string[]): void {
  const { error, requestId } = response.body as ErrorBody;
  expect(typeof requestId).toBe('string');
  expect(typeof error.code).toBe('string');
  expect(error.code.length).toBeGreaterThan(0);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(Array.isArray(error.details)).toBe(true);
  if (response.status === 400) {
    expect(error.details.length).toBeGreaterThan(0);
    for (const detail of error.details) {
      expect(typeof detail.message).toBe('string');
      if (!namesAField(detail, body, fields)) {
        throw new Error(
          `detail does not name a field: ${JSON.stringify(detail)} for ${JSON.stringify(body).slice(0, 300)}`,
        );
      }
    }
  }
}

async function send(method: 'POST' | 'PATCH', path: string, body: Body): Promise<HttpResponse<unknown>> {
  bodiesSent += 1;
  const response = await api.request(method, path, 'raw' in body ? { rawBody: body.raw } : { body: body.json });
  if (response.status >= 500) {
    throw new Error(`${method} ${path} answered ${response.status} for ${JSON.stringify(body).slice(0, 300)}`);
  }
  return response;
}

function expectStatusIn(response: HttpResponse<unknown>, allowed: number[], body: Body): void {
  if (!allowed.includes(response.status)) {
    throw new Error(
      `unexpected ${response.status} ${JSON.stringify(response.body)} for ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
}

// ---- the properties -------------------------------------------------------------------------

describe('fuzzing the contacts endpoints', () => {
  it('POST /v1/contacts never answers 5xx, and every refusal is a contract error naming a field', async () => {
    await fc.assert(
      fc.asyncProperty(bodyOf(contactBody), async (body) => {
        const response = await send('POST', '/v1/contacts', body);
        expectStatusIn(response, [201, 400, 409], body);
        if (response.status === 201) contactResponse.parse(response.body);
        else checkError(response, body, contactFields);
      }),
      { numRuns: 600, seed },
    );
  });

  it('PATCH /v1/contacts/{id} never answers 5xx, and every refusal is a contract error naming a field', async () => {
    const patchBody = fc.oneof(
      contactBody,
      fc.record(
        { customFields: fc.dictionary(fc.string({ maxLength: 8 }), fc.option(anyJson, { nil: null }), { maxKeys: 3 }) },
        { requiredKeys: [] },
      ) as fc.Arbitrary<unknown>,
      fc.record({ smsConsent: fc.oneof(fc.constantFrom('opted_in', 'opted_out'), anyJson) }) as fc.Arbitrary<unknown>,
    );
    await fc.assert(
      fc.asyncProperty(bodyOf(patchBody), async (body) => {
        const response = await send('PATCH', `/v1/contacts/${target.id}`, body);
        expectStatusIn(response, [200, 400, 409], body);
        if (response.status === 200) contactResponse.parse(response.body);
        else checkError(response, body, contactFields);
      }),
      { numRuns: 500, seed },
    );
  });

  it('POST /v1/contacts/import never answers 5xx, and accounts for every row', async () => {
    const importBody = fc.oneof(
      { weight: 1, arbitrary: anyJson as fc.Arbitrary<unknown> },
      { weight: 1, arbitrary: fc.record({ contacts: anyJson }) as fc.Arbitrary<unknown> },
      { weight: 4, arbitrary: fc.record({ contacts: fc.array(contactBody, { minLength: 1, maxLength: 5 }) }) },
    );
    await fc.assert(
      fc.asyncProperty(bodyOf(importBody), async (body) => {
        const response = await send('POST', '/v1/contacts/import', body);
        expectStatusIn(response, [200, 400], body);
        if (response.status !== 200) {
          checkError(response, body, ['contacts']);
          return;
        }
        const result = importResponse.parse(response.body);
        const rows = ((body as { json: { contacts: unknown[] } }).json.contacts ?? []).length;
        expect(result.created + result.updated + result.rejected.length).toBe(rows);
        for (const { index, error } of result.rejected) {
          expect(index).toBeGreaterThanOrEqual(0);
          expect(index).toBeLessThan(rows);
          const row = (body as { json: { contacts: unknown[] } }).json.contacts[index];
          expect(error.code.length).toBeGreaterThan(0);
          expect(error.details.length).toBeGreaterThan(0);
          for (const detail of error.details) {
            if (!namesAField(detail, { json: row }, contactFields)) {
              throw new Error(`row ${index}: detail does not name a field: ${JSON.stringify(detail)}`);
            }
          }
        }
      }),
      { numRuns: 300, seed },
    );
  });

  it('POST /v1/contacts/{id}/tags never answers 5xx, and every refusal is a contract error naming a field', async () => {
    const tagsBody = fc.oneof(
      anyJson,
      randomKeysObject as fc.Arbitrary<unknown>,
      fc.record({ tags: fc.array(fc.oneof(hostileString, anyJson as fc.Arbitrary<unknown>), { maxLength: 5 }) }),
      fc.record({ tags: fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 3 }) }),
    );
    await fc.assert(
      fc.asyncProperty(bodyOf(tagsBody as fc.Arbitrary<unknown>), async (body) => {
        const response = await send('POST', `/v1/contacts/${target.id}/tags`, body);
        expectStatusIn(response, [200, 400], body);
        if (response.status === 200) contactResponse.parse(response.body);
        else checkError(response, body, ['tags']);
      }),
      { numRuns: 600, seed },
    );
  });

  it('sent at least 2,000 random bodies across the four endpoints', () => {
    expect(bodiesSent).toBeGreaterThanOrEqual(2000);
  });
});
