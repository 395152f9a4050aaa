import type { Audience } from '../api/types';

/** The audience step's state: a tag group (any/all/none) or a saved Smart List. */
export type AudienceDraft =
  | { kind: 'tags'; any: string[]; all: string[]; none: string[] }
  | { kind: 'smartList'; smartListId: string };

export const emptyAudience: AudienceDraft = { kind: 'tags', any: [], all: [], none: [] };

/** The API's audience for a draft, or undefined while it names nobody (the API refuses "everyone" by accident). */
export function toAudience(draft: AudienceDraft): Audience | undefined {
  if (draft.kind === 'smartList') return draft.smartListId ? { smartListId: draft.smartListId } : undefined;
  const tags = {
    ...(draft.any.length ? { any: draft.any } : {}),
    ...(draft.all.length ? { all: draft.all } : {}),
    ...(draft.none.length ? { none: draft.none } : {}),
  };
  return Object.keys(tags).length ? { tags } : undefined;
}

/** The draft for an audience the API answered with (a filter audience, which the console does not edit, is kept). */
export function fromAudience(audience: unknown): AudienceDraft {
  const value = audience as { smartListId?: string; tags?: { any?: string[]; all?: string[]; none?: string[] } };
  if (typeof value?.smartListId === 'string') return { kind: 'smartList', smartListId: value.smartListId };
  return {
    kind: 'tags',
    any: value?.tags?.any ?? [],
    all: value?.tags?.all ?? [],
    none: value?.tags?.none ?? [],
  };
}

/** A sentence for the audience ("Tagged VIP or Buyer Lead, not Past Client"). */
export function describeAudience(draft: AudienceDraft, smartListName?: string): string {
  if (draft.kind === 'smartList') return smartListName ? `Smart List “${smartListName}”` : 'A Smart List';
  const parts = [
    draft.any.length ? `tagged ${draft.any.join(' or ')}` : '',
    draft.all.length ? `tagged ${draft.all.join(' and ')}` : '',
    draft.none.length ? `not tagged ${draft.none.join(' or ')}` : '',
  ].filter(Boolean);
  return parts.length ? `Contacts ${parts.join(', ')}` : 'No one yet';
}
