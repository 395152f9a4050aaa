/**
 * Keys of the contacts table, built only here. Every partition key starts with the tenant,
 * so no query can reach across tenants.
 */
const tenantPrefix = (tenantId: string) => `T#${tenantId}`;

export const contactsKeys = {
  tenantPrefix,
  settings: (tenantId: string) => ({ pk: tenantPrefix(tenantId), sk: '#SETTINGS' }),
  contact: (tenantId: string, contactId: string) => ({ pk: `${tenantPrefix(tenantId)}#C#${contactId}`, sk: '#CONTACT' }),
  /** GSI1: every contact of a tenant, in id (= creation) order. */
  contactListing: (tenantId: string, contactId: string) => ({
    gsi1pk: `${tenantPrefix(tenantId)}#CONTACTS`,
    gsi1sk: `C#${contactId}`,
  }),
  contactListingPartition: (tenantId: string) => `${tenantPrefix(tenantId)}#CONTACTS`,
  phone: (tenantId: string, e164: string) => ({ pk: `${tenantPrefix(tenantId)}#P#${e164}`, sk: '#PHONE' }),
  tagMember: (tenantId: string, tag: string, contactId: string) => ({
    pk: `${tenantPrefix(tenantId)}#TAG#${tag}`,
    sk: `C#${contactId}`,
  }),
  tagPartition: (tenantId: string, tag: string) => `${tenantPrefix(tenantId)}#TAG#${tag}`,
  consentEvent: (tenantId: string, contactId: string, at: string, eventId: string) => ({
    pk: `${tenantPrefix(tenantId)}#C#${contactId}`,
    sk: `CONSENT#${at}#${eventId}`,
  }),
  consentPrefix: 'CONSENT#',
} as const;

export const entityTypes = {
  settings: 'Settings',
  contact: 'Contact',
  phone: 'PhoneClaim',
  tagMember: 'TagMember',
  consentEvent: 'ConsentEvent',
} as const;
