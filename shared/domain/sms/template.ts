import { type ChunkStats, measureChunk, SegmentTally } from './segment-counter';
import type { TemplateContact } from './sms.schema';
import { TemplateSyntaxError, TemplateVariableError } from './template-errors';

/** One `{{contact.<name>}}` placeholder as written in the template. */
export interface TemplateToken {
  /** The variable: `first_name`, `last_name` or a custom field name. */
  name: string;
  /** The fallback for an empty or unknown value, or null when the placeholder gives none. */
  defaultValue: string | null;
  /** UTF-16 offset of the placeholder in the template. */
  position: number;
  /** The placeholder as written, braces included. */
  raw: string;
}

export interface RenderOptions {
  /**
   * The tenant's custom field names. When given, any other non-built-in variable without a default is an error;
   * when absent, a custom field the contact lacks simply renders empty (or its default).
   */
  customFieldNames?: CustomFieldNames;
}

/**
 * A tenant's custom field names. The per-contact paths resolve them once per distinct collection object, so pass the
 * same (unchanged) collection for a whole audience.
 */
export type CustomFieldNames = ReadonlySet<string> | readonly string[];

/** A template parsed once, then rendered or priced for many contacts. */
export interface CompiledTemplate {
  readonly source: string;
  /** Distinct variable names in order of first use. */
  readonly variables: readonly string[];
  readonly tokens: readonly TemplateToken[];
  /** Variables that are unknown for these custom field names and have no default (empty when the template is fine). */
  unknownVariables(customFieldNames: CustomFieldNames): string[];
  /** The message for one contact. Throws `TemplateVariableError` for an unknown variable without a default. */
  render(contact: TemplateContact, options?: RenderOptions): string;
  /** Segments of the rendered message for one contact, without building it; same errors as `render`. */
  segmentsFor(contact: TemplateContact, options?: RenderOptions): number;
}

/** Where a placeholder's value comes from, resolved once per template and set of custom field names. */
type ValueSource = 'firstName' | 'lastName' | 'customField' | 'defaultOnly';

/** Built-in variables and the contact property each one reads. */
const BUILT_IN_FIELDS: ReadonlyMap<string, ValueSource> = new Map([
  ['first_name', 'firstName'],
  ['last_name', 'lastName'],
]);

const PLACEHOLDER =
  /\{\{\s*contact\.([A-Za-z_][A-Za-z0-9_-]*)\s*(?:\|\s*default\s*:\s*(?:"([^"]*)"|'([^']*)'|\u201c([^\u201d]*)\u201d)\s*)?\}\}/g;
const OPENING = '{{';
const FRAGMENT_LIMIT = 60;
const NON_SPACE = /\S/;

/**
 * Parses `{{contact.first_name}}`, `{{contact.last_name}}`, `{{contact.<customField>}}` and
 * `{{contact.<field> | default: "there"}}` placeholders once, so rendering or pricing a message for each of a large
 * audience only looks up values. A `{{` that does not open a well-formed placeholder is a `TemplateSyntaxError`
 * rather than text sent to customers with braces in it.
 */
export function compileTemplate(source: string): CompiledTemplate {
  const tokens: TemplateToken[] = [];
  const statics: string[] = [];
  let cursor = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    statics.push(checkedStaticText(source, cursor, match.index));
    tokens.push({
      name: match[1]!,
      defaultValue: match[2] ?? match[3] ?? match[4] ?? null,
      position: match.index,
      raw: match[0],
    });
    cursor = match.index + match[0].length;
  }
  statics.push(checkedStaticText(source, cursor, source.length));
  return new Template(source, tokens, statics);
}

function checkedStaticText(source: string, start: number, end: number): string {
  const text = source.slice(start, end);
  const opening = text.indexOf(OPENING);
  if (opening >= 0) {
    const position = start + opening;
    const closing = source.indexOf('}}', position + OPENING.length);
    const fragmentEnd = closing < 0 ? source.length : closing + 2;
    throw new TemplateSyntaxError(source.slice(position, Math.min(fragmentEnd, position + FRAGMENT_LIMIT)), position);
  }
  return text;
}

class Template implements CompiledTemplate {
  readonly variables: readonly string[];
  private readonly staticStats: readonly ChunkStats[];
  private readonly values: string[];
  private readonly tally = new SegmentTally();
  private planKey: CustomFieldNames | undefined;
  private plan: readonly ValueSource[];

  constructor(
    readonly source: string,
    readonly tokens: readonly TemplateToken[],
    private readonly statics: readonly string[],
  ) {
    this.variables = [...new Set(tokens.map((token) => token.name))];
    this.staticStats = statics.map(measureChunk);
    this.values = tokens.map(() => '');
    this.plan = this.buildPlan(undefined);
  }

  unknownVariables(customFieldNames: CustomFieldNames): string[] {
    const known: ReadonlySet<string> = new Set(customFieldNames);
    const unknown = this.tokens
      .filter((token) => token.defaultValue === null && !isKnown(token.name, known))
      .map((token) => token.name);
    return [...new Set(unknown)];
  }

  render(contact: TemplateContact, options?: RenderOptions): string {
    const plan = this.planFor(options);
    let text = this.statics[0]!;
    for (let i = 0; i < this.tokens.length; i++) {
      text += resolveValue(contact, this.tokens[i]!, plan[i]!) + this.statics[i + 1]!;
    }
    return text;
  }

  segmentsFor(contact: TemplateContact, options?: RenderOptions): number {
    const plan = this.planFor(options);
    const { tally, tokens, statics, staticStats, values } = this;
    tally.reset();
    tally.addStats(staticStats[0]!);
    for (let i = 0; i < tokens.length; i++) {
      const value = resolveValue(contact, tokens[i]!, plan[i]!);
      values[i] = value;
      tally.scan(value);
      tally.addStats(staticStats[i + 1]!);
    }
    if (tally.needsWalk()) {
      tally.beginWalk();
      tally.walk(statics[0]!);
      for (let i = 0; i < tokens.length; i++) {
        tally.walk(values[i]!);
        tally.walk(statics[i + 1]!);
      }
    }
    return tally.segments();
  }

  private planFor(options: RenderOptions | undefined): readonly ValueSource[] {
    const key = options?.customFieldNames;
    if (key !== this.planKey) {
      this.plan = this.buildPlan(key);
      this.planKey = key;
    }
    return this.plan;
  }

  private buildPlan(customFieldNames: CustomFieldNames | undefined): readonly ValueSource[] {
    if (customFieldNames !== undefined) {
      const unknown = this.unknownVariables(customFieldNames);
      if (unknown.length > 0) throw new TemplateVariableError(unknown[0]!, unknown);
    }
    const known = customFieldNames === undefined ? undefined : new Set(customFieldNames);
    return this.tokens.map(
      (token): ValueSource =>
        BUILT_IN_FIELDS.get(token.name) ??
        (known === undefined || known.has(token.name) ? 'customField' : 'defaultOnly'),
    );
  }
}

function isKnown(name: string, customFieldNames: ReadonlySet<string>): boolean {
  return BUILT_IN_FIELDS.has(name) || customFieldNames.has(name);
}

function resolveValue(contact: TemplateContact, token: TemplateToken, source: ValueSource): string {
  let raw: string | number | boolean | null | undefined;
  if (source === 'firstName') raw = contact.firstName;
  else if (source === 'lastName') raw = contact.lastName;
  else if (source === 'customField') {
    const fields = contact.customFields;
    raw = fields && Object.hasOwn(fields, token.name) ? fields[token.name] : undefined;
  }
  const value = raw === null || raw === undefined ? '' : typeof raw === 'string' ? raw : String(raw);
  if (NON_SPACE.test(value)) return value;
  return token.defaultValue ?? '';
}
