import type { ConsentEvent, Contact, TagSummary } from '../domain/contacts/contact.schema';
import type { ContactChange, PhoneRecord } from '../domain/contacts/contact-rules';
import type { Page, PageRequest } from './page';

export interface StoredContact {
  contact: Contact;
  /** Monotonic version, used for optimistic concurrency and to order tag-index writes. */
  version: number;
}

/**
 * Contacts with their phone-number claims (one contact per phone and tenant), tag index and
 * consent history. Every method is scoped by tenant: ids of another tenant are simply not found.
 */
export interface ContactStore {
  getContact(tenantId: string, contactId: string): Promise<StoredContact | undefined>;
  /**
   * The last look before a send, in one consistent read: the contact, and whether `phone` (the number the caller
   * expects it to have) opted out as a number.
   */
  getContactAndNumberOptOut(
    tenantId: string,
    contactId: string,
    phone: string,
  ): Promise<{ stored: StoredContact | undefined; numberOptedOut: boolean }>;
  getContacts(tenantId: string, contactIds: string[]): Promise<Map<string, StoredContact>>;
  /** What is known of each phone (its claim and its opt-out); every phone asked for is in the map. */
  getPhoneRecords(tenantId: string, phones: string[]): Promise<Map<string, PhoneRecord>>;
  /**
   * Claims a phone for a new or moving contact with a conditional write: of two concurrent claims
   * of one number exactly one wins. Returns false when another contact holds it. `takeOverFrom`
   * replaces a stale claim (its contact is gone or moved to another number).
   */
  claimPhone(tenantId: string, phone: string, contactId: string, takeOverFrom?: string): Promise<boolean>;
  /**
   * Claims many phones no contact holds, each for the contact id given, with batched writes rather than one
   * conditional write each (imports); returns the phones won. A phone another contact holds, or that a concurrent
   * claim took first, is not won: exactly one claimer of a number wins, as with `claimPhone`.
   */
  claimNewPhones(tenantId: string, claims: { phone: string; contactId: string }[]): Promise<Set<string>>;
  /** Writes one new contact whose phone this caller has claimed. */
  createContact(tenantId: string, change: ContactChange): Promise<boolean>;
  /** Writes new contacts whose phones this caller has claimed, in batches (contacts, tags, consent). */
  putImportedContacts(tenantId: string, created: ContactChange[]): Promise<void>;
  /**
   * Writes a changed contact if its version is still `previous.version`, then brings the tag index,
   * the phone claims and the consent history in line. Throws ConcurrentModificationError otherwise.
   */
  saveContact(tenantId: string, previous: StoredContact, change: ContactChange): Promise<StoredContact>;
  deleteContact(tenantId: string, previous: StoredContact): Promise<void>;
  /** Marks (or, with null, clears) a number's opt-out when no contact holds it (STOP from a stranger). */
  setNumberOptOut(tenantId: string, phone: string, optedOutAt: string | null): Promise<void>;
  /**
   * A number that changes after every contact write of the tenant (read consistently): a snapshot of
   * the tenant's contacts taken after reading stamp N is complete for every write stamped up to N.
   */
  contactsStamp(tenantId: string): Promise<number>;
  /** How many contacts carry each tag (kept by every tag change; used to plan audience scans). */
  tagSizes(tenantId: string, tags: string[]): Promise<Map<string, number>>;
  /** The tags contacts of the tenant carry now, by name, with how many carry each. */
  listTags(tenantId: string, page: PageRequest): Promise<Page<TagSummary>>;
  /** Every custom field name any contact of the tenant has carried (names are never removed). */
  listCustomFieldNames(tenantId: string): Promise<string[]>;
  /** Every contact of the tenant, read with `parallelism` concurrent range queries (for snapshots). */
  listAllContacts(tenantId: string, parallelism: number): Promise<Contact[]>;
  listContacts(tenantId: string, page: PageRequest): Promise<Page<Contact>>;
  listContactsByTag(tenantId: string, tag: string, page: PageRequest): Promise<Page<Contact>>;
  listConsentHistory(tenantId: string, contactId: string, page: PageRequest): Promise<Page<ConsentEvent>>;
}
