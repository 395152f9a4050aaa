import { mapConcurrent } from '../../lib/map-concurrent';
import { type ContactChange, buildNewContact, mergeImportRow, normalizePhone } from '../../domain/contacts/contact-rules';
import { type ContactInput, contactInputSchema } from '../../domain/contacts/contact.schema';
import { AppError, type ErrorDetail } from '../../domain/errors';
import { issuesToDetails } from '../../domain/validation';
import type { StoredContact } from '../../ports/contact-store.port';
import { retryOnConflict } from '../retry-on-conflict';
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
      rejected.push({ index, error: { code: 'CONTACT.PHONE_INVALID', message: error.message, details: error.details } });
    }
  });
  return { valid, rejected };
}

/**
 * Imports up to 1000 contacts. Bad rows are reported by index while good rows land; a phone
 * that already exists (in the tenant or earlier in the same file) is updated, never duplicated.
 * New phones are claimed with conditional writes; contacts, tags and consent go in batches.
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

  const toCreate: { phone: string; rows: Row[]; takeOverFrom?: string }[] = [];
  const toUpdate: { contactId: string; rows: Row[] }[] = [];
  for (const [phone, phoneRows] of rowsByPhone) {
    const owner = records.get(phone)?.contactId;
    const live = owner ? existing.get(owner) : undefined;
    if (owner && live?.contact.phone === phone) toUpdate.push({ contactId: owner, rows: phoneRows });
    else toCreate.push({ phone, rows: phoneRows, ...(owner ? { takeOverFrom: owner } : {}) });
  }

  let created = 0;
  let updated = 0;
  const newContacts: ContactChange[] = [];
  await mapConcurrent(toCreate, 16, async ({ phone, rows: phoneRows, takeOverFrom }) => {
    const id = deps.ids.next();
    if (!(await deps.contacts.claimPhone(tenantId, phone, id, takeOverFrom))) {
      // Someone created this phone meanwhile: fold our rows onto theirs.
      const ownership = await findPhoneOwner(
        deps.contacts,
        tenantId,
        phone,
        (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone)?.contactId,
      );
      if (ownership.kind !== 'owned') throw new Error(`Phone claim for row ${phoneRows[0]?.index} kept failing`);
      toUpdate.push({ contactId: ownership.contactId, rows: phoneRows });
      return;
    }
    const [first, ...rest] = phoneRows as [Row, ...Row[]];
    const record = records.get(phone);
    let change = buildNewContact(first, { id, now, settings, source: 'import', ...(record ? { phoneRecord: record } : {}) });
    for (const row of rest) {
      const merged = mergeImportRow(change.contact, row, now);
      change = { contact: merged.contact, consentEvent: merged.consentEvent ?? change.consentEvent };
    }
    newContacts.push(change);
    created += 1;
    updated += rest.length;
  });
  await deps.contacts.putNewContacts(tenantId, newContacts);

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
