import type { TagGroup } from '../../../shared/domain/audience/audience.schema';
import { classifyEligibility, type ExclusionReason } from '../../../shared/domain/audience/eligibility';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import type { Settings } from '../../../shared/domain/settings/settings.schema';
import type { MessageType } from '../../../shared/domain/sms/sms.schema';

/** A tag group the plainest way: at least one of `any` (when it names any), all of `all`, none of `none`. */
export function bruteForceTagGroup(contact: Pick<Contact, 'tags'>, group: TagGroup): boolean {
  const has = (tag: string) => contact.tags.includes(tag);
  const any = group.any ?? [];
  const all = group.all ?? [];
  const none = group.none ?? [];
  return (any.length === 0 || any.some(has)) && all.every(has) && !none.some(has);
}

/** The counts of a preview, computed contact by contact with the domain's own eligibility rule. */
export interface ExpectedCounts {
  matched: number;
  eligible: number;
  excluded: Record<ExclusionReason, number>;
  eligibleIds: Set<string>;
}

export function expectedCounts(
  members: readonly Contact[],
  settings: Pick<Settings, 'marketingRequiresOptIn' | 'frequencyCap'>,
  messageType: MessageType = 'PROMOTIONAL',
): ExpectedCounts {
  const excluded: Record<ExclusionReason, number> = {
    optedOut: 0,
    noConsent: 0,
    invalidPhone: 0,
    frequencyCapped: 0,
  };
  const eligibleIds = new Set<string>();
  for (const contact of members) {
    const verdict = classifyEligibility(contact, settings, { messageType });
    if (verdict === 'eligible') eligibleIds.add(contact.id);
    else excluded[verdict]++;
  }
  return { matched: members.length, eligible: eligibleIds.size, excluded, eligibleIds };
}

/** Sorted ids, so two audiences compare as sets with a readable diff. */
export function idsOf(contacts: readonly Pick<Contact, 'id'>[]): string[] {
  return contacts.map((contact) => contact.id).sort();
}

/** Contacts sorted by id, so two audiences compare field by field whatever order they were read in. */
export function byId<C extends Pick<Contact, 'id'>>(contacts: readonly C[]): C[] {
  return [...contacts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The ids that occur more than once (a resolver must yield each contact once). */
export function duplicateIds(contacts: readonly Pick<Contact, 'id'>[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { id } of contacts) {
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  return [...duplicates].sort();
}
