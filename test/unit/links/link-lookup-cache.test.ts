import { LinkLookupCache } from '../../../shared/app/links/link-lookup-cache';
import type { TrackedLink } from '../../../shared/domain/links/tracked-link.schema';

const NOW = new Date('2026-03-04T19:00:00.000Z');

function linkOf(code: string, validUntil = '2026-06-01T00:00:00.000Z'): TrackedLink {
  return {
    code,
    tenantId: 't1',
    contactId: `c-${code}`,
    source: { kind: 'campaign', campaignId: 'k1' },
    index: 0,
    url: `https://example.com/${code}`,
    sentAt: '2026-03-04T18:00:00.000Z',
    validUntil,
  };
}

/** A store that answers from a map and counts its reads. */
function storeOf(links: TrackedLink[]) {
  const byCode = new Map(links.map((link) => [link.code, link]));
  const reads: string[] = [];
  return {
    reads,
    getLink: async (code: string, now: Date) => {
      reads.push(code);
      const link = byCode.get(code);
      return link && Date.parse(link.validUntil) > now.getTime() ? link : undefined;
    },
  };
}

describe('link lookup cache', () => {
  it('reads a link once, then answers from memory, counting hits and misses', async () => {
    const store = storeOf([linkOf('aaa')]);
    const cache = new LinkLookupCache(store);

    const first = await cache.getLink('aaa', NOW);
    const second = await cache.getLink('aaa', NOW);

    expect(first?.url).toBe('https://example.com/aaa');
    expect(second).toEqual(first);
    expect(store.reads).toEqual(['aaa']);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 1 });
  });

  it('refuses a cached link from the instant it expires, as the store does', async () => {
    const store = storeOf([linkOf('exp', '2026-03-04T19:00:05.000Z')]);
    const cache = new LinkLookupCache(store);

    expect(await cache.getLink('exp', NOW)).toBeDefined();
    expect(await cache.getLink('exp', new Date('2026-03-04T19:00:05.000Z'))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never caches an unknown code, and keeps at most its capacity (least recently used out first)', async () => {
    const store = storeOf([linkOf('a'), linkOf('b'), linkOf('c')]);
    const cache = new LinkLookupCache(store, 2);

    expect(await cache.getLink('nope', NOW)).toBeUndefined();
    expect(await cache.getLink('nope', NOW)).toBeUndefined();
    await cache.getLink('a', NOW);
    await cache.getLink('b', NOW);
    await cache.getLink('a', NOW); // a is now the most recent
    await cache.getLink('c', NOW); // b goes
    await cache.getLink('b', NOW);

    expect(store.reads).toEqual(['nope', 'nope', 'a', 'b', 'c', 'b']);
    expect(cache.size).toBe(2);
  });
});
