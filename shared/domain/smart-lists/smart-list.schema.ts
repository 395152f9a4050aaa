import { z } from 'zod';
import { filterSchema } from '../audience/filter.schema';

/** A saved contact filter: the audience of campaigns that should follow the data as it changes. */
export const smartListSchema = z.object({
  id: z.string(),
  name: z.string(),
  filter: filterSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SmartList = z.infer<typeof smartListSchema>;

export const smartListInputSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    filter: filterSchema,
  })
  .strict();
export type SmartListInput = z.infer<typeof smartListInputSchema>;

export const smartListPatchSchema = smartListInputSchema
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'must change name or filter');
export type SmartListPatch = z.infer<typeof smartListPatchSchema>;
