import type { TrackedLink } from '../../domain/links/tracked-link.schema';
import type { LinkStore } from '../../ports/link-store.port';

/** Links kept by one redirect process: about 300 bytes each, so 50,000 cost some 15 MB. */
export const LINK_CACHE_ENTRIES = 50_000;

/**
 * A bounded in-memory cache of link lookups in front of the store. A link never changes once stored (its code, URL,
 * recipient and expiry are written once, before the text goes), so a cached link is as good as a fresh read until it
 * expires: an expired one is dropped and refused, exactly as the store refuses it. Unknown codes are not cached (a
 * scan of random codes cannot fill it), and the least recently used link goes first when it is full. Hits and misses
 * are counted, so a benchmark can say how much of its traffic the cache served.
 */
export class LinkLookupCache {
  private readonly links = new Map<string, TrackedLink>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly store: Pick<LinkStore, 'getLink'>,
    private readonly capacity = LINK_CACHE_ENTRIES,
  ) {}

  async getLink(code: string, now: Date): Promise<TrackedLink | undefined> {
    const cached = this.links.get(code);
    if (cached) {
      this.links.delete(code);
      if (Date.parse(cached.validUntil) <= now.getTime()) return undefined;
      this.links.set(code, cached);
      this.hits++;
      return cached;
    }
    this.misses++;
    const link = await this.store.getLink(code, now);
    if (link) {
      this.links.set(code, link);
      if (this.links.size > this.capacity) this.links.delete(this.links.keys().next().value as string);
    }
    return link;
  }

  get size(): number {
    return this.links.size;
  }
}
