function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Case-insensitive "contains" as a compiled pattern (Unicode simple case folding). Testing a pattern allocates
 * nothing, where lower-casing each contact's value would allocate a string per contact per condition.
 */
export function containsPattern(needle: string): RegExp {
  return new RegExp(escapeRegExp(needle), 'iu');
}

/** Case-insensitive equality as a compiled pattern, for the same reason as {@link containsPattern}. */
export function equalsPattern(needle: string): RegExp {
  return new RegExp(`^${escapeRegExp(needle)}$`, 'iu');
}
