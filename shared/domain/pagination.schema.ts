import { z } from 'zod';

/** `?limit=&cursor=` as the contract defines them: default 50, at most 500. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int('must be a whole number').min(1).max(500).default(50),
  cursor: z.string().min(1).max(2048).optional(),
});

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
