import fc from 'fast-check';
import type { Contact, ContactInput } from '../../../shared/domain/contacts/contact.schema';
import {
  addTags,
  applyContactPatch,
  buildNewContact,
  mergeImportRow,
  normalizePhone,
  removeTag,
  resolveTimeZone,
  setConsent,
} from '../../../shared/domain/contacts/contact-rules';
import { RuleViolationError, ValidationError } from '../../../shared/domain/errors';
import { defaultSettings, type Settings } from '../../../shared/domain/settings/settings.schema';

const NOW = '2026-03-02T15:00:00.000Z';
const LATER = '2026-03-03T09:30:00.000Z';
const NEW_YORK_PHONE = '+12127365000';
const CHICAGO_PHONE = '+13122345678';
const TOLL_FREE_PHONE = '+18002345678';
const settings: Settings = { ...defaultSettings, defaultTimeZone: 'America/Denver' };

function existingContact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: '01JCONTACT00000000000000001',
    phone: NEW_YORK_PHONE,
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.com',
    tags: ['customer', 'vip'],
    timeZone: 'America/New_York',
    customFields: { plan: 'gold', visits: 3 },
    smsConsent: { status: 'unknown', source: 'api', at: NOW },
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

function newContactInput(overrides: Partial<ContactInput> = {}): ContactInput & { phone: string } {
  return { phone: NEW_YORK_PHONE, ...overrides };
}

describe('normalizePhone', () => {
  it('stores a national number in E.164 using the tenant default country', () => {
    // Act
    const phone = normalizePhone('(212) 736-5000', settings);

    // Assert
    expect(phone).toBe(NEW_YORK_PHONE);
  });

  it('refuses an invalid number with a ValidationError naming the field', () => {
    // Act
    const act = () => normalizePhone('12345', settings, 'contacts.4.phone');

    // Assert
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(
      expect.objectContaining({ details: [{ path: 'contacts.4.phone', message: expect.any(String) }] }),
    );
  });
});

describe('resolveTimeZone', () => {
  it.each([
    ['a given zone wins over the number', NEW_YORK_PHONE, 'Europe/Paris', 'Europe/Paris'],
    ['a 212 number is New York', NEW_YORK_PHONE, undefined, 'America/New_York'],
    ['a 312 number is Chicago', CHICAGO_PHONE, undefined, 'America/Chicago'],
    ['a toll-free number falls back to the tenant default', TOLL_FREE_PHONE, undefined, 'America/Denver'],
    ['a UK number is London: the UK keeps one clock', '+442079460018', undefined, 'Europe/London'],
    ['a French number is Paris', '+33142685300', undefined, 'Europe/Paris'],
    [
      'an Australian number (several clocks) falls back to the tenant default',
      '+61212345678',
      undefined,
      'America/Denver',
    ],
    ['a given zone wins over the country', '+442079460018', 'America/Chicago', 'America/Chicago'],
  ])('%s', (_label, phone, given, expected) => {
    // Act
    const zone = resolveTimeZone(phone, given, settings);

    // Assert
    expect(zone).toBe(expected);
  });
});

describe('buildNewContact', () => {
  it('fills absent fields with nulls, sorts tags and records the creation in the consent history', () => {
    // Act
    const { contact, consentEvent } = buildNewContact(newContactInput({ tags: ['vip', 'alpha'] }), {
      id: 'c1',
      now: NOW,
      settings,
      source: 'api',
    });

    // Assert
    expect(contact).toEqual({
      id: 'c1',
      phone: NEW_YORK_PHONE,
      firstName: null,
      lastName: null,
      email: null,
      tags: ['alpha', 'vip'],
      timeZone: 'America/New_York',
      customFields: {},
      smsConsent: { status: 'unknown', source: 'api', at: NOW },
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(consentEvent).toEqual({ status: 'unknown', source: 'api', at: NOW });
  });

  it('takes the given consent with the source of the call', () => {
    // Act
    const { contact, consentEvent } = buildNewContact(newContactInput({ smsConsent: 'opted_in' }), {
      id: 'c1',
      now: NOW,
      settings,
      source: 'import',
    });

    // Assert
    expect(contact.smsConsent).toEqual({ status: 'opted_in', source: 'import', at: NOW });
    expect(consentEvent).toEqual({ status: 'opted_in', source: 'import', at: NOW });
  });

  it('keeps a number on the suppression list opted out even when the input claims an opt-in', () => {
    // Arrange
    const phoneRecord = { generation: 1, optedOutAt: '2025-12-24T10:00:00.000Z' };

    // Act
    const { contact, consentEvent } = buildNewContact(newContactInput({ smsConsent: 'opted_in' }), {
      id: 'c1',
      now: NOW,
      settings,
      source: 'import',
      phoneRecord,
    });

    // Assert
    expect(contact.smsConsent).toEqual({ status: 'opted_out', source: 'suppression_list', at: NOW });
    expect(consentEvent).toMatchObject({ status: 'opted_out', source: 'suppression_list', at: NOW });
    expect(consentEvent?.note).toContain(phoneRecord.optedOutAt);
  });

  it('does not suppress a number whose record only names a previous owner', () => {
    // Act
    const { contact } = buildNewContact(newContactInput({ smsConsent: 'opted_in' }), {
      id: 'c2',
      now: NOW,
      settings,
      source: 'api',
      phoneRecord: { contactId: 'gone' },
    });

    // Assert
    expect(contact.smsConsent.status).toBe('opted_in');
  });

  it('uses the tenant default zone when the number gives none', () => {
    // Act
    const { contact } = buildNewContact(newContactInput({ phone: TOLL_FREE_PHONE }), {
      id: 'c1',
      now: NOW,
      settings,
      source: 'api',
    });

    // Assert
    expect(contact.timeZone).toBe('America/Denver');
  });
});

describe('mergeImportRow', () => {
  it('never undoes an opt-out, whatever the row says', () => {
    // Arrange
    const existing = existingContact({ smsConsent: { status: 'opted_out', source: 'inbound_keyword', at: NOW } });

    // Act
    const { contact, consentEvent } = mergeImportRow(existing, newContactInput({ smsConsent: 'opted_in' }), LATER);

    // Assert
    expect(contact.smsConsent).toEqual({ status: 'opted_out', source: 'inbound_keyword', at: NOW });
    expect(consentEvent).toBeUndefined();
  });

  it('moves consent from unknown to opted in and records it as an import', () => {
    // Act
    const { contact, consentEvent } = mergeImportRow(
      existingContact(),
      newContactInput({ smsConsent: 'opted_in' }),
      LATER,
    );

    // Assert
    expect(contact.smsConsent).toEqual({ status: 'opted_in', source: 'import', at: LATER });
    expect(consentEvent).toEqual({ status: 'opted_in', source: 'import', at: LATER });
  });

  it('does not downgrade an opt-in to unknown', () => {
    // Arrange
    const existing = existingContact({ smsConsent: { status: 'opted_in', source: 'form', at: NOW } });

    // Act
    const { contact, consentEvent } = mergeImportRow(existing, newContactInput({ smsConsent: 'unknown' }), LATER);

    // Assert
    expect(contact.smsConsent.status).toBe('opted_in');
    expect(consentEvent).toBeUndefined();
  });

  it('adds the row tags to the existing ones and never removes any', () => {
    // Act
    const { contact } = mergeImportRow(existingContact(), newContactInput({ tags: ['alpha', 'vip'] }), LATER);

    // Assert
    expect(contact.tags).toEqual(['alpha', 'customer', 'vip']);
  });

  it('overwrites the fields the row gives, keeps the others, and merges custom fields', () => {
    // Act
    const { contact } = mergeImportRow(
      existingContact(),
      newContactInput({ firstName: 'Augusta', email: null, customFields: { visits: 4, city: 'London' } }),
      LATER,
    );

    // Assert
    expect(contact).toMatchObject({
      id: '01JCONTACT00000000000000001',
      phone: NEW_YORK_PHONE,
      firstName: 'Augusta',
      lastName: 'Lovelace',
      email: null,
      timeZone: 'America/New_York',
      customFields: { plan: 'gold', visits: 4, city: 'London' },
      createdAt: NOW,
      updatedAt: LATER,
    });
  });
});

describe('applyContactPatch', () => {
  it('removes a custom field set to null, sets the others and keeps the untouched ones', () => {
    // Act
    const { contact } = applyContactPatch(
      existingContact(),
      { customFields: { plan: null, city: 'Paris' } },
      LATER,
      settings,
    );

    // Assert
    expect(contact.customFields).toEqual({ visits: 3, city: 'Paris' });
    expect(contact.updatedAt).toBe(LATER);
  });

  it('refuses a patch that would leave more than 50 custom fields, naming customFields', () => {
    // Arrange
    const existing = existingContact({
      customFields: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`field${i}`, i])),
    });

    // Act
    const act = () => applyContactPatch(existing, { customFields: { oneMore: true } }, LATER, settings);

    // Assert
    expect(act).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'customFields' })] }));
  });

  it('re-infers the time zone from a new phone', () => {
    // Act
    const { contact } = applyContactPatch(existingContact(), { phone: CHICAGO_PHONE }, LATER, settings);

    // Assert
    expect(contact.phone).toBe(CHICAGO_PHONE);
    expect(contact.timeZone).toBe('America/Chicago');
  });

  it('falls back to the tenant default zone when the new phone gives none', () => {
    // Act
    const { contact } = applyContactPatch(existingContact(), { phone: TOLL_FREE_PHONE }, LATER, settings);

    // Assert
    expect(contact.timeZone).toBe('America/Denver');
  });

  it('keeps a zone given in the same patch as a new phone', () => {
    // Act
    const { contact } = applyContactPatch(
      existingContact(),
      { phone: CHICAGO_PHONE, timeZone: 'America/Phoenix' },
      LATER,
      settings,
    );

    // Assert
    expect(contact.timeZone).toBe('America/Phoenix');
  });

  it('keeps the stored zone when the phone does not change', () => {
    // Arrange
    const existing = existingContact({ timeZone: 'Europe/Paris' });

    // Act
    const { contact } = applyContactPatch(existing, { phone: NEW_YORK_PHONE, firstName: 'Ada' }, LATER, settings);

    // Assert
    expect(contact.timeZone).toBe('Europe/Paris');
  });

  it('replaces tags (sorted) and clears fields set to null', () => {
    // Act
    const { contact } = applyContactPatch(existingContact(), { tags: ['zeta', 'beta'], email: null }, LATER, settings);

    // Assert
    expect(contact.tags).toEqual(['beta', 'zeta']);
    expect(contact.email).toBeNull();
    expect(contact.firstName).toBe('Ada');
  });

  it('records an opt-out requested through the API in the consent history', () => {
    // Act
    const { contact, consentEvent } = applyContactPatch(
      existingContact(),
      { smsConsent: 'opted_out' },
      LATER,
      settings,
    );

    // Assert
    expect(contact.smsConsent).toEqual({ status: 'opted_out', source: 'api', at: LATER });
    expect(consentEvent).toEqual({ status: 'opted_out', source: 'api', at: LATER });
  });

  it.each([
    ['texted a STOP word', 'inbound_keyword'],
    ["is on the carrier's opt-out list", 'carrier'],
    ['is a suppressed number', 'suppression_list'],
  ] as const)('refuses to opt back in a person who %s (422 naming the opt-out)', (_label, source) => {
    // Arrange
    const existing = existingContact({ smsConsent: { status: 'opted_out', source, at: NOW } });

    // Act
    const act = () => applyContactPatch(existing, { smsConsent: 'opted_in', firstName: 'Ada' }, LATER, settings);

    // Assert
    expect(act).toThrow(RuleViolationError);
    expect(act).toThrow(expect.objectContaining({ code: 'CONSENT.PERSON_OPTED_OUT' }));
    expect(act).toThrow(new RegExp(`${source} at ${NOW}`));
  });

  it('lets a tenant user undo an opt-out a tenant user set', () => {
    const existing = existingContact({ smsConsent: { status: 'opted_out', source: 'api', at: NOW } });
    const { contact, consentEvent } = applyContactPatch(existing, { smsConsent: 'opted_in' }, LATER, settings);
    expect(contact.smsConsent).toEqual({ status: 'opted_in', source: 'api', at: LATER });
    expect(consentEvent).toEqual({ status: 'opted_in', source: 'api', at: LATER });
  });

  it('a phone moved to a number that opted out is opted out, and opting it in in the same patch is refused', () => {
    // Arrange
    const existing = existingContact({ smsConsent: { status: 'opted_in', source: 'form', at: NOW } });
    const suppressed = { optedOutAt: NOW };

    // Act
    const moved = applyContactPatch(existing, { phone: CHICAGO_PHONE }, LATER, settings, suppressed);
    const optIn = () =>
      applyContactPatch(existing, { phone: CHICAGO_PHONE, smsConsent: 'opted_in' }, LATER, settings, suppressed);

    // Assert
    expect(moved.contact.smsConsent).toEqual({ status: 'opted_out', source: 'suppression_list', at: LATER });
    expect(optIn).toThrow(expect.objectContaining({ code: 'CONSENT.PERSON_OPTED_OUT' }));
  });

  it('records no consent event when the status does not change', () => {
    // Arrange
    const existing = existingContact({ smsConsent: { status: 'opted_in', source: 'form', at: NOW } });

    // Act
    const { contact, consentEvent } = applyContactPatch(existing, { smsConsent: 'opted_in' }, LATER, settings);

    // Assert
    expect(contact.smsConsent).toEqual({ status: 'opted_in', source: 'form', at: NOW });
    expect(consentEvent).toBeUndefined();
  });

  it('opts the contact out when it moves to a number on the suppression list', () => {
    // Arrange
    const existing = existingContact({ smsConsent: { status: 'opted_in', source: 'form', at: NOW } });

    // Act
    const { contact, consentEvent } = applyContactPatch(existing, { phone: CHICAGO_PHONE }, LATER, settings, {
      claimedAt: NOW,
      optedOutAt: NOW,
    });

    // Assert
    expect(contact.smsConsent).toEqual({ status: 'opted_out', source: 'suppression_list', at: LATER });
    expect(consentEvent).toEqual({ status: 'opted_out', source: 'suppression_list', at: LATER });
  });
});

describe('addTags', () => {
  it('adds new tags, sorted, and stamps the change', () => {
    // Act
    const updated = addTags(existingContact(), ['new', 'alpha'], LATER);

    // Assert
    expect(updated?.tags).toEqual(['alpha', 'customer', 'new', 'vip']);
    expect(updated?.updatedAt).toBe(LATER);
  });

  it('returns undefined (nothing to write) when every tag is already there', () => {
    // Act
    const updated = addTags(existingContact(), ['vip', 'customer', 'vip'], LATER);

    // Assert
    expect(updated).toBeUndefined();
  });

  it('refuses to go past 100 tags, naming tags', () => {
    // Arrange
    const existing = existingContact({
      tags: Array.from({ length: 100 }, (_, i) => `tag${String(i).padStart(3, '0')}`),
    });

    // Act
    const act = () => addTags(existing, ['one-too-many'], LATER);

    // Assert
    expect(act).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'tags' })] }));
  });
});

describe('removeTag', () => {
  it('removes a tag the contact carries', () => {
    // Act
    const updated = removeTag(existingContact(), 'vip', LATER);

    // Assert
    expect(updated?.tags).toEqual(['customer']);
    expect(updated?.updatedAt).toBe(LATER);
  });

  it('returns undefined (nothing to write) for a tag the contact lacks', () => {
    // Act
    const updated = removeTag(existingContact(), 'stranger', LATER);

    // Assert
    expect(updated).toBeUndefined();
  });
});

describe('import merge properties', () => {
  const tagArb = fc.constantFrom('alpha', 'beta', 'customer', 'vip', 'zeta');
  const consentArb = fc.constantFrom('opted_in', 'opted_out', 'unknown') as fc.Arbitrary<
    Contact['smsConsent']['status']
  >;
  const rowArb = fc.record(
    {
      firstName: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
      tags: fc.uniqueArray(tagArb),
      smsConsent: fc.constantFrom('opted_in', 'unknown') as fc.Arbitrary<'opted_in' | 'unknown'>,
    },
    { requiredKeys: [] },
  );

  it('never lowers consent and never loses a tag, over any sequence of rows', () => {
    fc.assert(
      fc.property(consentArb, fc.uniqueArray(tagArb), fc.array(rowArb, { maxLength: 5 }), (status, tags, rows) => {
        // Arrange
        let contact = existingContact({ tags: [...tags].sort(), smsConsent: { status, source: 'api', at: NOW } });

        // Act
        for (const row of rows) contact = mergeImportRow(contact, newContactInput(row), LATER).contact;

        // Assert
        const expectedTags = [...new Set([...tags, ...rows.flatMap((row) => row.tags ?? [])])].sort();
        expect(contact.tags).toEqual(expectedTags);
        if (status === 'opted_out') expect(contact.smsConsent.status).toBe('opted_out');
        if (status === 'opted_in') expect(contact.smsConsent.status).toBe('opted_in');
        if (status === 'unknown') {
          const optedIn = rows.some((row) => row.smsConsent === 'opted_in');
          expect(contact.smsConsent.status).toBe(optedIn ? 'opted_in' : 'unknown');
        }
      }),
    );
  });
});

describe('setConsent', () => {
  it("a person's STOP over an opt-out a tenant user set is recorded as theirs, so no tenant PATCH can undo it", () => {
    // Arrange
    const existing = existingContact({ smsConsent: { status: 'opted_out', source: 'api', at: NOW } });

    // Act
    const change = setConsent(existing, 'opted_out', 'inbound_keyword', LATER, 'Texted "STOP"');
    const patch = () =>
      applyContactPatch(change?.contact as Contact, { smsConsent: 'opted_in' }, '2026-03-04T00:00:00.000Z', settings);

    // Assert
    expect(change?.contact.smsConsent).toEqual({ status: 'opted_out', source: 'inbound_keyword', at: LATER });
    expect(change?.consentEvent).toMatchObject({
      status: 'opted_out',
      source: 'inbound_keyword',
      note: 'Texted "STOP"',
    });
    expect(patch).toThrow(expect.objectContaining({ code: 'CONSENT.PERSON_OPTED_OUT' }));
  });

  it('records nothing when the status and its kind of source stay the same', () => {
    const existing = existingContact({ smsConsent: { status: 'opted_out', source: 'inbound_keyword', at: NOW } });
    expect(setConsent(existing, 'opted_out', 'carrier', LATER)).toBeUndefined();
    expect(
      setConsent(
        existingContact({ smsConsent: { status: 'opted_in', source: 'api', at: NOW } }),
        'opted_in',
        'form',
        LATER,
      ),
    ).toBeUndefined();
  });
});
