import type { Clock } from '../../ports/clock.port';
import type { ContactStore } from '../../ports/contact-store.port';
import type { SettingsStore } from '../../ports/settings-store.port';
import type { SmartListStore } from '../../ports/smart-list-store.port';
import type { TenantContactsSnapshots } from './tenant-contacts-snapshots';

/** The ports audience resolution and previews need. */
export interface AudienceDeps {
  contacts: ContactStore;
  settings: SettingsStore;
  smartLists: SmartListStore;
  clock: Clock;
  /** Warm snapshots for live previews; absent, previews read the store every time. */
  snapshots?: TenantContactsSnapshots;
}
