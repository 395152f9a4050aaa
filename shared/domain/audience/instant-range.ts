/** `Date.prototype.toISOString` output, the form every timestamp this system writes takes: 24 characters, UTC. */
function isCanonical(text: string): boolean {
  return text.length === 24 && text.charCodeAt(23) === 90 && text.charCodeAt(10) === 84 && text.charCodeAt(19) === 46;
}

/** The canonical text of an instant, or undefined when it has none of 24 characters (years outside 0000-9999). */
function canonicalText(instant: number): string | undefined {
  if (!Number.isFinite(instant) || Math.abs(instant) > 8.64e15) return undefined;
  const text = new Date(instant).toISOString();
  return isCanonical(text) ? text : undefined;
}

/**
 * A test of ISO timestamps (valid ones: the caller checks) against the inclusive range `[from, to]` of epoch
 * milliseconds, either end possibly infinite. Timestamps in the canonical form compare as text against the bounds'
 * canonical texts, which orders them like the instants and, unlike `Date.parse`, allocates nothing; any other form
 * (an offset, no milliseconds) is parsed.
 */
export function compileInstantRange(from: number, to: number): (text: string) => boolean {
  const fromText = from === -Infinity ? '' : canonicalText(from);
  const toText = to === Infinity ? '~' : canonicalText(to);
  const inRange = (text: string) => {
    const instant = Date.parse(text);
    return instant >= from && instant <= to;
  };
  if (fromText === undefined || toText === undefined) return inRange;
  return (text) => (isCanonical(text) ? text >= fromText && text <= toText : inRange(text));
}
