import { RuleViolationError, ValidationError } from '../errors';
import { parsePhoneNumber } from '../phone/phone-number';
import { inferTimeZone } from '../phone/time-zone';
import type { Settings } from '../settings/settings.schema';
import type {
  ConsentEvent,
  ConsentSource,
  ConsentStatus,
  Contact,
  ContactInput,
  ContactPatch,
  SmsConsent,
} from './contact.schema';

/** What the store knows about a phone number before a contact is written for it. */
export interface PhoneRecord {
  contactId?: string;
  /** When the claim was written: a claim whose contact is still missing long after is stale (a crash). */
  claimedAt?: string;
  /** Set once the number opted out; survives the contact's deletion so a re-import cannot text it. */
  optedOutAt?: string;
}

/**
 * Opt-outs the person made themselves: a STOP word they texted, the carrier's opt-out list, the number's
 * suppression. Only that person can undo them (START/UNSTOP/YES from the phone); a tenant user cannot.
 */
const PERSON_OPT_OUT_SOURCES: ReadonlySet<ConsentSource> = new Set(['inbound_keyword', 'carrier', 'suppression_list']);

/** Whether the contact's consent is an opt-out only the person can undo. */
export function isPersonOptOut(consent: Pick<SmsConsent, 'status' | 'source'>): boolean {
  return consent.status === 'opted_out' && PERSON_OPT_OUT_SOURCES.has(consent.source);
}

function personOptedOut(source: ConsentSource, at: string): RuleViolationError {
  const message = `The person opted out (${source} at ${at}); only they can opt back in, by texting START from that phone`;
  return new RuleViolationError('CONSENT.PERSON_OPTED_OUT', message, [{ path: 'smsConsent', message }]);
}

/** Parses a phone with the tenant's default country, or fails naming the field. */
export function normalizePhone(input: string, settings: Settings, path = 'phone'): string {
  const parsed = parsePhoneNumber(input, settings.defaultCountry);
  if (!parsed.ok) throw new ValidationError(`${path}: ${parsed.reason}`, [{ path, message: parsed.reason }]);
  return parsed.e164;
}

/** The contact's zone: given, else inferred from the number (its area code, or its one-clock country), else the tenant default. */
export function resolveTimeZone(phone: string, given: string | undefined, settings: Settings): string {
  return given ?? inferTimeZone(phone) ?? settings.defaultTimeZone;
}

export interface NewContactContext {
  id: string;
  now: string;
  settings: Settings;
  source: ConsentSource;
  phoneRecord?: PhoneRecord;
}

export interface ContactChange {
  contact: Contact;
  /** Present when the consent status changed (or on creation): it goes to the consent history. */
  consentEvent?: ConsentEvent;
}

/**
 * Builds a new contact from validated input whose phone is already E.164. A number on the
 * tenant's suppression list stays opted out whatever the input claims: only the person can
 * opt back in (START), never an import.
 */
export function buildNewContact(input: ContactInput & { phone: string }, ctx: NewContactContext): ContactChange {
  const suppressed = ctx.phoneRecord?.optedOutAt !== undefined;
  const status: ConsentStatus = suppressed ? 'opted_out' : (input.smsConsent ?? 'unknown');
  const source: ConsentSource = suppressed ? 'suppression_list' : ctx.source;
  const contact: Contact = {
    id: ctx.id,
    phone: input.phone,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    email: input.email ?? null,
    tags: [...(input.tags ?? [])].sort(),
    timeZone: resolveTimeZone(input.phone, input.timeZone, ctx.settings),
    customFields: input.customFields ?? {},
    smsConsent: { status, source, at: ctx.now },
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const note = suppressed ? `number opted out on ${ctx.phoneRecord?.optedOutAt}` : undefined;
  return { contact, consentEvent: { status, source, at: ctx.now, ...(note ? { note } : {}) } };
}

function changeConsent(contact: Contact, status: ConsentStatus, source: ConsentSource, now: string): ContactChange {
  if (contact.smsConsent.status === status) return { contact };
  const smsConsent = { status, source, at: now };
  return { contact: { ...contact, smsConsent }, consentEvent: { ...smsConsent } };
}

/**
 * Applies an import row to an existing contact: given fields overwrite, tags are added (an import
 * never removes tags), and consent only moves from unknown to opted in; it never undoes an opt-out.
 */
export function mergeImportRow(existing: Contact, input: ContactInput & { phone: string }, now: string): ContactChange {
  const merged: Contact = {
    ...existing,
    firstName: input.firstName !== undefined ? input.firstName : existing.firstName,
    lastName: input.lastName !== undefined ? input.lastName : existing.lastName,
    email: input.email !== undefined ? input.email : existing.email,
    tags: [...new Set([...existing.tags, ...(input.tags ?? [])])].sort(),
    timeZone: input.timeZone ?? existing.timeZone,
    customFields: { ...existing.customFields, ...input.customFields },
    updatedAt: now,
  };
  if (input.smsConsent === 'opted_in' && existing.smsConsent.status === 'unknown') {
    return changeConsent(merged, 'opted_in', 'import', now);
  }
  return { contact: merged };
}

/** Applies a PATCH. The phone must already be normalised; a new phone re-infers the zone unless one is given. */
export function applyContactPatch(
  existing: Contact,
  patch: ContactPatch,
  now: string,
  settings: Settings,
  phoneRecord?: PhoneRecord,
): ContactChange {
  const phone = patch.phone ?? existing.phone;
  const phoneChanged = phone !== existing.phone;
  const customFields = { ...existing.customFields };
  for (const [name, value] of Object.entries(patch.customFields ?? {})) {
    if (value === null) delete customFields[name];
    else customFields[name] = value;
  }
  if (Object.keys(customFields).length > 50) {
    throw new ValidationError('customFields: at most 50 custom fields', [
      { path: 'customFields', message: 'at most 50 custom fields' },
    ]);
  }
  const updated: Contact = {
    ...existing,
    phone,
    firstName: patch.firstName !== undefined ? patch.firstName : existing.firstName,
    lastName: patch.lastName !== undefined ? patch.lastName : existing.lastName,
    email: patch.email !== undefined ? patch.email : existing.email,
    tags: patch.tags ? [...patch.tags].sort() : existing.tags,
    timeZone: patch.timeZone ?? (phoneChanged ? resolveTimeZone(phone, undefined, settings) : existing.timeZone),
    customFields,
    updatedAt: now,
  };
  if (patch.smsConsent === 'opted_in') {
    if (isPersonOptOut(existing.smsConsent)) throw personOptedOut(existing.smsConsent.source, existing.smsConsent.at);
    if (phoneChanged && phoneRecord?.optedOutAt !== undefined) {
      throw personOptedOut('suppression_list', phoneRecord.optedOutAt);
    }
  }
  // A number that opted out stays opted out on whichever contact it moves to.
  if (phoneChanged && phoneRecord?.optedOutAt !== undefined) {
    return changeConsent(updated, 'opted_out', 'suppression_list', now);
  }
  if (patch.smsConsent) return changeConsent(updated, patch.smsConsent, 'api', now);
  return { contact: updated };
}

/** Adds tags; returns undefined when nothing changes, so callers can skip the write. */
export function addTags(existing: Contact, tags: string[], now: string): Contact | undefined {
  const next = [...new Set([...existing.tags, ...tags])].sort();
  if (next.length === existing.tags.length) return undefined;
  if (next.length > 100) {
    throw new ValidationError('tags: a contact can carry at most 100 tags', [
      { path: 'tags', message: 'a contact can carry at most 100 tags' },
    ]);
  }
  return { ...existing, tags: next, updatedAt: now };
}

/** Removes a tag; returns undefined when the contact does not carry it. */
export function removeTag(existing: Contact, tag: string, now: string): Contact | undefined {
  if (!existing.tags.includes(tag)) return undefined;
  return { ...existing, tags: existing.tags.filter((t) => t !== tag), updatedAt: now };
}

/**
 * Sets the consent status from a source other than the API (a STOP keyword, the carrier's opt-out
 * list, a form), with a note for the history; returns undefined when the status is already that.
 */
export function setConsent(
  existing: Contact,
  status: ConsentStatus,
  source: ConsentSource,
  now: string,
  note?: string,
  flaggedForReview?: boolean,
): ContactChange | undefined {
  // A person's own opt-out is always recorded, even over one a tenant user set: it is what only they can undo.
  const upgradesToPerson =
    status === 'opted_out' &&
    PERSON_OPT_OUT_SOURCES.has(source) &&
    !isPersonOptOut(existing.smsConsent) &&
    existing.smsConsent.status === 'opted_out';
  if (existing.smsConsent.status === status && !upgradesToPerson) return undefined;
  const smsConsent = { status, source, at: now };
  return {
    contact: { ...existing, smsConsent, updatedAt: now },
    consentEvent: { ...smsConsent, ...(note ? { note } : {}), ...(flaggedForReview ? { flaggedForReview } : {}) },
  };
}
