import type { Condition, FilterNode } from '../../../shared/domain/audience/filter.schema';
import type { FilterableContact } from '../../../shared/domain/audience/filter-evaluator';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The stored value a condition reads, by the plainest route (own properties only for custom fields). */
function read(contact: FilterableContact, field: string): unknown {
  if (field.startsWith('customFields.')) {
    const name = field.slice('customFields.'.length);
    return Object.hasOwn(contact.customFields, name) ? contact.customFields[name] : undefined;
  }
  if (field === 'smsConsent') return contact.smsConsent.status;
  return (contact as unknown as Record<string, unknown>)[field];
}

/** A date the obvious way: standard fields always parse; custom text only when it is a valid zoned ISO form. */
function instantOf(field: string, stored: unknown): number | undefined {
  if (typeof stored !== 'string') return undefined;
  if (!field.startsWith('customFields.')) return Date.parse(stored);
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(stored);
  const dateTime =
    /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/.exec(stored);
  const match = dateOnly ?? dateTime;
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const real = new Date(Date.UTC(year, month - 1, day));
  if (real.getUTCFullYear() !== year || real.getUTCMonth() !== month - 1 || real.getUTCDate() !== day) return undefined;
  return Date.parse(stored);
}

function conditionHolds(condition: Condition, contact: FilterableContact, now: Date): boolean {
  const { field, op, value } = condition;
  const stored = read(contact, field);
  switch (op) {
    case 'notContains':
      return !conditionHolds({ ...condition, op: 'contains' }, contact, now);
    case 'neq':
      return !conditionHolds({ ...condition, op: 'eq' }, contact, now);
    case 'notExists':
      return !conditionHolds({ ...condition, op: 'exists' }, contact, now);
    case 'exists':
      if (Array.isArray(stored)) return stored.length > 0;
      return stored !== undefined && stored !== null && stored !== '';
    case 'contains':
      if (Array.isArray(stored)) return stored.includes(String(value).trim());
      return typeof stored === 'string' && stored.toLowerCase().includes(String(value).toLowerCase());
    case 'eq':
      if (typeof stored === 'string' && typeof value === 'string') return stored.toLowerCase() === value.toLowerCase();
      return stored === value;
    case 'gt':
      return typeof stored === 'number' && stored > Number(value);
    case 'gte':
      return typeof stored === 'number' && stored >= Number(value);
    case 'lt':
      return typeof stored === 'number' && stored < Number(value);
    case 'lte':
      return typeof stored === 'number' && stored <= Number(value);
    case 'before':
    case 'after':
    case 'withinDays': {
      const instant = instantOf(field, stored);
      if (instant === undefined || Number.isNaN(instant)) return false;
      if (op === 'withinDays') {
        return now.getTime() - instant <= Number(value) * DAY_MS && instant <= now.getTime();
      }
      const bound = Date.parse(String(value));
      return op === 'before' ? instant < bound : instant > bound;
    }
  }
}

/** The filter semantics written as plainly as possible, to check the compiled evaluator against. */
export function referenceMatches(node: FilterNode, contact: FilterableContact, now: Date): boolean {
  if ('all' in node) return node.all.every((child) => referenceMatches(child, contact, now));
  if ('any' in node) return node.any.some((child) => referenceMatches(child, contact, now));
  return conditionHolds(node, contact, now);
}
