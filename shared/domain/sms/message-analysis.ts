import { graphemesOf } from './graphemes';
import { isGsmText } from './gsm-alphabet';
import { suggestGsmReplacement } from './gsm-replacements';
import { measureSegments } from './segments';
import type { AppliedReplacement, MessageAnalysis, NonGsmCharacter } from './sms.schema';

export interface AnalyzeOptions {
  /** Swap every character that has a GSM-7 suggestion for it before counting. Off unless asked: never silent. */
  applyReplacements?: boolean;
}

/**
 * The composer's live report for a text: encoding, parts, fill, and each character that forces UCS-2 with a
 * suggested GSM-7 stand-in, because one curly quote can triple what a campaign costs.
 */
export function analyzeMessage(text: string, options: AnalyzeOptions = {}): MessageAnalysis {
  const appliedReplacements: AppliedReplacement[] = [];
  const analysed = options.applyReplacements ? applyReplacements(text, appliedReplacements) : text;
  const count = measureSegments(analysed);
  const graphemes = graphemesOf(analysed);
  const nonGsmCharacters: NonGsmCharacter[] = [];
  if (count.encoding === 'UCS-2') {
    for (const { char, position } of graphemes) {
      if (!isGsmText(char)) {
        nonGsmCharacters.push({
          char,
          position,
          unicode: describeCodePoints(char),
          replacement: suggestGsmReplacement(char),
        });
      }
    }
  }
  return { text: analysed, ...count, characters: graphemes.length, nonGsmCharacters, appliedReplacements };
}

function applyReplacements(text: string, applied: AppliedReplacement[]): string {
  if (isGsmText(text)) return text;
  let result = '';
  for (const { char, position } of graphemesOf(text)) {
    const replacement = isGsmText(char) ? null : suggestGsmReplacement(char);
    if (replacement === null) {
      result += char;
    } else {
      applied.push({ char, position, replacement });
      result += replacement;
    }
  }
  return result;
}

function describeCodePoints(char: string): string {
  const codes: string[] = [];
  for (const codePoint of char) {
    codes.push(`U+${codePoint.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  return codes.join(' ');
}
