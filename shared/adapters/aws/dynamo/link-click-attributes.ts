/**
 * A ledger entry's clicks per link live in top-level number attributes `lc#<index>`: DynamoDB can `ADD` to an
 * attribute that does not exist yet, not to a key of a map that does not.
 */
export const linkClickAttribute = (index: number) => `lc#${index}`;

/** The `lc#<index>` attributes of an item as `{index: clicks}`, or undefined when it has none. */
export function linkClicksOf(item: Record<string, unknown>): Record<string, number> | undefined {
  let clicks: Record<string, number> | undefined;
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith('lc#') && typeof value === 'number') {
      clicks ??= {};
      clicks[name.slice(3)] = value;
    }
  }
  return clicks;
}
