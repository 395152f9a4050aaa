import { z } from 'zod';
import { assignNumberSchema } from '../../shared/domain/numbers/sender-number';

/** `POST /admin/numbers`: assign a number (with its AWS ids) to a tenant, or to a pool the tenant joins. */
export const assignNumberBody = assignNumberSchema;

/** `POST /admin/unrouted/{inboundMessageId}/route`: the tenant an unrouted inbound text belongs to. */
export const routeUnroutedBody = z.strictObject({
  tenantId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a tenant id'),
});

export const unroutedParams = z.object({ inboundMessageId: z.string().min(1).max(200) });
