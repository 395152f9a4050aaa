import { audiencePreviewResponse } from '../../../functions/audiences/audiences.schema';
import type { SmartList } from '../../../shared/domain/smart-lists/smart-list.schema';
import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { type Contact, expectError, type ImportResult, type Page } from '../helpers/api';

/** What the test loaded and changed: the model every preview is checked against. */
interface Known {
  id: string;
  phone: string;
  tags: Set<string>;
  consent: 'opted_in' | 'opted_out' | 'unknown';
  plan: 'gold' | 'free';
}

interface Case {
  name: string;
  audience: () => unknown;
  matches: (contact: Known) => boolean;
}

type Preview = {
  matched: number;
  eligible: number;
  excluded: { optedOut: number; noConsent: number; invalidPhone: number; frequencyCapped: number };
  sample: Contact[];
};

let stack: TestStack;
let api: HttpClient;
const known = new Map<string, Known>();
let newcomersList: SmartList;

const phoneOf = (i: number) => `+1312${3_000_000 + i}`;

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.clientFor('audience-preview');
});

afterAll(async () => stack.stop());

async function importRows(rows: unknown[]): Promise<void> {
  const response = await api.post<ImportResult>('/v1/contacts/import', { contacts: rows });
  expect(response.status).toBe(200);
  expect(response.body.rejected).toEqual([]);
  const listed = await api.get<Page<Contact>>('/v1/contacts', { query: { limit: 500 } });
  expect(listed.body.nextCursor).toBeNull();
  for (const contact of listed.body.items) {
    const entry = known.get(contact.phone);
    if (entry) entry.id = contact.id;
  }
}

const CASES: Case[] = [
  { name: 'any vip', audience: () => ({ tags: { any: ['vip'] } }), matches: (c) => c.tags.has('vip') },
  {
    name: 'all vip and lead',
    audience: () => ({ tags: { all: ['vip', 'lead'] } }),
    matches: (c) => c.tags.has('vip') && c.tags.has('lead'),
  },
  {
    name: 'any lead or new, none vip',
    audience: () => ({ tags: { any: ['lead', 'new'], none: ['vip'] } }),
    matches: (c) => (c.tags.has('lead') || c.tags.has('new')) && !c.tags.has('vip'),
  },
  { name: 'none new', audience: () => ({ tags: { none: ['new'] } }), matches: (c) => !c.tags.has('new') },
  {
    name: 'filter: lead, or gold and opted in',
    audience: () => ({
      filter: {
        any: [
          { field: 'tags', op: 'contains', value: 'lead' },
          {
            all: [
              { field: 'customFields.plan', op: 'eq', value: 'GOLD' },
              { field: 'smsConsent', op: 'eq', value: 'opted_in' },
            ],
          },
        ],
      },
    }),
    matches: (c) => c.tags.has('lead') || (c.plan === 'gold' && c.consent === 'opted_in'),
  },
  { name: 'everyone', audience: () => ({ filter: { all: [] } }), matches: () => true },
  { name: 'smart list: new', audience: () => ({ smartListId: newcomersList.id }), matches: (c) => c.tags.has('new') },
];

/** The counts the contract promises, computed from what the test knows it loaded. */
function expectedPreview(members: Known[], options: { requiresOptIn: boolean; messageType: string }) {
  let optedOut = 0;
  let noConsent = 0;
  const eligible = new Set<string>();
  for (const contact of members) {
    if (contact.consent === 'opted_out') optedOut++;
    else if (options.messageType === 'PROMOTIONAL' && options.requiresOptIn && contact.consent !== 'opted_in') {
      noConsent++;
    } else eligible.add(contact.id);
  }
  return { optedOut, noConsent, eligible };
}

async function expectExactPreviews(options: { requiresOptIn: boolean; messageType?: string }) {
  const messageType = options.messageType ?? 'PROMOTIONAL';
  for (const { name, audience, matches } of CASES) {
    const members = [...known.values()].filter(matches);
    const expected = expectedPreview(members, { requiresOptIn: options.requiresOptIn, messageType });
    const response = await api.post<Preview>('/v1/audiences/preview', {
      audience: audience(),
      ...(options.messageType ? { messageType } : {}),
    });
    expect({ name, status: response.status }).toEqual({ name, status: 200 });
    const preview = audiencePreviewResponse.parse(response.body);
    expect({ name, matched: preview.matched, eligible: preview.eligible, excluded: preview.excluded }).toEqual({
      name,
      matched: members.length,
      eligible: expected.eligible.size,
      excluded: { optedOut: expected.optedOut, noConsent: expected.noConsent, invalidPhone: 0, frequencyCapped: 0 },
    });
    expect(preview.sample).toHaveLength(Math.min(10, expected.eligible.size));
    expect(new Set(preview.sample.map((contact) => contact.id)).size).toBe(preview.sample.length);
    for (const contact of preview.sample)
      expect({ name, eligible: expected.eligible.has(contact.id) }).toEqual({ name, eligible: true });
  }
}

describe('audience preview over HTTP', () => {
  it('counts exactly after an import', async () => {
    // Arrange
    const rows = Array.from({ length: 80 }, (_, i) => {
      const tags = [i % 2 === 0 ? 'vip' : '', i % 3 === 0 ? 'lead' : '', i % 5 === 0 ? 'new' : ''].filter(Boolean);
      const consent = i % 4 === 0 ? 'unknown' : 'opted_in';
      const plan = i % 7 < 3 ? 'gold' : 'free';
      known.set(phoneOf(i), { id: '', phone: phoneOf(i), tags: new Set(tags), consent, plan });
      return {
        phone: phoneOf(i),
        firstName: `Person ${i}`,
        tags,
        customFields: { plan },
        ...(consent === 'opted_in' ? { smsConsent: 'opted_in' } : {}),
      };
    });
    await importRows(rows);
    const created = await api.post<SmartList>('/v1/smart-lists', {
      name: 'Newcomers',
      filter: { all: [{ field: 'tags', op: 'contains', value: 'new' }] },
    });
    expect(created.status).toBe(201);
    newcomersList = created.body;

    // Act + Assert
    await expectExactPreviews({ requiresOptIn: true });
  });

  it('counts exactly after a second import that adds tags to known phones and brings new ones', async () => {
    // Arrange
    const rows = [
      ...Array.from({ length: 20 }, (_, i) => ({ phone: phoneOf(i), tags: ['new'], smsConsent: 'opted_in' })),
      ...Array.from({ length: 10 }, (_, i) => ({ phone: phoneOf(100 + i), tags: ['vip', 'lead'] })),
    ];
    for (let i = 0; i < 20; i++) {
      const contact = known.get(phoneOf(i))!;
      contact.tags.add('new');
      if (contact.consent === 'unknown') contact.consent = 'opted_in';
    }
    for (let i = 0; i < 10; i++) {
      known.set(phoneOf(100 + i), {
        id: '',
        phone: phoneOf(100 + i),
        tags: new Set(['vip', 'lead']),
        consent: 'unknown',
        plan: 'free',
      });
    }

    // Act
    await importRows(rows);

    // Assert
    await expectExactPreviews({ requiresOptIn: true });
  });

  it('counts exactly after concurrent tag changes', async () => {
    // Arrange
    const changes: Promise<unknown>[] = [];
    for (let i = 20; i < 40; i++) {
      const contact = known.get(phoneOf(i))!;
      if (i < 30) {
        contact.tags.add('lead');
        changes.push(api.post(`/v1/contacts/${contact.id}/tags`, { tags: ['lead'] }));
      } else {
        contact.tags.delete('vip');
        changes.push(api.delete(`/v1/contacts/${contact.id}/tags/vip`));
      }
      if (i % 4 === 0) {
        contact.tags.add('new');
        changes.push(api.post(`/v1/contacts/${contact.id}/tags`, { tags: ['new'] }));
      }
    }

    // Act
    const responses = (await Promise.all(changes)) as { status: number }[];

    // Assert
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    await expectExactPreviews({ requiresOptIn: true });
  });

  it('counts opted-out and deleted contacts exactly', async () => {
    // Arrange
    const changes: Promise<{ status: number }>[] = [];
    for (let i = 40; i < 50; i++) {
      const contact = known.get(phoneOf(i))!;
      contact.consent = 'opted_out';
      changes.push(api.patch(`/v1/contacts/${contact.id}`, { smsConsent: 'opted_out' }));
    }
    for (let i = 50; i < 55; i++) {
      const contact = known.get(phoneOf(i))!;
      known.delete(contact.phone);
      changes.push(api.delete(`/v1/contacts/${contact.id}`));
    }
    const optedIn = known.get(phoneOf(104))!;
    optedIn.consent = 'opted_in';
    changes.push(api.patch(`/v1/contacts/${optedIn.id}`, { smsConsent: 'opted_in' }));

    // Act
    const statuses = (await Promise.all(changes)).map((r) => r.status);
    const back = known.get(phoneOf(44))!;
    back.consent = 'opted_in';
    const optedBackIn = await api.patch(`/v1/contacts/${back.id}`, { smsConsent: 'opted_in' });

    // Assert
    expect(statuses.filter((s) => s !== 200 && s !== 204)).toEqual([]);
    expect(optedBackIn.status).toBe(200);
    await expectExactPreviews({ requiresOptIn: true });
  });

  it('needs no opt-in for a transactional message', async () => {
    await expectExactPreviews({ requiresOptIn: true, messageType: 'TRANSACTIONAL' });
  });

  it('follows the Smart List as its filter is edited', async () => {
    // Arrange
    const edited = await api.patch(`/v1/smart-lists/${newcomersList.id}`, {
      filter: { all: [{ field: 'tags', op: 'contains', value: 'lead' }] },
    });
    expect(edited.status).toBe(200);
    const members = [...known.values()].filter((c) => c.tags.has('lead'));

    // Act
    const preview = await api.post<Preview>('/v1/audiences/preview', { audience: { smartListId: newcomersList.id } });
    await api.patch(`/v1/smart-lists/${newcomersList.id}`, { filter: newcomersList.filter });

    // Assert
    expect(preview.body.matched).toBe(members.length);
  });

  it('turns noConsent into eligible once PATCH /v1/settings sets marketingRequiresOptIn to false', async () => {
    // Arrange
    const before = await api.post<Preview>('/v1/audiences/preview', { audience: { filter: { all: [] } } });
    expect(before.body.excluded.noConsent).toBeGreaterThan(0);

    // Act
    const patched = await api.patch('/v1/settings', { marketingRequiresOptIn: false });
    const after = await api.post<Preview>('/v1/audiences/preview', { audience: { filter: { all: [] } } });

    // Assert
    expect(patched.status).toBe(200);
    expect(after.body.excluded).toEqual({ ...before.body.excluded, noConsent: 0 });
    expect(after.body.eligible).toBe(before.body.eligible + before.body.excluded.noConsent);
    await expectExactPreviews({ requiresOptIn: false });
  });

  it.each([
    ['a tag group naming no tag', { tags: {} }, 'audience.tags'],
    ['two kinds of audience at once', { tags: { any: ['vip'] }, filter: { all: [] } }, 'audience'],
    [
      'an unknown filter field',
      { filter: { all: [{ field: 'nickname', op: 'eq', value: 'x' }] } },
      'audience.filter.all.0.field',
    ],
    [
      'an unknown operator',
      { filter: { any: [{ field: 'tags', op: 'has', value: 'x' }] } },
      'audience.filter.any.0.op',
    ],
    ['a blank tag', { tags: { any: ['  '] } }, 'audience.tags.any.0'],
  ])('refuses %s with a 400', async (_what, audience, path) => {
    // Act
    const response = await api.post('/v1/audiences/preview', { audience });

    // Assert
    const error = expectError(response, 400, 'VALIDATION_FAILED');
    expect(error.details.map((detail) => detail.path)).toContain(path);
  });

  it('answers 404 for a Smart List that does not exist', async () => {
    // Act
    const response = await api.post('/v1/audiences/preview', { audience: { smartListId: 'no-such-list' } });

    // Assert
    expectError(response, 404, 'SMARTLIST.NOT_FOUND');
  });
});
