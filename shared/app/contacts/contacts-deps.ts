import type { Clock } from '../../ports/clock.port';
import type { ContactStore } from '../../ports/contact-store.port';
import type { IdGenerator } from '../../ports/id-generator.port';
import type { SettingsStore } from '../../ports/settings-store.port';

/** The ports the contact use cases need. */
export interface ContactsDeps {
  contacts: ContactStore;
  settings: SettingsStore;
  clock: Clock;
  ids: IdGenerator;
}
