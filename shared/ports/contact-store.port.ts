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
  getPhoneRecords(tenantId: string, phones: string[]): Promise<Map<string, PhoneRecord>>;
  /**
   * Claims a phone for a contact. Returns false when another contact holds it. `takeOverFrom`
   * replaces a claim whose contact no longer exists (left behind by a crash mid-create).
   */
  claimPhone(tenantId: string, phone: string, contactId: string, takeOverFrom?: string): Promise<boolean>;
  /** Writes brand-new contacts (their phones already claimed), their tag index and consent events. */
  putNewContacts(tenantId: string, changes: ContactChange[]): Promise<void>;
  /**
   * Writes a changed contact if its version is still `previous.version`, then brings the tag index,
   * the phone claims and the consent history in line. Throws ConcurrentModificationError otherwise.
   */
  saveContact(tenantId: string, previous: StoredContact, change: ContactChange): Promise<StoredContact>;
  deleteContact(tenantId: string, previous: StoredContact): Promise<void>;
  listContacts(tenantId: string, page: PageRequest): Promise<Page<Contact>>;
  listContactsByTag(tenantId: string, tag: string, page: PageRequest): Promise<Page<Contact>>;
  listConsentHistory(tenantId: string, contactId: string, page: PageRequest): Promise<Page<ConsentEvent>>;
}
