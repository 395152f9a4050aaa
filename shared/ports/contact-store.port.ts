import type { ContactChange, PhoneRecord } from '../domain/contacts/contact-rules';
import type { ConsentEvent, Contact } from '../domain/contacts/contact.schema';
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
  getContacts(tenantId: string, contactIds: string[]): Promise<Map<string, StoredContact>>;
  /** What is known of each phone; a phone never seen has generation 0 and no claim. */
  getPhoneRecords(tenantId: string, phones: string[]): Promise<Map<string, PhoneRecord>>;
  /**
   * The id the contact for `phone` gets at this generation of the number. Deterministic, so every
   * concurrent creator of one phone (API or import) writes the same contact instead of two.
   */
  contactIdForPhone(tenantId: string, phone: string, generation: number): Promise<string>;
  /**
   * Claims a phone for a contact (conditional). Returns false when another contact holds it.
   * `takeOverFrom` replaces a stale claim (its contact is gone or moved to another number).
   */
  claimPhone(tenantId: string, phone: string, contactId: string, generation: number, takeOverFrom?: string): Promise<boolean>;
  /** Writes one new contact unless a contact with its id exists already (returns false then). */
  createContact(tenantId: string, change: ContactChange): Promise<boolean>;
  /**
   * Writes new contacts from an import in batches: contacts, tags and consent first, then their
   * phone claims, so a claim never points to a contact that is not written yet.
   */
  putImportedContacts(tenantId: string, created: { change: ContactChange; generation: number }[]): Promise<void>;
  /**
   * Writes a changed contact if its version is still `previous.version`, then brings the tag index,
   * the phone claims and the consent history in line. Throws ConcurrentModificationError otherwise.
   */
  saveContact(tenantId: string, previous: StoredContact, change: ContactChange): Promise<StoredContact>;
  deleteContact(tenantId: string, previous: StoredContact): Promise<void>;
  /** Every custom field name any contact of the tenant has carried (names are never removed). */
  listCustomFieldNames(tenantId: string): Promise<string[]>;
  listContacts(tenantId: string, page: PageRequest): Promise<Page<Contact>>;
  listContactsByTag(tenantId: string, tag: string, page: PageRequest): Promise<Page<Contact>>;
  listConsentHistory(tenantId: string, contactId: string, page: PageRequest): Promise<Page<ConsentEvent>>;
}
