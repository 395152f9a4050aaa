const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A user-perceived character and where it starts in the text (a UTF-16 offset, as JavaScript strings index). */
export interface Grapheme {
  char: string;
  position: number;
}

/**
 * Splits text into user-perceived characters (extended grapheme clusters), so an emoji with a skin tone or a
 * letter with a combining accent is counted and reported once, the way the writer sees it.
 */
export function graphemesOf(text: string): Grapheme[] {
  const graphemes: Grapheme[] = [];
  for (const { segment, index } of graphemeSegmenter.segment(text)) graphemes.push({ char: segment, position: index });
  return graphemes;
}
