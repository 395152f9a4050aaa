/**
 * How big a filter may be. A filter runs against every contact of a tenant on each keystroke of the audience picker,
 * so its cost must be bounded; no filter a person builds by hand comes near these.
 */
export const FILTER_LIMITS = {
  /** Levels of groups, the top-level `all`/`any` being level 1. */
  maxDepth: 5,
  /** Conditions (leaves) in the whole filter. */
  maxConditions: 50,
  /** Groups in the whole filter, the top-level one included. */
  maxGroups: 20,
} as const;

export interface FilterLimitIssue {
  path: (string | number)[];
  message: string;
}

interface Counts {
  conditions: number;
  groups: number;
}

function groupKeyOf(node: unknown): 'all' | 'any' | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  if (Object.hasOwn(node, 'all')) return 'all';
  return Object.hasOwn(node, 'any') ? 'any' : undefined;
}

function walk(node: unknown, depth: number, path: (string | number)[], counts: Counts): FilterLimitIssue | undefined {
  const key = groupKeyOf(node);
  if (key === undefined) {
    counts.conditions++;
    return counts.conditions > FILTER_LIMITS.maxConditions
      ? { path: [], message: `must hold at most ${FILTER_LIMITS.maxConditions} conditions` }
      : undefined;
  }
  if (depth > FILTER_LIMITS.maxDepth) {
    return { path, message: `nests groups deeper than ${FILTER_LIMITS.maxDepth} levels` };
  }
  counts.groups++;
  if (counts.groups > FILTER_LIMITS.maxGroups) {
    return { path: [], message: `must hold at most ${FILTER_LIMITS.maxGroups} groups` };
  }
  const children = (node as Record<string, unknown>)[key];
  if (!Array.isArray(children)) return undefined;
  for (let i = 0; i < children.length; i++) {
    const issue = walk(children[i], depth + 1, [...path, key, i], counts);
    if (issue !== undefined) return issue;
  }
  return undefined;
}

/**
 * The first limit a raw (not yet validated) filter breaks, if any. It runs before the filter's shape is checked and
 * stops as soon as a limit is crossed, so a hostile body costs at most the limits' worth of work however big it is.
 * Anything that is not a group counts as a condition; whether it is a valid one is the schema's business.
 */
export function findFilterLimitIssue(input: unknown): FilterLimitIssue | undefined {
  return walk(input, 1, [], { conditions: 0, groups: 0 });
}
