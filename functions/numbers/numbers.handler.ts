import type { z } from 'zod';
import { numbersOf, senderOf } from '../../shared/app/numbers/sender-numbers.use-case';
import { getSettings } from '../../shared/app/settings/settings.use-case';
import { createContactsDeps } from '../../shared/config/contacts-deps.factory';
import { httpHandler } from '../../shared/middleware/http-handler';
import type { tenantNumbersResponse } from './numbers.schema';

const deps = createContactsDeps();

/** The sender numbers the operator assigned to the tenant (its own and its pools'), and which one it sends from. */
export const { lambdaHandler, handler } = httpHandler({
  'GET /v1/numbers': async ({ tenantId }) => {
    const [numbers, settings] = await Promise.all([numbersOf(tenantId, deps), getSettings(tenantId, deps)]);
    const selected = await senderOf(tenantId, settings, deps);
    const body: z.infer<typeof tenantNumbersResponse> = {
      items: numbers.map((n) => ({
        number: n.number,
        phoneNumberId: n.phoneNumberId,
        arn: n.arn,
        assignment: n.owner.kind === 'tenant' ? 'own' : 'pool',
        pool: n.owner.kind === 'pool' ? n.owner.pool : null,
        mps: n.mps,
        selected: n.number === selected,
      })),
    };
    return { statusCode: 200, body };
  },
});
