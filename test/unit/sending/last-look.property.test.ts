import fc from 'fast-check';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import { judgeLastLook } from '../../../shared/domain/sending/last-look';
import { checkSendTime } from '../../../shared/domain/sending/send-window';
import { defaultSettings, type Settings } from '../../../shared/domain/settings/settings.schema';
import { EVERY_DAY, instantArbitrary, ZONES } from './sending-arbitraries';

const contactArbitrary: fc.Arbitrary<Contact> = fc.record({
  id: fc.constant('c1'),
  phone: fc.constantFrom('+12125550100', '+13055550100', '+18335550100', 'not-a-phone'),
  firstName: fc.constant('Ann'),
  lastName: fc.constant(null),
  email: fc.constant(null),
  timeZone: fc.constantFrom(...ZONES),
  tags: fc.constant([]),
  customFields: fc.constant({}),
  smsConsent: fc.record({
    status: fc.constantFrom('opted_in', 'opted_out', 'unknown'),
    source: fc.constant('api'),
    at: fc.constant('2026-01-01T00:00:00.000Z'),
  }),
  createdAt: fc.constant('2026-01-01T00:00:00.000Z'),
  updatedAt: fc.constant('2026-01-01T00:00:00.000Z'),
}) as fc.Arbitrary<Contact>;

const settingsArbitrary: fc.Arbitrary<Settings> = fc
  .record({ requireOptIn: fc.boolean(), wide: fc.boolean() })
  .map(({ requireOptIn, wide }) => ({
    ...defaultSettings,
    marketingRequiresOptIn: requireOptIn,
    sendWindow: wide ? { start: '08:00', end: '21:00', days: [...EVERY_DAY] } : defaultSettings.sendWindow,
  }));

describe('judgeLastLook (the last word before any text goes to the carrier)', () => {
  it('never hands over to an opted-out contact or an opted-out number, nor outside the recipient window', () => {
    fc.assert(
      fc.property(
        fc.option(contactArbitrary, { nil: undefined }),
        fc.boolean(),
        settingsArbitrary,
        fc.constantFrom('PROMOTIONAL', 'TRANSACTIONAL'),
        instantArbitrary,
        (contact, numberOptedOut, settings, messageType, instant) => {
          const now = new Date(instant);
          const verdict = judgeLastLook({ contact, numberOptedOut }, settings, messageType, now);
          if (!contact)
            return expect(verdict).toEqual({ kind: 'withdraw', status: 'cancelled', reason: 'contactDeleted' });
          if (contact.smsConsent.status === 'opted_out') {
            return expect(verdict).toEqual({ kind: 'withdraw', status: 'skipped', reason: 'optedOut' });
          }
          // A number opted out as a number is refused (another refusal, e.g. no consent, may be named first).
          if (numberOptedOut) return expect(verdict).toMatchObject({ kind: 'withdraw', status: 'skipped' });
          if (verdict.kind !== 'handOver') return;
          expect(verdict.recipient).toBe(contact);
          expect(checkSendTime(now, contact, settings.sendWindow, { messageType }).allowed).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('holds an eligible text whose window has closed until the next opening, never drops it', () => {
    const contact = fc.sample(contactArbitrary, 1)[0] as Contact;
    const eligible = {
      ...contact,
      phone: '+12125550100',
      timeZone: 'America/New_York',
      smsConsent: { ...contact.smsConsent, status: 'opted_in' as const },
    };
    // 02:00 in New York: outside every window; the next opening is 10:00 on the next weekday (defaults: Mon-Fri).
    const verdict = judgeLastLook(
      { contact: eligible, numberOptedOut: false },
      defaultSettings,
      'PROMOTIONAL',
      new Date('2026-03-04T07:00:00Z'),
    );
    expect(verdict).toEqual({ kind: 'windowClosed', nextOpening: new Date('2026-03-04T15:00:00Z') });
  });

  it('names the number when the number itself opted out (the contact may have changed phones)', () => {
    const contact = fc.sample(contactArbitrary, 1)[0] as Contact;
    const eligible = {
      ...contact,
      phone: '+12125550100',
      smsConsent: { ...contact.smsConsent, status: 'opted_in' as const },
    };
    expect(
      judgeLastLook(
        { contact: eligible, numberOptedOut: true },
        defaultSettings,
        'PROMOTIONAL',
        new Date('2026-03-04T19:00:00Z'),
      ),
    ).toEqual({
      kind: 'withdraw',
      status: 'skipped',
      reason: 'optedOut',
      phone: '+12125550100',
    });
  });
});
