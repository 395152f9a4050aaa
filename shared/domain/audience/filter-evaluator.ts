import type { Contact } from '../contacts/contact.schema';
import type { Condition, Filter, FilterNode } from './filter.schema';
import { customFieldName, type FieldKind, type FilterField, type FilterOperator, fieldKind } from './filter-fields';
import { compileInstantRange } from './instant-range';
import { isIsoInstantText, parseIsoInstant } from './iso-instant';
import { containsPattern, equalsPattern } from './text-pattern';

/** What a filter reads: a stored contact, plus when the person last texted in (kept by the inbound path). */
export type FilterableContact = Contact & { lastInboundAt?: string | null };

/** A compiled filter: call it once per contact. */
export type ContactPredicate = (contact: FilterableContact) => boolean;

type Reader<T> = (contact: FilterableContact) => T;
type CustomValue = Contact['customFields'][string] | undefined;

const DAY_MS = 86_400_000;

const NEGATION_OF: Partial<Record<FilterOperator, FilterOperator>> = {
  notContains: 'contains',
  neq: 'eq',
  notExists: 'exists',
};

const always: ContactPredicate = () => true;

function unsupported(condition: Condition): never {
  throw new Error(`Unsupported filter condition ${JSON.stringify(condition)}: parse filters with filterSchema first`);
}

function allOf(predicates: ContactPredicate[]): ContactPredicate {
  const [first, second] = predicates;
  if (first === undefined) return always;
  if (second === undefined) return first;
  if (predicates.length === 2) return (contact) => first(contact) && second(contact);
  return (contact) => {
    for (let i = 0; i < predicates.length; i++) if (!predicates[i]!(contact)) return false;
    return true;
  };
}

function anyOf(predicates: ContactPredicate[]): ContactPredicate {
  const [first, second] = predicates;
  if (first === undefined) return () => false;
  if (second === undefined) return first;
  if (predicates.length === 2) return (contact) => first(contact) || second(contact);
  return (contact) => {
    for (let i = 0; i < predicates.length; i++) if (predicates[i]!(contact)) return true;
    return false;
  };
}

function textReader(field: FilterField): Reader<string | null> {
  switch (field) {
    case 'firstName':
      return (contact) => contact.firstName;
    case 'lastName':
      return (contact) => contact.lastName;
    case 'email':
      return (contact) => contact.email;
    case 'phone':
      return (contact) => contact.phone;
    case 'timeZone':
      return (contact) => contact.timeZone;
    default:
      throw new Error(`${field} is not a text field`);
  }
}

function dateReader(field: FilterField): Reader<string | null | undefined> {
  switch (field) {
    case 'createdAt':
      return (contact) => contact.createdAt;
    case 'updatedAt':
      return (contact) => contact.updatedAt;
    case 'lastInboundAt':
      return (contact) => contact.lastInboundAt;
    default:
      throw new Error(`${field} is not a date field`);
  }
}

/**
 * The instants `before`, `after` and `withinDays` accept, as an inclusive range of epoch ms (instants are whole
 * milliseconds, so "before b" is "at most b - 1").
 */
function instantTest(op: FilterOperator, value: Condition['value'], nowMs: number): (text: string) => boolean {
  if (op === 'withinDays') return compileInstantRange(nowMs - Number(value) * DAY_MS, nowMs);
  const bound = parseIsoInstant(String(value));
  if (Number.isNaN(bound)) throw new Error(`${String(value)} is not an ISO date`);
  return op === 'before' ? compileInstantRange(-Infinity, bound - 1) : compileInstantRange(bound + 1, Infinity);
}

function compileTags(op: FilterOperator, value: Condition['value']): ContactPredicate | undefined {
  if (op === 'exists') return (contact) => contact.tags.length > 0;
  if (op !== 'contains') return undefined;
  const tag = String(value).trim();
  return (contact) => contact.tags.includes(tag);
}

function compileText(field: FilterField, op: FilterOperator, value: Condition['value']): ContactPredicate | undefined {
  const read = textReader(field);
  if (op === 'exists') {
    return (contact) => {
      const text = read(contact);
      return text !== null && text !== undefined && text.length > 0;
    };
  }
  if (op !== 'contains' && op !== 'eq') return undefined;
  const pattern = op === 'contains' ? containsPattern(String(value)) : equalsPattern(String(value));
  return (contact) => {
    const text = read(contact);
    return text !== null && text !== undefined && pattern.test(text);
  };
}

function compileDate(field: FilterField, op: FilterOperator, value: Condition['value'], nowMs: number) {
  const read = dateReader(field);
  if (op === 'exists') {
    return (contact: FilterableContact) => {
      const text = read(contact);
      return text !== null && text !== undefined && text.length > 0;
    };
  }
  if (op !== 'before' && op !== 'after' && op !== 'withinDays') return undefined;
  const test = instantTest(op, value, nowMs);
  return (contact: FilterableContact) => {
    const text = read(contact);
    return text !== null && text !== undefined && test(text);
  };
}

function compileConsent(op: FilterOperator, value: Condition['value']): ContactPredicate | undefined {
  if (op !== 'eq') return undefined;
  return (contact) => contact.smsConsent.status === value;
}

function customEquals(value: Condition['value']): (stored: CustomValue) => boolean {
  if (typeof value !== 'string') return (stored) => stored === value;
  const pattern = equalsPattern(value);
  return (stored) => typeof stored === 'string' && pattern.test(stored);
}

function customTest(op: FilterOperator, value: Condition['value'], nowMs: number) {
  const limit = Number(value);
  switch (op) {
    case 'exists':
      return (stored: CustomValue) =>
        typeof stored === 'number' || typeof stored === 'boolean' || (typeof stored === 'string' && stored.length > 0);
    case 'contains': {
      const pattern = containsPattern(String(value));
      return (stored: CustomValue) => typeof stored === 'string' && pattern.test(stored);
    }
    case 'eq':
      return customEquals(value);
    case 'gt':
      return (stored: CustomValue) => typeof stored === 'number' && stored > limit;
    case 'gte':
      return (stored: CustomValue) => typeof stored === 'number' && stored >= limit;
    case 'lt':
      return (stored: CustomValue) => typeof stored === 'number' && stored < limit;
    case 'lte':
      return (stored: CustomValue) => typeof stored === 'number' && stored <= limit;
    case 'before':
    case 'after':
    case 'withinDays': {
      const test = instantTest(op, value, nowMs);
      return (stored: CustomValue) => typeof stored === 'string' && isIsoInstantText(stored) && test(stored);
    }
    default:
      return undefined;
  }
}

function compileCustom(field: FilterField, op: FilterOperator, value: Condition['value'], nowMs: number) {
  const name = customFieldName(field);
  const test = customTest(op, value, nowMs);
  if (test === undefined) return undefined;
  // A name such as `constructor` reads the prototype when the contact lacks it; the type tests above reject that.
  return (contact: FilterableContact) => test(contact.customFields[name]);
}

function compilePositive(kind: FieldKind, condition: Condition, op: FilterOperator, nowMs: number) {
  const { field, value } = condition;
  switch (kind) {
    case 'tags':
      return compileTags(op, value);
    case 'text':
      return compileText(field, op, value);
    case 'date':
      return compileDate(field, op, value, nowMs);
    case 'consent':
      return compileConsent(op, value);
    case 'custom':
      return compileCustom(field, op, value, nowMs);
  }
}

function compileCondition(condition: Condition, nowMs: number): ContactPredicate {
  const negated = NEGATION_OF[condition.op];
  const predicate = compilePositive(fieldKind(condition.field), condition, negated ?? condition.op, nowMs);
  if (predicate === undefined) return unsupported(condition);
  return negated === undefined ? predicate : (contact) => !predicate(contact);
}

function compileNode(node: FilterNode, nowMs: number): ContactPredicate {
  if ('all' in node) return allOf(node.all.map((child) => compileNode(child, nowMs)));
  if ('any' in node) return anyOf(node.any.map((child) => compileNode(child, nowMs)));
  return compileCondition(node, nowMs);
}

/**
 * Turns a filter (parsed by `filterSchema`) into one function of a contact, built once per preview and then called
 * for each of up to 100k contacts: constants are parsed and compiled here (text into case-insensitive patterns, dates
 * into bounds), and the returned closures allocate nothing per contact.
 *
 * What the operators match:
 * - `tags`: `contains` = has that exact tag; `exists` = has any tag.
 * - text fields: `contains` = case-insensitive substring, `eq` = case-insensitive equality; `exists` = non-empty.
 * - dates: `before`/`after` strictly, against an ISO date (a calendar date is midnight UTC); `withinDays: n` = from
 *   `now` minus n×24h up to `now`, both included, `now` being injected so previews and sends agree; `exists` = set.
 * - `smsConsent`: `eq` the consent status.
 * - custom fields match by the stored value's type: text operators only strings, `gt`/`gte`/`lt`/`lte` only numbers,
 *   date operators only strings holding an ISO date, `eq` only a value of the same type; `exists` = has a value other
 *   than an empty string.
 * - `notContains`, `neq` and `notExists` are the exact opposites of `contains`, `eq` and `exists`, so a contact
 *   lacking the field matches them ("first name is not Ann" includes people with no first name).
 * - `{"all": []}` matches everyone.
 */
export function compileFilter(filter: Filter, now: Date): ContactPredicate {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('now must be a valid date');
  return compileNode(filter, nowMs);
}
