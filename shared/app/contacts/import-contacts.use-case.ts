import { mapConcurrent } from '../../lib/map-concurrent';
import { type ContactChange, buildNewContact, mergeImportRow, normalizePhone } from '../../domain/contacts/contact-rules';
import { type ContactInput, contactInputSchema } from '../../domain/contacts/contact.schema';
import { AppError, type ErrorDetail } from '../../domain/errors';
import { issuesToDetails } from '../../domain/validation';
import type { StoredContact } from '../../ports/contact-store.port';
import { retryOnConflict } from '../retry-on-conflict';
import type { ContactsDeps } from './contacts-deps';

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
      rejected.push({ index, error: { code: 'CONTACT.PHONE_INVALID', message: error.message, details: error.details } });
    }
  });
  return { valid, rejected };
}

/**
 * Imports up to 1000 contacts. Bad rows are reported by index while good rows land; a phone
 * that already exists (in the tenant or earlier in the same file) is updated, never duplicated.
 * A new phone's contact id is derived from the number, so concurrent imports and creates of one
 * number write the same contact; everything new goes in batches (no per-row round trip).
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

  // A phone without a live owner gets the id derived from it; if that contact exists already
  // (a concurrent create whose claim is not written yet), the rows update it instead.
  const candidates: { phone: string; rows: Row[]; id: string; generation: number }[] = [];
  const toUpdate: { contactId: string; rows: Row[] }[] = [];
  for (const [phone, phoneRows] of rowsByPhone) {
    const record = records.get(phone) ?? { generation: 0 };
    const live = record.contactId ? existing.get(record.contactId) : undefined;
    if (record.contactId && live?.contact.phone === phone) {
      toUpdate.push({ contactId: record.contactId, rows: phoneRows });
      continue;
    }
    const generation = record.contactId ? record.generation + 1 : record.generation;
    const id = await deps.contacts.contactIdForPhone(tenantId, phone, generation);
    candidates.push({ phone, rows: phoneRows, id, generation });
  }
  const precreated = await deps.contacts.getContacts(
    tenantId,
    candidates.map((c) => c.id),
  );
  for (const [id, stored] of precreated) existing.set(id, stored);

  let created = 0;
  let updated = 0;
  const newContacts: { change: ContactChange; generation: number }[] = [];
  for (const { phone, rows: phoneRows, id, generation } of candidates) {
    if (precreated.get(id)?.contact.phone === phone) {
      toUpdate.push({ contactId: id, rows: phoneRows });
      continue;
    }
    const [first, ...rest] = phoneRows as [Row, ...Row[]];
    const record = records.get(phone) ?? { generation: 0 };
    let change = buildNewContact(first, { id, now, settings, source: 'import', phoneRecord: record });
    for (const row of rest) {
      const merged = mergeImportRow(change.contact, row, now);
      change = { contact: merged.contact, consentEvent: merged.consentEvent ?? change.consentEvent };
    }
    newContacts.push({ change, generation });
    created += 1;
    updated += rest.length;
  }
  await deps.contacts.putImportedContacts(tenantId, newContacts);

  await mapConcurrent(toUpdate, 16, async ({ contactId, rows: phoneRows }) => {
    await retryOnConflict(async () => {
      const stored: StoredContact | undefined =
        existing.get(contactId) ?? (await deps.contacts.getContact(tenantId, contactId));
      existing.delete(contactId);
      if (!stored) throw new Error(`Contact ${contactId} vanished during the import`);
      let change: ContactChange = { contact: stored.contact };
      for (const row of phoneRows) {
        const merged = mergeImportRow(change.contact, row, now);
        change = { contact: merged.contact, consentEvent: merged.consentEvent ?? change.consentEvent };
      }
      const unchanged =
        JSON.stringify({ ...change.contact, updatedAt: '' }) === JSON.stringify({ ...stored.contact, updatedAt: '' });
      if (!unchanged) await deps.contacts.saveContact(tenantId, stored, change);
    });
    updated += phoneRows.length;
  });

  return { created, updated, rejected };
}
