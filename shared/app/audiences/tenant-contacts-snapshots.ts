import type { Contact } from '../../domain/contacts/contact.schema';
import type { ContactStore } from '../../ports/contact-store.port';

interface Snapshot {
  stamp: number;
  loadedAt: number;
  contacts: Contact[];
}

export interface SnapshotOptions {
  /** Contacts kept across all tenants (memory bound of a warm function). */
  maxContacts: number;
  /** A snapshot older than this is reloaded even if the stamp did not move (guards a lost stamp bump). */
  maxAgeMs: number;
}

/**
 * Warm-memory snapshots of tenants' contacts for live counts. A person choosing an audience asks
 * for many previews in a row over data that rarely changes in between; each preview reads the
 * tenant's contacts stamp (one consistent read) and reuses the snapshot while the stamp is
 * unchanged, so counts stay exact while the scan is done once.
 */
export class TenantContactsSnapshots {
  private readonly snapshots = new Map<string, Snapshot>();
  /** Loads under way, so that previews arriving together on a cold tenant scan it once. */
  private readonly loading = new Map<string, { stamp: number; contacts: Promise<Contact[]> }>();
  /** When a tenant was last found larger than the whole budget (it is then not worth loading for a tag group). */
  private readonly oversizedAt = new Map<string, number>();

  constructor(private readonly options: SnapshotOptions = { maxContacts: 300_000, maxAgeMs: 5 * 60_000 }) {}

  /** The snapshot if it is current for `stamp`, else undefined. */
  current(tenantId: string, stamp: number, now: number): Contact[] | undefined {
    const snapshot = this.snapshots.get(tenantId);
    if (!snapshot || snapshot.stamp !== stamp || now - snapshot.loadedAt > this.options.maxAgeMs) return undefined;
    // Re-insert: the map's order is the eviction order (least recently used first).
    this.snapshots.delete(tenantId);
    this.snapshots.set(tenantId, snapshot);
    return snapshot.contacts;
  }

  /**
   * Whether a snapshot could be kept for the tenant: false while its last load, under `maxAgeMs` ago, found more
   * contacts than the budget (then every preview would scan the whole tenant again).
   */
  fits(tenantId: string, now: number): boolean {
    const at = this.oversizedAt.get(tenantId);
    return at === undefined || now - at > this.options.maxAgeMs;
  }

  /**
   * Reads every contact of the tenant. The stamp must have been read before the scan starts: the
   * snapshot then holds at least every write stamped up to it. A load already under way for the same
   * stamp is shared (it is as complete for that stamp as a new one would be).
   */
  async load(tenantId: string, stamp: number, store: ContactStore, now: number): Promise<Contact[]> {
    const pending = this.loading.get(tenantId);
    if (pending?.stamp === stamp) return pending.contacts;
    const contacts = store.listAllContacts(tenantId, 4);
    this.loading.set(tenantId, { stamp, contacts });
    try {
      const loaded = await contacts;
      this.keep(tenantId, { stamp, loadedAt: now, contacts: loaded });
      return loaded;
    } finally {
      if (this.loading.get(tenantId)?.contacts === contacts) this.loading.delete(tenantId);
    }
  }

  private keep(tenantId: string, snapshot: Snapshot): void {
    // A load of a newer stamp may have landed first: an older one never replaces it.
    if ((this.snapshots.get(tenantId)?.stamp ?? -1) > snapshot.stamp) return;
    this.snapshots.delete(tenantId);
    if (snapshot.contacts.length > this.options.maxContacts) {
      this.oversizedAt.set(tenantId, snapshot.loadedAt);
      return;
    }
    this.oversizedAt.delete(tenantId);
    this.snapshots.set(tenantId, snapshot);
    let total = 0;
    for (const kept of this.snapshots.values()) total += kept.contacts.length;
    for (const [oldest, kept] of this.snapshots) {
      if (total <= this.options.maxContacts) break;
      this.snapshots.delete(oldest);
      total -= kept.contacts.length;
    }
  }
}
