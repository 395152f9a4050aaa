import type { LedgerEntry } from '../../../shared/domain/campaigns/ledger.schema';
import { screenCampaignRecipient } from '../../../shared/domain/campaigns/screen-recipient';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import { defaultSettings } from '../../../shared/domain/settings/settings.schema';

/** Wednesday 14:00 in New York: inside the default window (Mon-Fri 10:00-17:00). */
const NOW = new Date('2026-03-04T19:00:00.000Z');
const AT = '2026-03-01T00:00:00.000Z';
const contact: Contact = {
  id: 'c1',
  phone: '+12125550100',
  firstName: 'Ann',
  lastName: null,
  email: null,
  timeZone: 'America/New_York',
  tags: [],
  customFields: {},
  smsConsent: { status: 'opted_in', source: 'api', at: AT },
  createdAt: AT,
  updatedAt: AT,
} as Contact;
const queued: LedgerEntry = { campaignId: 'k1', contactId: 'c1', phone: contact.phone, status: 'queued', queuedAt: AT };
const base = {
  entry: queued,
  campaignStatus: 'sending' as const,
  messageType: 'PROMOTIONAL' as const,
  contact,
  settings: defaultSettings,
  now: NOW,
};

describe('screenCampaignRecipient', () => {
  it('sends a waiting, eligible recipient inside its window', () => {
    expect(screenCampaignRecipient(base)).toEqual({ kind: 'send', contact });
    expect(screenCampaignRecipient({ ...base, entry: { ...queued, status: 'deferred' } }).kind).toBe('send');
  });

  it.each(['sending', 'sent', 'unknown', 'delivered', 'skipped'] as const)(
    'leaves an entry already %s alone (a duplicate delivery)',
    (status) => {
      expect(screenCampaignRecipient({ ...base, entry: { ...queued, status } })).toEqual({ kind: 'leave' });
    },
  );

  it('leaves recipients of a paused campaign waiting, and cancels those of a cancelled one', () => {
    expect(screenCampaignRecipient({ ...base, campaignStatus: 'paused' })).toEqual({ kind: 'leave' });
    expect(screenCampaignRecipient({ ...base, campaignStatus: 'cancelled' })).toEqual({
      kind: 'screenOut',
      status: 'cancelled',
      reason: 'campaign cancelled',
    });
  });

  it('skips an opted-out contact with its reason, and cancels a deleted one', () => {
    const optedOut = {
      ...contact,
      smsConsent: { status: 'opted_out' as const, source: 'inbound_keyword' as const, at: AT },
    };
    expect(screenCampaignRecipient({ ...base, contact: optedOut })).toEqual({
      kind: 'screenOut',
      status: 'skipped',
      reason: 'optedOut',
    });
    expect(screenCampaignRecipient({ ...base, contact: undefined })).toMatchObject({ reason: 'contactDeleted' });
  });

  it('defers to the opening a recipient outside its window, flagged as held by the window', () => {
    // 02:00 in New York: the next opening is 10:00 the same day.
    const night = new Date('2026-03-04T07:00:00.000Z');
    expect(screenCampaignRecipient({ ...base, now: night })).toEqual({
      kind: 'defer',
      openAt: Date.parse('2026-03-04T15:00:00.000Z'),
      windowDeferred: true,
    });
  });

  it('defers to its own notBefore (a recipient-time-zone schedule) without flagging the window', () => {
    const later = '2026-03-04T20:00:00.000Z';
    expect(screenCampaignRecipient({ ...base, entry: { ...queued, notBefore: later } })).toEqual({
      kind: 'defer',
      openAt: Date.parse(later),
      windowDeferred: false,
    });
  });
});
