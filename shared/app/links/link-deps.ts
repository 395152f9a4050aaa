import type { Clock } from '../../ports/clock.port';
import type { LinkStore } from '../../ports/link-store.port';

/** What shortening and counting links needs. */
export interface LinkDeps {
  links: LinkStore;
  clock: Clock;
  /**
   * The deployment's short-link base (`http://127.0.0.1:3000/l/` locally), read when a text is sent; undefined when
   * the deployment has none (then only tenants with their own short domain get tracked links).
   */
  shortLinkBaseUrl: () => string | undefined;
}
