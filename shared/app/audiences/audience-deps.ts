import type { Clock } from '../../ports/clock.port';
import type { ContactStore } from '../../ports/contact-store.port';
import type { SettingsStore } from '../../ports/settings-store.port';
import type { SmartListStore } from '../../ports/smart-list-store.port';

/** The ports audience resolution and previews need. */
export interface AudienceDeps {
  contacts: ContactStore;
  settings: SettingsStore;
  smartLists: SmartListStore;
  clock: Clock;
}
