import { z } from 'zod';
import { tagSchema } from '../contacts/contact.schema';
import { filterSchema } from './filter.schema';
import { keyedUnion } from './keyed-union';

/** More tags than this in one list is a list someone pasted by mistake; a Smart List is the tool for big rules. */
export const MAX_TAGS_PER_LIST = 50;

const tagListSchema = z
  .array(tagSchema)
  .max(MAX_TAGS_PER_LIST, `must name at most ${MAX_TAGS_PER_LIST} tags`)
  .transform((tags) => [...new Set(tags)]);

/**
 * A group of tags: contacts with at least one of `any`, every one of `all` and none of `none`. A list left out (or
 * empty) sets no rule, but the group must name at least one tag, so that "everyone" is never chosen by accident.
 */
export const tagGroupSchema = z
  .strictObject({ any: tagListSchema.optional(), all: tagListSchema.optional(), none: tagListSchema.optional() })
  .refine(
    (group) => Boolean(group.any?.length || group.all?.length || group.none?.length),
    'must name at least one tag in any, all or none',
  );
export type TagGroup = z.infer<typeof tagGroupSchema>;

/** A saved Smart List, by id; its filter is read when the audience is resolved, so edits to it apply. */
export const smartListAudienceSchema = z.strictObject({ smartListId: z.string().trim().min(1).max(128) });
export const tagAudienceSchema = z.strictObject({ tags: tagGroupSchema });
export const filterAudienceSchema = z.strictObject({ filter: filterSchema });

/**
 * Who a campaign goes to: `{"smartListId"}`, `{"tags": {...}}` or `{"filter": {...}}`, exactly one. A body that
 * combines two kinds is refused rather than guessed at, since either guess could text the wrong people.
 */
export const audienceSchema = keyedUnion(
  [smartListAudienceSchema, tagAudienceSchema, filterAudienceSchema],
  'must be exactly one of {"smartListId": ...}, {"tags": {...}} or {"filter": {...}}',
);
export type Audience = z.infer<typeof audienceSchema>;
