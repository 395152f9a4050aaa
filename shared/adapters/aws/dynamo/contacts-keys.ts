/**
 * Keys of the contacts table, built only here. Every partition key starts with the tenant,
 * so no query can reach across tenants.
 */
const tenantPrefix = (tenantId: string) => `T#${tenantId}`;

export const contactsKeys = {
  tenantPrefix,
  settings: (tenantId: string) => ({ pk: tenantPrefix(tenantId), sk: '#SETTINGS' }),
  contact: (tenantId: string, contactId: string) => ({
    pk: `${tenantPrefix(tenantId)}#C#${contactId}`,
    sk: '#CONTACT',
  }),
  /** GSI1: every contact of a tenant, in creation order. */
  contactListing: (tenantId: string, contactId: string, createdAt: string) => ({
    gsi1pk: `${tenantPrefix(tenantId)}#CONTACTS`,
    gsi1sk: `C#${createdAt}#${contactId}`,
  }),
  contactListingPartition: (tenantId: string) => `${tenantPrefix(tenantId)}#CONTACTS`,
  phone: (tenantId: string, e164: string) => ({ pk: `${tenantPrefix(tenantId)}#P#${e164}`, sk: '#PHONE' }),
  /** The number's opt-out, kept apart from the claim so no claim write can ever erase it. */
  phoneOptOut: (tenantId: string, e164: string) => ({ pk: `${tenantPrefix(tenantId)}#P#${e164}`, sk: '#OPTOUT' }),
  /** Held by an import while it claims new phones of one shard in batches (see PhoneClaims). */
  phoneClaimLock: (tenantId: string, shard: number) => ({
    pk: tenantPrefix(tenantId),
    sk: `#PHONE_CLAIM_LOCK#${shard}`,
  }),
  /** The custom field names the tenant's contacts use (templates check variables against them). */
  customFieldNames: (tenantId: string) => ({ pk: tenantPrefix(tenantId), sk: '#FIELDS' }),
  /** Bumped after every contact write: readers holding a snapshot of the tenant's contacts compare it. */
  contactsStamp: (tenantId: string) => ({ pk: tenantPrefix(tenantId), sk: '#CONTACTS_STAMP' }),
  smartList: (tenantId: string, id: string) => ({ pk: tenantPrefix(tenantId), sk: `SL#${id}` }),
  smartListPrefix: 'SL#',
  tagMember: (tenantId: string, tag: string, contactId: string) => ({
    pk: `${tenantPrefix(tenantId)}#TAG#${tag}`,
    sk: `C#${contactId}`,
  }),
  tagPartition: (tenantId: string, tag: string) => `${tenantPrefix(tenantId)}#TAG#${tag}`,
  /** How many contacts carry the tag; sorts before the members (`#` < `C`). Used to plan scans only. */
  tagCount: (tenantId: string, tag: string) => ({ pk: `${tenantPrefix(tenantId)}#TAG#${tag}`, sk: '#COUNT' }),
  tagMemberPrefix: 'C#',
  /** GSI1 of a tag's count item: every tag of a tenant, by name (the tag list). */
  tagListing: (tenantId: string, tag: string) => ({ gsi1pk: `${tenantPrefix(tenantId)}#TAGS`, gsi1sk: `TAG#${tag}` }),
  tagListingPartition: (tenantId: string) => `${tenantPrefix(tenantId)}#TAGS`,
  tagListingPrefix: 'TAG#',
  /** An inbound text from a phone, by the carrier's id (so a duplicate notification finds it). */
  inboundMessage: (tenantId: string, e164: string, inboundMessageId: string) => ({
    pk: `${tenantPrefix(tenantId)}#P#${e164}`,
    sk: `IN#${inboundMessageId}`,
  }),
  inboundPrefix: 'IN#',
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
  phoneOptOut: 'PhoneOptOut',
  phoneClaimLock: 'PhoneClaimLock',
  smartList: 'SmartList',
  contactsStamp: 'ContactsStamp',
  customFieldNames: 'CustomFieldNames',
  tagMember: 'TagMember',
  tagCount: 'TagCount',
  consentEvent: 'ConsentEvent',
  inboundMessage: 'InboundMessage',
} as const;
