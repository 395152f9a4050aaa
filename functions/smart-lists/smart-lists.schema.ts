import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../shared/domain/pagination.schema';
import {
  smartListInputSchema,
  smartListPatchSchema,
  smartListSchema,
} from '../../shared/domain/smart-lists/smart-list.schema';

/** What the Smart List API accepts and answers. */
export const createSmartListBody = smartListInputSchema;
export const patchSmartListBody = smartListPatchSchema;
export const smartListIdParams = z.object({ id: z.string().min(1).max(64) });
export const listSmartListsQuery = pageQuerySchema;
export const smartListResponse = smartListSchema;
export const smartListPageResponse = pageSchema(smartListSchema);
