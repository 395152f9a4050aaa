import type { TagGroup } from './audience.schema';

function hasAny(tags: readonly string[], wanted: readonly string[]): boolean {
  for (let i = 0; i < wanted.length; i++) if (tags.includes(wanted[i]!)) return true;
  return false;
}

function hasAll(tags: readonly string[], wanted: readonly string[]): boolean {
  for (let i = 0; i < wanted.length; i++) if (!tags.includes(wanted[i]!)) return false;
  return true;
}

/**
 * Whether a contact's tags satisfy a tag group: at least one of `any`, every one of `all`, none of `none`. A list
 * that is left out or empty sets no rule. Tags match exactly (case and all), as they do in the tag index. Runs once
 * per scanned contact, so it allocates nothing.
 */
export function matchesTagGroup(tags: readonly string[], group: TagGroup): boolean {
  const { any, all, none } = group;
  if (any !== undefined && any.length > 0 && !hasAny(tags, any)) return false;
  if (all !== undefined && !hasAll(tags, all)) return false;
  return none === undefined || !hasAny(tags, none);
}

/**
 * Where a resolver reads contacts from for a tag group. `tags`: read the partition of each tag (a contact in several
 * is met more than once, so dedupe by id when there are several) and keep those for which `matchesTagGroup` holds.
 * `tenant`: read every contact of the tenant, the only way to find contacts by a tag they do not have.
 */
export type TagScanPlan = { scan: 'tags'; tags: string[] } | { scan: 'tenant' };

function smallest(tags: readonly string[], sizeOf: (tag: string) => number): { tag: string; size: number } {
  let best = { tag: tags[0]!, size: sizeOf(tags[0]!) };
  for (let i = 1; i < tags.length; i++) {
    const size = sizeOf(tags[i]!);
    if (size < best.size) best = { tag: tags[i]!, size };
  }
  return best;
}

/**
 * Picks the tag partitions to scan for a tag group so that resolving it costs work in proportion to the audience, not
 * to the tenant: every contact in the audience is in each `all` partition and in at least one `any` partition.
 *
 * - `any`: the union of the `any` tags' partitions.
 * - `all` without `any`: the one `all` tag whose partition is smallest, as `sizeOf` (the caller's tag counts) says.
 * - both: whichever of the two is cheaper (the smallest `all` partition against the sum of the `any` ones).
 * - `none` alone: the whole tenant.
 *
 * The scan finds a superset of the audience; the caller still filters it with `matchesTagGroup`.
 */
export function planTagAudience(group: TagGroup, sizeOf: (tag: string) => number): TagScanPlan {
  const anyTags = [...new Set(group.any ?? [])];
  const allTags = [...new Set(group.all ?? [])];
  if (allTags.length === 0) return anyTags.length > 0 ? { scan: 'tags', tags: anyTags } : { scan: 'tenant' };
  const bestAll = smallest(allTags, sizeOf);
  if (anyTags.length === 0) return { scan: 'tags', tags: [bestAll.tag] };
  let anyCost = 0;
  for (const tag of anyTags) anyCost += sizeOf(tag);
  return bestAll.size < anyCost ? { scan: 'tags', tags: [bestAll.tag] } : { scan: 'tags', tags: anyTags };
}
