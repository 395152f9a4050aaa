import { type ContactInput, contactInputSchema } from '../../domain/contacts/contact.schema';
import {
  buildNewContact,
  type ContactChange,
  mergeImportRow,
  type NewContactContext,
  normalizePhone,
  type PhoneRecord,
} from '../../domain/contacts/contact-rules';
import { AppError, ConflictError, type ErrorDetail } from '../../domain/errors';
import type { Settings } from '../../domain/settings/settings.schema';
import { issuesToDetails } from '../../domain/validation';
import { mapConcurrent } from '../../lib/map-concurrent';
import type { StoredContact } from '../../ports/contact-store.port';
import { retryOnConflict } from '../retry-on-conflict';
import { publishContactEvents } from './contact-events';
import type { ContactsDeps } from './contacts-deps';
import { findPhoneOwner } from './phone-ownership';

export interface ImportRejection {
  index: number;
  error: { code: string; message: string; details: ErrorDetail[] };
}

export interface ImportResult {
  created: number;
  updated: number;
  rejected: ImportRejection[];
}

type Row = ContactInput & { phone: string; index: number };

function validateRows(rows: unknown[], defaultCountry: Parameters<typeof normalizePhone>[1]) {
  const valid: Row[] = [];
  const rejected: ImportRejection[] = [];
  rows.forEach((raw, index) => {
    const parsed = contactInputSchema.safeParse(raw);
    if (!parsed.success) {
      const details = issuesToDetails(parsed.error.issues);
      rejected.push({ index, error: { code: 'VALIDATION_FAILED', message: `Row ${index} is invalid`, details } });
      return;
    }
    try {
      valid.push({ ...parsed.data, phone: normalizePhone(parsed.data.phone, defaultCountry), index });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      rejected.push({
        index,
        error: { code: 'CONTACT.PHONE_INVALID', message: error.message, details: error.details },
      });
    }
  });
  return { valid, rejected };
}

/**
 * Imports up to 1000 contacts. Bad rows are reported by index while good rows land; a phone
 * that already exists (in the tenant or earlier in the same file) is updated, never duplicated.
 * New phones are claimed in batches under the tenant's claim lock (so concurrent imports and
 * creates of a number make one contact); the contacts, tags and consent then go in batches.
 * Safe to retry as a whole: a second run updates what the first one created.
 */
export async function importContacts(tenantId: string, rows: unknown[], deps: ContactsDeps): Promise<ImportResult> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const now = deps.clock.now().toISOString();
  const { valid, rejected } = validateRows(rows, settings);

  const rowsByPhone = new Map<string, Row[]>();
  for (const row of valid) rowsByPhone.set(row.phone, [...(rowsByPhone.get(row.phone) ?? []), row]);
  const records = await deps.contacts.getPhoneRecords(tenantId, [...rowsByPhone.keys()]);
  const claimed = [...records.values()].flatMap((r) => (r.contactId ? [r.contactId] : []));
  const existing = await deps.contacts.getContacts(tenantId, claimed);

  const { toClaim, toUpdate } = await sortPhones(tenantId, rowsByPhone, records, existing, deps);
  const { created, laterRows, lost } = await createClaimedContacts(tenantId, toClaim, records, settings, now, deps);
  const updated = await applyUpdates(tenantId, [...toUpdate, ...lost], existing, now, rejected, deps);
  rejected.sort((a, b) => a.index - b.index);
  return { created, updated: updated + laterRows, rejected };
}

type PhoneClaim = { phone: string; rows: Row[]; takeOverFrom?: string };

/**
 * Claims the new phones and creates their contacts. Of concurrent creators of a number exactly one wins: the rows of a
 * phone this import lost go to the winner's contact as updates (`lost`). A file's later rows of a new phone count as
 * updates of the contact its first row made (`laterRows`).
 */
async function createClaimedContacts(
  tenantId: string,
  toClaim: PhoneClaim[],
  records: Map<string, PhoneRecord>,
  settings: Settings,
  now: string,
  deps: ContactsDeps,
) {
  const won = await claimPhones(tenantId, toClaim, deps);
  const lostClaims = toClaim.filter(({ phone }) => !won.has(phone));
  const winners =
    lostClaims.length > 0
      ? await deps.contacts.getPhoneRecords(
          tenantId,
          lostClaims.map((c) => c.phone),
        )
      : new Map<string, PhoneRecord>();
  const lost = lostClaims.map(({ phone, rows }) => ({ contactId: winners.get(phone)?.contactId ?? '', rows }));
  const newContacts = toClaim.flatMap(({ phone, rows }) => {
    const id = won.get(phone);
    return id
      ? [newContactFromRows(rows, { id, now, settings, source: 'import', phoneRecord: records.get(phone) })]
      : [];
  });
  const laterRows = toClaim.reduce((sum, { phone, rows }) => sum + (won.has(phone) ? rows.length - 1 : 0), 0);
  await deps.contacts.putImportedContacts(tenantId, newContacts);
  await publishContactEvents(
    deps,
    newContacts.map(({ contact }) => ({ kind: 'contactCreated' as const, tenantId, contactId: contact.id })),
  );
  return { created: newContacts.length, laterRows, lost };
}

/** Merges each phone's rows into its contact; a row whose contact cannot be updated is rejected with the reason. */
async function applyUpdates(
  tenantId: string,
  toUpdate: { contactId: string; rows: Row[] }[],
  existing: Map<string, StoredContact>,
  now: string,
  rejected: ImportResult['rejected'],
  deps: ContactsDeps,
): Promise<number> {
  let updated = 0;
  await mapConcurrent(toUpdate, 16, async ({ contactId, rows }) => {
    try {
      await updateFromRows(contactId, rows);
      updated += rows.length;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      for (const row of rows) {
        rejected.push({
          index: row.index,
          error: { code: error.code, message: error.message, details: error.details },
        });
      }
    }
  });
  return updated;

  async function updateFromRows(contactId: string, phoneRows: Row[]) {
    await retryOnConflict(async () => {
      const stored = existing.get(contactId) ?? (await waitForContact(deps, tenantId, contactId));
      existing.delete(contactId);
      if (!stored)
        throw new ConflictError(
          'CONTACT.PHONE_BUSY',
          `Phone ${phoneRows[0]?.phone} is being changed by another request`,
        );
      let change: ContactChange = { contact: stored.contact };
      for (const row of phoneRows) {
        const merged = mergeImportRow(change.contact, row, now);
        change = { contact: merged.contact, consentEvent: merged.consentEvent ?? change.consentEvent };
      }
      const unchanged =
        JSON.stringify({ ...change.contact, updatedAt: '' }) === JSON.stringify({ ...stored.contact, updatedAt: '' });
      if (!unchanged) await deps.contacts.saveContact(tenantId, stored, change);
    });
  }
}

/** Sorts the file's phones into those to claim (new, or a stale claim to take over) and those to update. */
async function sortPhones(
  tenantId: string,
  rowsByPhone: Map<string, Row[]>,
  records: Map<string, PhoneRecord>,
  existing: Map<string, StoredContact>,
  deps: ContactsDeps,
) {
  const toClaim: PhoneClaim[] = [];
  const toUpdate: { contactId: string; rows: Row[] }[] = [];
  for (const [phone, phoneRows] of rowsByPhone) {
    const record = records.get(phone) ?? {};
    const live = record.contactId ? existing.get(record.contactId) : undefined;
    if (record.contactId && live?.contact.phone === phone)
      toUpdate.push({ contactId: record.contactId, rows: phoneRows });
    else if (!record.contactId) toClaim.push({ phone, rows: phoneRows });
    else {
      const ownership = await findPhoneOwner(deps.contacts, tenantId, phone, record, deps.clock.now());
      if (ownership.kind === 'stale') toClaim.push({ phone, rows: phoneRows, takeOverFrom: ownership.contactId });
      else toUpdate.push({ contactId: ownership.kind === 'free' ? '' : ownership.contactId, rows: phoneRows });
    }
  }
  return { toClaim, toUpdate };
}

/** A new contact from the first row of a phone, with the file's later rows for it merged in. */
function newContactFromRows(phoneRows: Row[], ctx: NewContactContext): ContactChange {
  const [first, ...rest] = phoneRows as [Row, ...Row[]];
  let change = buildNewContact(first, ctx);
  for (const row of rest) {
    const merged = mergeImportRow(change.contact, row, ctx.now);
    change = { contact: merged.contact, consentEvent: merged.consentEvent ?? change.consentEvent };
  }
  return change;
}

/**
 * Claims the new phones: those nobody ever held in batches (no conditional write each), stale claims one by one (a
 * conditional take-over). Returns the contact id of each phone won.
 */
async function claimPhones(
  tenantId: string,
  toClaim: { phone: string; takeOverFrom?: string }[],
  deps: ContactsDeps,
): Promise<Map<string, string>> {
  const ids = new Map(toClaim.map(({ phone }) => [phone, deps.ids.next()]));
  const idOf = (phone: string) => ids.get(phone) as string;
  const fresh = toClaim.filter((c) => !c.takeOverFrom).map(({ phone }) => ({ phone, contactId: idOf(phone) }));
  const wonFresh = await deps.contacts.claimNewPhones(tenantId, fresh);
  const won = new Map([...wonFresh].map((phone) => [phone, idOf(phone)]));
  const takeOvers = toClaim.filter((c) => c.takeOverFrom);
  await mapConcurrent(takeOvers, 8, async ({ phone, takeOverFrom }) => {
    if (await deps.contacts.claimPhone(tenantId, phone, idOf(phone), takeOverFrom)) won.set(phone, idOf(phone));
  });
  return won;
}

/** A contact whose phone claim was just won by a concurrent create appears within moments. */
async function waitForContact(deps: ContactsDeps, tenantId: string, contactId: string) {
  for (let attempt = 0; contactId && attempt < 20; attempt++) {
    const stored = await deps.contacts.getContact(tenantId, contactId);
    if (stored) return stored;
    await deps.clock.sleep(50);
  }
  return undefined;
}
