import type { Contact, ContactInput } from '../../domain/contacts/contact.schema';
import { type ContactEvent, contactChangeEvents } from '../../domain/contacts/contact-events';
import { type ContactChange, mergeImportRow, normalizePhone, setConsent } from '../../domain/contacts/contact-rules';
import { ConflictError } from '../../domain/errors';
import { publishContactEvents } from '../contacts/contact-events';
import type { ContactsDeps } from '../contacts/contacts-deps';
import { createContact } from '../contacts/create-contact.use-case';
import { retryOnConflict } from '../retry-on-conflict';

export interface FormSubmissionResult {
  contactId: string;
  created: boolean;
}

/**
 * Takes a form submission: creates the contact, or updates the one that has the phone (given fields overwrite, tags
 * are added, consent moves from unknown to opted in with source `form`; a form never undoes an opt-out), then
 * announces `formSubmitted` so the form's workflows enroll the contact. Submitting twice is harmless: the second
 * updates, and the enrollment lock keeps one run per workflow.
 */
export async function submitForm(
  tenantId: string,
  formId: string,
  input: ContactInput,
  deps: ContactsDeps & { queue: NonNullable<ContactsDeps['queue']> },
): Promise<FormSubmissionResult> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const phone = normalizePhone(input.phone, settings);
  let result: FormSubmissionResult | undefined;
  for (let attempt = 0; attempt < 3 && !result; attempt++) {
    const owner = (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone)?.contactId;
    const updated = owner ? await updateFromForm(tenantId, owner, { ...input, phone }, formId, deps) : undefined;
    if (updated) {
      result = { contactId: updated.id, created: false };
      break;
    }
    try {
      const contact = await createContact(tenantId, { ...input, phone }, deps, 'form');
      result = { contactId: contact.id, created: true };
    } catch (error) {
      // A concurrent submission (or a stale claim) won the phone: update that contact on the next round.
      if (!(error instanceof ConflictError) || error.code !== 'CONTACT.PHONE_EXISTS') throw error;
    }
  }
  if (!result) throw new ConflictError('CONTACT.PHONE_BUSY', `Phone ${phone} is being changed by another request`);
  const submitted: ContactEvent = { kind: 'formSubmitted', tenantId, contactId: result.contactId, formId };
  await deps.queue.sendMessages('events', [{ body: submitted }]);
  return result;
}

async function updateFromForm(
  tenantId: string,
  contactId: string,
  input: ContactInput & { phone: string },
  formId: string,
  deps: ContactsDeps,
): Promise<Contact | undefined> {
  let before: Contact | undefined;
  const after = await retryOnConflict(async () => {
    const stored = await deps.contacts.getContact(tenantId, contactId);
    if (!stored || stored.contact.phone !== input.phone) return undefined;
    before = stored.contact;
    const now = deps.clock.now().toISOString();
    const merged = mergeImportRow(stored.contact, { ...input, smsConsent: undefined }, now).contact;
    const optIn = input.smsConsent === 'opted_in' && stored.contact.smsConsent.status === 'unknown';
    const change: ContactChange = (optIn
      ? setConsent(merged, 'opted_in', 'form', now, `Given on form ${formId}`)
      : undefined) ?? { contact: merged };
    return (await deps.contacts.saveContact(tenantId, stored, change)).contact;
  });
  if (!after || !before) return after;
  const events = contactChangeEvents(tenantId, before, after);
  await publishContactEvents(deps, events);
  return after;
}
