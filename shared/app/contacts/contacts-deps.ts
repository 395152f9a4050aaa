import type { Clock } from '../../ports/clock.port';
import type { ContactStore } from '../../ports/contact-store.port';
import type { IdGenerator } from '../../ports/id-generator.port';
import type { Queue } from '../../ports/queue.port';
import type { SettingsStore } from '../../ports/settings-store.port';

/** The ports the contact use cases need. */
export interface ContactsDeps {
  contacts: ContactStore;
  settings: SettingsStore;
  clock: Clock;
  ids: IdGenerator;
  /** Where contact events go (the `events` queue) for workflow triggers; none: nothing is announced. */
  queue?: Queue | undefined;
}
