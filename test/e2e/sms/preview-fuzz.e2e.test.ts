import fc from 'fast-check';
import { audiencePreviewResponse } from '../../../functions/audiences/audiences.schema';
import { smsPreviewResponse } from '../../../functions/sms-preview/sms-preview.schema';
import type { SmartList } from '../../../shared/domain/smart-lists/smart-list.schema';
import { countSegments } from '../../../shared/domain/sms';
import type { HttpClient, HttpResponse } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { filterInputArb } from '../../unit/audience/audience-arbitraries';
import type { Contact, ErrorBody, ImportResult } from '../helpers/api';

/** Fixed seed: the same bodies on every run. Set FUZZ_SEED to explore others. */
const seed = Number(process.env.FUZZ_SEED ?? 20261126);

let stack: TestStack;
let api: HttpClient;
let ownContactId: string;
let ownListId: string;
let foreignContactId: string;
let foreignListId: string;
let bodiesSent = 0;

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.clientFor('preview-fuzz');
  const other = await stack.clientFor('preview-fuzz-other');
  const rows = Array.from({ length: 15 }, (_, i) => ({
    phone: `+1312600${String(i).padStart(4, '0')}`,
    firstName: i % 3 === 0 ? null : `Name${'e'.repeat(i * 5)}`,
    tags: [['vip'], ['lead'], ['vip', 'a b'], []][i % 4],
    customFields: { plan: i % 2 ? 'gold' : 'free', score: i },
    ...(i % 2 ? { smsConsent: 'opted_in' } : {}),
  }));
  const imported = await api.post<ImportResult>('/v1/contacts/import', { contacts: rows });
  expect(imported.body).toMatchObject({ created: 15, rejected: [] });
  const contact = await api.post<Contact>('/v1/contacts', { phone: '+13126009999', firstName: 'Own' });
  ownContactId = contact.body.id;
  const list = await api.post<SmartList>('/v1/smart-lists', {
    name: 'vip',
    filter: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] },
  });
  ownListId = list.body.id;
  foreignContactId = (await other.post<Contact>('/v1/contacts', { phone: '+13126009998' })).body.id;
  foreignListId = (await other.post<SmartList>('/v1/smart-lists', { name: 'theirs', filter: { all: [] } })).body.id;
});

afterAll(async () => stack.stop());

// ---- arbitraries ----------------------------------------------------------------------------

const anyJson = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<unknown>;
const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom('', ' ', '__proto__', 'constructor', '\u0000', '\n', 'x'.repeat(300), '💬'.repeat(40), '#', 'T#x#'),
);
/** Left out most of the time: a stray key makes the whole body a 400, which would hide everything else. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const sometimes = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
/** Drops the keys whose value is undefined, so "left out" is really left out of the JSON. */
const defined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/** Every object or array inside a JSON value, with the path to it. */
function containers(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const inner = Object.entries(value).flatMap(([key, child]) =>
    containers(child, [...path, Array.isArray(value) ? Number(key) : key]),
  );
  return [path, ...inner];
}

/**
 * A valid body broken in one place: somewhere inside it a value is replaced by junk, a key is dropped, or a stranger
 * key is added. Most of these must be refused with a 400 that points into the body.
 */
function nearly(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), fc.nat(), fc.oneof(anyJson, hostileString as fc.Arbitrary<unknown>), fc.nat(2))
    .map(([value, where, which, junk, how]) => {
      const copy = structuredClone(value);
      const paths = containers(copy);
      if (paths.length === 0) return junk;
      const path = paths[where % paths.length]!;
      const target = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], copy) as Record<
        string,
        unknown
      >;
      const keys = Object.keys(target);
      if (how === 2 || keys.length === 0) target[typeof junk === 'string' && junk ? junk : 'extra'] = junk;
      else if (how === 1) delete target[keys[which % keys.length]!];
      else target[keys[which % keys.length]!] = junk;
      return copy;
    });
}

const validTag = fc.constantFrom('vip', 'lead', 'a b', ' vip ', 'VIP', 'nobody');
const validTagList = fc.uniqueArray(validTag, { maxLength: 3 });
const validTagGroup = fc
  .record({ any: sometimes(validTagList), all: sometimes(validTagList), none: sometimes(validTagList) })
  .map(defined)
  .filter((group) => Object.values(group).some((tags) => (tags as string[]).length > 0));
/** Beyond the limits: too deep, too many conditions, too many groups, too many tags. */
const oversized = fc.constantFrom<unknown>(
  {
    filter: Array.from({ length: 8 }).reduce<unknown>((inner) => ({ all: [inner] }), { field: 'tags', op: 'exists' }),
  },
  { filter: { any: Array.from({ length: 60 }, () => ({ field: 'tags', op: 'contains', value: 'vip' })) } },
  { filter: { all: Array.from({ length: 25 }, () => ({ any: [{ field: 'tags', op: 'exists' }] })) } },
  { tags: { any: Array.from({ length: 51 }, (_, i) => `t${i}`) } },
);
const validAudience: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ tags: validTagGroup }) },
  { weight: 4, arbitrary: fc.record({ filter: filterInputArb }) },
  {
    weight: 2,
    arbitrary: fc.record({ smartListId: fc.constantFrom('own', 'own', 'foreign', 'missing-list', ' own ') }),
  },
);
const audience: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: validAudience },
  { weight: 5, arbitrary: nearly(validAudience) },
  { weight: 1, arbitrary: oversized },
  { weight: 1, arbitrary: anyJson },
);
const messageType = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('PROMOTIONAL', 'TRANSACTIONAL') as fc.Arbitrary<unknown> },
  { weight: 1, arbitrary: anyJson },
);

const goodPiece = fc.constantFrom(
  'Acme: hi ',
  '{{contact.first_name}}',
  '{{contact.last_name}}',
  '{{ contact.plan }}',
  '{{contact.score}}',
  '{{contact.first_name | default: "there"}}',
  "{{contact.nickname | default: 'pal'}}",
  '{{contact.constructor | default: "x"}}',
  ' Reply STOP to opt out',
  ' Text END',
  ' bit.ly/x',
  ' 🎉',
  ' €[]',
  ' “quoted”',
  ' FREE SHIPPING TODAY',
  ' call 312-555-0100',
  'a'.repeat(150),
  '\n',
);
const badPiece = fc.constantFrom(
  '{{contact.nickname}}',
  '{{contact.__proto__}}',
  '{{contact.toString}}',
  '{{',
  '}}',
  '{{contact.}}',
  '{{ first_name }}',
  '{{contact.first_name | default: there}}',
);
const templatePiece = fc.oneof(
  { weight: 12, arbitrary: goodPiece },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: badPiece },
);
const smsText = fc.oneof(
  { weight: 12, arbitrary: fc.array(templatePiece, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x'.repeat(1600), 'x'.repeat(1601), '€'.repeat(900)) },
  { weight: 1, arbitrary: anyJson },
);
const contactId = fc.oneof(
  { weight: 4, arbitrary: fc.constant('own') },
  { weight: 1, arbitrary: fc.constantFrom('foreign', '01JNOSUCHCONTACT', 'x'.repeat(65)) },
  { weight: 1, arbitrary: hostileString as fc.Arbitrary<unknown> },
  { weight: 1, arbitrary: anyJson },
);

/** Stand-ins for ids only known once the stack runs. */
function withIds(value: unknown, kind: 'contact' | 'list'): unknown {
  const own = kind === 'contact' ? ownContactId : ownListId;
  if (value === 'own') return own;
  if (value === ' own ') return ` ${own} `;
  if (value === 'foreign') return kind === 'contact' ? foreignContactId : foreignListId;
  return value;
}
function resolveAudienceIds(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('smartListId' in value)) return value;
  return { ...value, smartListId: withIds((value as { smartListId: unknown }).smartListId, 'list') };
}

const audiencePreviewBody = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .record({ audience, messageType: sometimes(messageType), extra: rarely(anyJson) })
      .map((body) => defined({ ...body, audience: resolveAudienceIds(body.audience) })),
  },
  { weight: 1, arbitrary: anyJson },
);
const smsPreviewBody = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .record({
        body: smsText,
        target: fc.constantFrom('none', 'contact', 'audience', 'audience', 'both'),
        contactId,
        audience,
        messageType: sometimes(messageType),
        applyReplacements: sometimes(
          fc.oneof({ weight: 5, arbitrary: fc.boolean() }, { weight: 1, arbitrary: anyJson }),
        ),
        extra: rarely(anyJson),
      })
      .map(({ target, contactId: id, audience: chosen, ...body }) =>
        defined({
          ...body,
          contactId: target === 'contact' || target === 'both' ? withIds(id, 'contact') : undefined,
          audience: target === 'audience' || target === 'both' ? resolveAudienceIds(chosen) : undefined,
        }),
      ),
  },
  { weight: 1, arbitrary: anyJson },
);
type Body = { raw: string } | { json: unknown };
const rawText = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('{', '{"audience":', '[1,', 'nul', '{"a":1}}'));
const bodyOf = (json: fc.Arbitrary<unknown>): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 20, arbitrary: json.map((value): Body => ({ json: value })) },
    { weight: 1, arbitrary: rawText.map((raw): Body => ({ raw })) },
  );

// ---- the oracle -----------------------------------------------------------------------------

async function send(path: string, body: Body): Promise<HttpResponse<unknown>> {
  bodiesSent += 1;
  const response = await api.request('POST', path, 'raw' in body ? { rawBody: body.raw } : { body: body.json });
  if (response.status >= 500) {
    throw new Error(`${path} answered ${response.status} for ${JSON.stringify(body).slice(0, 500)}`);
  }
  return response;
}

function expectStatusIn(response: HttpResponse<unknown>, allowed: number[], body: Body): void {
  if (!allowed.includes(response.status)) {
    throw new Error(
      `unexpected ${response.status} ${JSON.stringify(response.body)} for ${JSON.stringify(body).slice(0, 500)}`,
    );
  }
}

/** Every refusal carries the contract's error body: a code, a human message, details and a request id. */
function expectContractError(response: HttpResponse<unknown>, body: Body): void {
  const { error, requestId } = (response.body ?? {}) as Partial<ErrorBody>;
  const ok =
    typeof requestId === 'string' &&
    typeof error?.code === 'string' &&
    error.code.length > 0 &&
    typeof error.message === 'string' &&
    error.message.length > 0 &&
    Array.isArray(error.details) &&
    error.details.every((d) => typeof d.path === 'string' && typeof d.message === 'string');
  if (!ok) {
    throw new Error(
      `${response.status} without the error body: ${JSON.stringify(response.body)} for ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
  if (response.status === 400 && error!.details.length === 0) {
    throw new Error(`400 without details: ${JSON.stringify(response.body)}`);
  }
}

// ---- the properties -------------------------------------------------------------------------

describe('fuzzing the preview endpoints', () => {
  it('POST /v1/audiences/preview never answers 5xx, and every refusal is a contract error', async () => {
    await fc.assert(
      fc.asyncProperty(bodyOf(audiencePreviewBody), async (body) => {
        const response = await send('/v1/audiences/preview', body);
        expectStatusIn(response, [200, 400, 404], body);
        if (response.status !== 200) {
          expectContractError(response, body);
          return;
        }
        const preview = audiencePreviewResponse.parse(response.body);
        const excluded = Object.values(preview.excluded).reduce((sum, n) => sum + n, 0);
        expect(preview.eligible + excluded).toBe(preview.matched);
        expect(preview.sample.length).toBeLessThanOrEqual(Math.min(10, preview.eligible));
        expect(preview.matched).toBeLessThanOrEqual(16);
      }),
      { numRuns: 520, seed },
    );
  });

  it('POST /v1/sms/preview never answers 5xx, and every refusal is a contract error', async () => {
    await fc.assert(
      fc.asyncProperty(bodyOf(smsPreviewBody), async (body) => {
        const response = await send('/v1/sms/preview', body);
        expectStatusIn(response, [200, 400, 404, 422], body);
        if (response.status !== 200) {
          expectContractError(response, body);
          return;
        }
        const preview = smsPreviewResponse.parse(response.body);
        const sent = (body as { json: { audience?: unknown } }).json;
        expect(preview.worstCase !== undefined).toBe(sent.audience !== undefined);
        expect(preview.segments).toBe(countSegments(preview.finalBody));
      }),
      { numRuns: 520, seed },
    );
  });

  it('sent at least 1,000 random bodies across the two endpoints', () => {
    expect(bodiesSent).toBeGreaterThanOrEqual(1000);
  });
});
