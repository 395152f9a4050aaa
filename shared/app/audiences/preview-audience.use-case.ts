import type { Audience } from '../../domain/audience/audience.schema';
import { classifyEligibility, type ExclusionSummary, ExclusionTally } from '../../domain/audience/eligibility';
import type { Contact } from '../../domain/contacts/contact.schema';
import type { MessageType } from '../../domain/sms/sms.schema';
import type { AudienceDeps } from './audience-deps';
import { resolveAudienceForPreview } from './resolve-audience.use-case';

/**
 * The live count while choosing an audience: who matches, who can be texted, and why the rest
 * cannot (each excluded contact counted once, under the first reason that applies).
 * Frequency caps need the message history that campaigns bring; until then nobody is capped.
 */
export async function previewAudience(
  tenantId: string,
  audience: Audience,
  deps: AudienceDeps,
  messageType: MessageType = 'PROMOTIONAL',
): Promise<ExclusionSummary<Contact>> {
  const { settings } = await deps.settings.getSettings(tenantId);
  const tally = new ExclusionTally<Contact>();
  for await (const page of resolveAudienceForPreview(tenantId, audience, deps)) {
    for (const contact of page) tally.add(contact, classifyEligibility(contact, settings, { messageType }));
  }
  return tally.summary();
}
