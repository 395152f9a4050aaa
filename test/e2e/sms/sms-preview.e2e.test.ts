import { smsPreviewResponse } from '../../../functions/sms-preview/sms-preview.schema';
import type { SmartList } from '../../../shared/domain/smart-lists/smart-list.schema';
import { countSegments } from '../../../shared/domain/sms';
import type { HttpClient } from '../../support/http-client';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { type Contact, expectError, type ImportResult, type Page } from '../helpers/api';

type SmsPreview = {
  text: string;
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
  units: number;
  unitsPerSegment: number;
  remainingInSegment: number;
  nonGsmCharacters: { char: string; position: number; unicode: string; replacement: string | null }[];
  finalBody: string;
  warnings: { code: string; message: string }[];
  worstCase?: { segments: number; contacts: number };
  estimatedSegments?: number;
};

const FOOTER = 'Reply STOP to unsubscribe';

let stack: TestStack;
let api: HttpClient;

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.clientFor('sms-preview');
});

afterAll(async () => stack.stop());

async function preview(client: HttpClient, body: unknown): Promise<SmsPreview> {
  const response = await client.post<SmsPreview>('/v1/sms/preview', body);
  expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: expect.anything() });
  return smsPreviewResponse.parse(response.body) as SmsPreview;
}

describe('SMS preview of a plain body', () => {
  it('appends the tenant footer to a promotional message on its own line and counts it', async () => {
    // Arrange
    const body = 'Acme: spring sale starts today';
    const finalBody = `${body}\n${FOOTER}`;

    // Act
    const result = await preview(api, { body });

    // Assert
    expect(result).toMatchObject({
      finalBody,
      encoding: 'GSM-7',
      segments: 1,
      characters: finalBody.length,
      units: finalBody.length,
      unitsPerSegment: 160,
      remainingInSegment: 160 - finalBody.length,
      nonGsmCharacters: [],
      warnings: [],
    });
    expect(result).not.toHaveProperty('worstCase');
    expect(result).not.toHaveProperty('estimatedSegments');
  });

  it('drops trailing whitespace before the footer', async () => {
    // Act
    const result = await preview(api, { body: 'Acme: sale today  \n ' });

    // Assert
    expect(result.finalBody).toBe(`Acme: sale today\n${FOOTER}`);
  });

  it.each([
    ['Reply STOP', 'Acme: sale today. Reply STOP to opt out'],
    ['Text END', 'Acme: sale today. Text END to quit'],
    ['an unsubscribe link', 'Acme: sale today. Unsubscribe: acme.example/u'],
  ])('does not append the footer when the body already says how to stop (%s)', async (_how, body) => {
    // Act
    const result = await preview(api, { body });

    // Assert
    expect(result.finalBody).toBe(body);
    expect(result.warnings.map((w) => w.code)).not.toContain('MISSING_OPT_OUT');
  });

  it('does not append the footer to a transactional message', async () => {
    // Act
    const result = await preview(api, { body: 'Acme: your order shipped', messageType: 'TRANSACTIONAL' });

    // Assert
    expect(result.finalBody).toBe('Acme: your order shipped');
    expect(result.segments).toBe(1);
  });

  it('counts GSM-7 extension characters as two septets', async () => {
    // Act
    const result = await preview(api, { body: 'Acme: only 5€ [today]', messageType: 'TRANSACTIONAL' });

    // Assert
    expect(result).toMatchObject({ encoding: 'GSM-7', characters: 21, units: 24, remainingInSegment: 136 });
  });

  it('switches to UCS-2 for an emoji and names the character that forced it', async () => {
    // Arrange
    const body = 'Acme: sale 🎉 today';

    // Act
    const result = await preview(api, { body });

    // Assert
    expect(result.encoding).toBe('UCS-2');
    expect(result.finalBody).toBe(`${body}\n${FOOTER}`);
    expect(result.unitsPerSegment).toBe(70);
    expect(result.units).toBe(result.finalBody.length);
    expect(result.nonGsmCharacters.map((c) => c.char)).toEqual(['🎉']);
    expect(result.segments).toBe(countSegments(result.finalBody));
    expect(result.warnings.map((w) => w.code)).toContain('UCS2_CHARACTER');
  });

  it('counts a long body with its footer as concatenated parts of 153 septets', async () => {
    // Arrange
    const body = `Acme: ${'a'.repeat(150)}`;

    // Act
    const result = await preview(api, { body });

    // Assert
    expect(result.finalBody).toHaveLength(182);
    expect(result).toMatchObject({ segments: 2, unitsPerSegment: 153, remainingInSegment: 2 * 153 - 182 });
    expect(result.warnings.map((w) => w.code)).toContain('MULTI_SEGMENT');
  });

  it("follows the tenant's settings: no footer when autoAppendOptOut is off, its own text otherwise", async () => {
    // Arrange
    const off = await stack.clientFor('sms-preview-no-footer');
    const custom = await stack.clientFor('sms-preview-custom-footer');
    expect((await off.patch('/v1/settings', { autoAppendOptOut: false })).status).toBe(200);
    expect((await custom.patch('/v1/settings', { optOutText: 'Txt STOP to quit' })).status).toBe(200);

    // Act
    const withoutFooter = await preview(off, { body: 'Acme: sale today' });
    const withCustomFooter = await preview(custom, { body: 'Acme: sale today' });

    // Assert
    expect(withoutFooter.finalBody).toBe('Acme: sale today');
    expect(withoutFooter.warnings.map((w) => w.code)).toContain('MISSING_OPT_OUT');
    expect(withCustomFooter.finalBody).toBe('Acme: sale today\nTxt STOP to quit');
  });

  it.each([
    ['an empty body', { body: '' }, 'body'],
    ['a body over 1600 characters', { body: 'a'.repeat(1601) }, 'body'],
    ['an unknown message type', { body: 'Hi', messageType: 'MARKETING' }, 'messageType'],
    ['both a contact and an audience', { body: 'Hi', contactId: 'x', audience: { tags: { any: ['a'] } } }, 'audience'],
    ['a bad audience', { body: 'Hi', audience: { tags: { all: [] } } }, 'audience.tags'],
  ])('refuses %s with a 400', async (_what, body, path) => {
    // Act
    const response = await api.post('/v1/sms/preview', body);

    // Assert
    const error = expectError(response, 400, 'VALIDATION_FAILED');
    expect(error.details.map((d) => d.path)).toContain(path);
  });

  it('refuses a malformed placeholder with a 422', async () => {
    // Act
    const response = await api.post('/v1/sms/preview', { body: 'Hi {{ contact.first_name, welcome' });

    // Assert
    const error = expectError(response, 422, 'TEMPLATE.SYNTAX_ERROR');
    expect(error.details.map((d) => d.path)).toEqual(['body']);
  });
});

describe('SMS preview personalised for a contact', () => {
  let ann: Contact;
  let nameless: Contact;

  beforeAll(async () => {
    const created = await api.post<Contact>('/v1/contacts', {
      phone: '+13122345601',
      firstName: 'Ann',
      lastName: 'Lee',
      customFields: { plan: 'Gold', visits: 3 },
    });
    expect(created.status).toBe(201);
    ann = created.body;
    const other = await api.post<Contact>('/v1/contacts', { phone: '+13122345602', firstName: '   ' });
    expect(other.status).toBe(201);
    nameless = other.body;
  });

  it('renders built-in and custom variables into finalBody and counts the rendered text', async () => {
    // Arrange
    const body =
      'Acme: hi {{contact.first_name}} {{contact.last_name}}, your {{contact.plan}} perks ({{contact.visits}})';
    const finalBody = `Acme: hi Ann Lee, your Gold perks (3)\n${FOOTER}`;

    // Act
    const result = await preview(api, { body, contactId: ann.id });

    // Assert
    expect(result.finalBody).toBe(finalBody);
    expect(result.characters).toBe(finalBody.length);
    expect(result.units).toBe(finalBody.length);
  });

  it('uses the default for a contact without the value', async () => {
    // Act
    const result = await preview(api, {
      body: 'Acme: hi {{contact.first_name | default: "there"}}',
      contactId: nameless.id,
      messageType: 'TRANSACTIONAL',
    });

    // Assert
    expect(result.finalBody).toBe('Acme: hi there');
  });

  it('personalises into UCS-2 when the contact data needs it, while the template alone is GSM-7', async () => {
    // Arrange
    const zoe = await api.post<Contact>('/v1/contacts', { phone: '+13122345603', firstName: 'Zoë' });
    const body = 'Acme: hi {{contact.first_name}}';

    // Act
    const bare = await preview(api, { body, messageType: 'TRANSACTIONAL' });
    const personal = await preview(api, { body, contactId: zoe.body.id, messageType: 'TRANSACTIONAL' });

    // Assert
    expect(bare.encoding).toBe('GSM-7');
    expect(personal).toMatchObject({ finalBody: 'Acme: hi Zoë', encoding: 'UCS-2' });
    expect(personal.nonGsmCharacters.map((c) => c.char)).toEqual(['ë']);
  });

  it('refuses an unknown variable without a default with a 422 naming it, with or without a contact', async () => {
    // Act
    const withContact = await api.post('/v1/sms/preview', {
      body: 'Acme: your {{contact.favourite_color}} order',
      contactId: ann.id,
    });
    const withoutContact = await api.post('/v1/sms/preview', { body: 'Acme: {{contact.favourite_color}}' });
    const withDefault = await preview(api, {
      body: 'Acme: your {{contact.favourite_color | default: "new"}} order',
      contactId: ann.id,
      messageType: 'TRANSACTIONAL',
    });

    // Assert
    for (const response of [withContact, withoutContact]) {
      const error = expectError(response, 422, 'TEMPLATE.UNKNOWN_VARIABLE');
      expect(error.message).toContain('favourite_color');
      expect(error.details).toEqual([{ path: 'body', message: expect.stringContaining('favourite_color') }]);
    }
    expect(withDefault.finalBody).toBe('Acme: your new order');
  });

  it("answers 404 for another tenant's contact and for an unknown id, revealing nothing", async () => {
    // Arrange
    const intruder = await stack.clientFor('sms-preview-intruder');

    // Act
    const foreign = await intruder.post('/v1/sms/preview', { body: 'Hi {{contact.first_name}}', contactId: ann.id });
    const unknown = await api.post('/v1/sms/preview', { body: 'Hi', contactId: '01JNOSUCHCONTACT' });

    // Assert
    expectError(foreign, 404, 'CONTACT.NOT_FOUND');
    expect(JSON.stringify(foreign.body)).not.toContain('Ann');
    expectError(unknown, 404, 'CONTACT.NOT_FOUND');
  });
});

describe('SMS preview over an audience', () => {
  const BODY =
    'Hi {{contact.first_name | default: "there"}}! Acme spring sale: 20% off all garden tools this weekend only. Show this text in store or use code SPRING.';
  /** Short, empty, 159/160/162-septet, extension characters and one name that is not GSM-7. */
  const SPRING_NAMES = [
    'Al',
    'Bob',
    null,
    '   ',
    'Christopher',
    'Maximiliano Bartholomew',
    'Alexandra-Konstantina Wu',
    'Maximiliano-Bartholomew Jr',
    'Bartholomew {Barty} Jones',
    'Zoë',
    'Mary-Jane',
    'Li',
  ];
  let api2: HttpClient;
  let contacts: Contact[];
  let springList: SmartList;

  /** The brute force: render each contact's text by hand, add the footer, count with the domain's counter. */
  function bruteForce(members: Contact[]) {
    const segments = members.map((contact) => {
      const name = contact.firstName?.trim() ? contact.firstName : 'there';
      return countSegments(`${BODY.replace('{{contact.first_name | default: "there"}}', name)}\n${FOOTER}`);
    });
    const worst = Math.max(...segments);
    return {
      worstCase: { segments: worst, contacts: segments.filter((s) => s === worst).length },
      estimatedSegments: segments.reduce((sum, s) => sum + s, 0),
      distinct: new Set(segments),
    };
  }

  beforeAll(async () => {
    api2 = await stack.clientFor('sms-preview-audience');
    const rows = [
      ...SPRING_NAMES.map((firstName, i) => ({
        phone: `+1312400${String(i).padStart(4, '0')}`,
        tags: ['spring'],
        smsConsent: 'opted_in',
        ...(firstName === null ? {} : { firstName }),
      })),
      // Outside the audience: a name long enough to set a worst case if it were counted.
      ...Array.from({ length: 5 }, (_, i) => ({
        phone: `+1312500${String(i).padStart(4, '0')}`,
        tags: ['autumn'],
        firstName: `Wolfgang-Amadeus-Theophilus ${i} ${'x'.repeat(60)}`,
      })),
    ];
    const imported = await api2.post<ImportResult>('/v1/contacts/import', { contacts: rows });
    expect(imported.body).toMatchObject({ created: rows.length, rejected: [] });
    contacts = (await api2.get<Page<Contact>>('/v1/contacts', { query: { tag: 'spring', limit: 500 } })).body.items;
    expect(contacts).toHaveLength(SPRING_NAMES.length);
    const created = await api2.post<SmartList>('/v1/smart-lists', {
      name: 'Spring',
      filter: { all: [{ field: 'tags', op: 'contains', value: 'spring' }] },
    });
    springList = created.body;
  });

  it('prices only the contacts who would get it: the opted out and those without consent are not counted', async () => {
    // Arrange: one eligible contact, two with long names who would not get a promotional text
    const rows = [
      { phone: '+13126000001', tags: ['mixed'], firstName: 'Al', smsConsent: 'opted_in' },
      { phone: '+13126000002', tags: ['mixed'], firstName: `Wolfgang ${'y'.repeat(80)}`, smsConsent: 'unknown' },
      { phone: '+13126000003', tags: ['mixed'], firstName: `Amadeus ${'z'.repeat(80)}`, smsConsent: 'opted_in' },
    ];
    expect((await api2.post<ImportResult>('/v1/contacts/import', { contacts: rows })).body.rejected).toEqual([]);
    const mixed = (await api2.get<Page<Contact>>('/v1/contacts', { query: { tag: 'mixed', limit: 10 } })).body.items;
    const amadeus = mixed.find((c) => c.firstName?.startsWith('Amadeus')) as Contact;
    expect((await api2.patch(`/v1/contacts/${amadeus.id}`, { smsConsent: 'opted_out' })).status).toBe(200);
    const eligible = mixed.filter((c) => c.firstName === 'Al');

    // Act
    const result = await preview(api2, { body: BODY, audience: { tags: { any: ['mixed'] } } });

    // Assert
    const expected = bruteForce(eligible);
    expect({ worstCase: result.worstCase, estimatedSegments: result.estimatedSegments }).toEqual({
      worstCase: expected.worstCase,
      estimatedSegments: expected.estimatedSegments,
    });
  });

  it('has test data that spans one, two and three segments', () => {
    expect([...bruteForce(contacts).distinct].sort()).toEqual([1, 2, 3]);
  });

  it.each([
    ['a tag group', () => ({ tags: { any: ['spring'] } })],
    ['a filter', () => ({ filter: { all: [{ field: 'tags', op: 'contains', value: 'spring' }] } })],
    ['a Smart List', () => ({ smartListId: springList.id })],
  ])('prices every contact of %s after personalisation', async (_kind, audience) => {
    // Arrange
    const expected = bruteForce(contacts);

    // Act
    const result = await preview(api2, { body: BODY, audience: audience() });

    // Assert
    expect({ worstCase: result.worstCase, estimatedSegments: result.estimatedSegments }).toEqual({
      worstCase: expected.worstCase,
      estimatedSegments: expected.estimatedSegments,
    });
    expect(result.finalBody).toBe(`${BODY}\n${FOOTER}`);
    expect(result.warnings.map((w) => w.code)).toContain('MULTI_SEGMENT');
  });

  it('follows tag changes: without the UCS-2 contact the worst case drops to two segments', async () => {
    // Arrange
    const zoe = contacts.find((c) => c.firstName === 'Zoë')!;
    expect((await api2.delete(`/v1/contacts/${zoe.id}/tags/spring`)).status).toBe(200);
    const expected = bruteForce(contacts.filter((c) => c.id !== zoe.id));

    // Act
    const result = await preview(api2, { body: BODY, audience: { tags: { any: ['spring'] } } });
    await api2.post(`/v1/contacts/${zoe.id}/tags`, { tags: ['spring'] });

    // Assert
    expect(expected.worstCase.segments).toBe(2);
    expect({ worstCase: result.worstCase, estimatedSegments: result.estimatedSegments }).toEqual({
      worstCase: expected.worstCase,
      estimatedSegments: expected.estimatedSegments,
    });
  });

  it('answers zero segments for an audience nobody is in', async () => {
    // Act
    const result = await preview(api2, { body: BODY, audience: { tags: { any: ['nobody'] } } });

    // Assert
    expect(result.worstCase).toEqual({ segments: 0, contacts: 0 });
    expect(result.estimatedSegments).toBe(0);
  });
});
