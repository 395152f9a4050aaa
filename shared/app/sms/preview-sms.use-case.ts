import { classifyEligibility } from '../../domain/audience/eligibility';
import type { Contact } from '../../domain/contacts/contact.schema';
import { NotFoundError } from '../../domain/errors';
import { shortLinkBase } from '../../domain/links/short-links';
import { analyzeMessage } from '../../domain/sms/message-analysis';
import { assertBodyWithinSegmentLimit } from '../../domain/sms/segment-limit';
import type { MessageType } from '../../domain/sms/sms.schema';
import { previewSmsMessage, type SmsPreview } from '../../domain/sms/sms-preview';
import type { ContactsDeps } from '../contacts/contacts-deps';

export interface PreviewSmsInput {
  body: string;
  messageType?: MessageType | undefined;
  contactId?: string | undefined;
  /** Contacts of the audience, page by page (from the audience resolver). */
  audiencePages?: AsyncIterable<Contact[]> | undefined;
  applyReplacements?: boolean | undefined;
  /** Count links as the short links they become; the tenant's `trackLinks` setting when left out. */
  trackLinks?: boolean | undefined;
  /** The deployment's short-link base (a tenant's own short domain replaces it). */
  shortLinkBaseUrl?: string | undefined;
}

/**
 * The live character count: encoding, segments, footer and content warnings for a body, personalised
 * for one contact or priced over a whole audience (worst case and total segments after personalisation).
 * Unknown template variables are checked against the tenant's custom field names (a 422 names them).
 */
export async function previewSms(
  tenantId: string,
  input: PreviewSmsInput,
  deps: Pick<ContactsDeps, 'contacts' | 'settings'>,
): Promise<SmsPreview> {
  const [{ settings }, customFieldNames] = await Promise.all([
    deps.settings.getSettings(tenantId),
    deps.contacts.listCustomFieldNames(tenantId),
  ]);
  // The limit a campaign or workflow would be held to: the body as written (replacements applied when asked) and footer.
  const written = input.applyReplacements ? analyzeMessage(input.body, { applyReplacements: true }).text : input.body;
  assertBodyWithinSegmentLimit(written, settings, input.messageType ?? 'PROMOTIONAL');
  let contact: Contact | undefined;
  if (input.contactId !== undefined) {
    const stored = await deps.contacts.getContact(tenantId, input.contactId);
    if (!stored) throw new NotFoundError('Contact', input.contactId);
    contact = stored.contact;
  }
  let audience: Contact[] | undefined;
  if (input.audiencePages) {
    audience = [];
    const messageType = input.messageType ?? 'PROMOTIONAL';
    // Priced over who would get it: the opted out, those without the consent asked for and invalid phones are not.
    for await (const page of input.audiencePages) {
      for (const member of page)
        if (classifyEligibility(member, settings, { messageType }) === 'eligible') audience.push(member);
    }
  }
  return previewSmsMessage({
    body: input.body,
    messageType: input.messageType ?? 'PROMOTIONAL',
    settings,
    businessName: settings.businessName,
    customFieldNames,
    applyReplacements: input.applyReplacements ?? false,
    ...((input.trackLinks ?? settings.trackLinks) && (settings.shortLinkDomain || input.shortLinkBaseUrl)
      ? { shortLinkBase: shortLinkBase(settings.shortLinkDomain, input.shortLinkBaseUrl ?? '') }
      : {}),
    ...(contact ? { contact } : {}),
    ...(audience ? { audience } : {}),
  });
}
