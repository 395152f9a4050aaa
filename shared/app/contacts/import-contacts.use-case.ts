import { type ContactInput, contactInputSchema } from '../../domain/contacts/contact.schema';
import {
  buildNewContact,
  type ContactChange,
  mergeImportRow,
  normalizePhone,
} from '../../domain/contacts/contact-rules';
import { AppError, ConflictError, type ErrorDetail } from '../../domain/errors';
import { issuesToDetails } from '../../domain/validation';
import { mapConcurrent } from '../../lib/map-concurrent';
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
 * Each new phone is claimed with one conditional write (so concurrent imports and creates of a
 * number make one contact); the contacts, tags and consent then go in batches.
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

  const toClaim: { phone: string; rows: Row[]; takeOverFrom?: string }[] = [];
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

  // One conditional claim per new phone: of concurrent creators of a number exactly one wins,
  // and the others fold their rows into the winner's contact.
  let created = 0;
  let updated = 0;
  const newContacts: ContactChange[] = [];
  await mapConcurrent(toClaim, 32, async ({ phone, rows: phoneRows, takeOverFrom }) => {
    const id = deps.ids.next();
    if (!(await deps.contacts.claimPhone(tenantId, phone, id, takeOverFrom))) {
      const winner = (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone)?.contactId;
      toUpdate.push({ contactId: winner ?? '', rows: phoneRows });
      return;
    }
    const [first, ...rest] = phoneRows as [Row, ...Row[]];
    const record = records.get(phone) ?? {};
    let change = buildNewContact(first, { id, now, settings, source: 'import', phoneRecord: record });
    for (const row of rest) {
      const merged = mergeImportRow(change.contact, row, now);
      change = { contact: merged.contact, consentEvent: merged.consentEvent ?? change.consentEvent };
    }
    newContacts.push(change);
    created += 1;
    updated += rest.length;
  });
  await deps.contacts.putImportedContacts(tenantId, newContacts);
  await publishContactEvents(
    deps,
    newContacts.map(({ contact }) => ({ kind: 'contactCreated' as const, tenantId, contactId: contact.id })),
  );

  await mapConcurrent(toUpdate, 16, async ({ contactId, rows: phoneRows }) => {
    try {
      await updateFromRows(contactId, phoneRows);
      updated += phoneRows.length;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      for (const row of phoneRows) {
        rejected.push({
          index: row.index,
          error: { code: error.code, message: error.message, details: error.details },
        });
      }
    }
  });
  rejected.sort((a, b) => a.index - b.index);
  return { created, updated, rejected };

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

/** A contact whose phone claim was just won by a concurrent create appears within moments. */
async function waitForContact(deps: ContactsDeps, tenantId: string, contactId: string) {
  for (let attempt = 0; contactId && attempt < 20; attempt++) {
    const stored = await deps.contacts.getContact(tenantId, contactId);
    if (stored) return stored;
    await deps.clock.sleep(50);
  }
  return undefined;
}
