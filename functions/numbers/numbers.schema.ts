import { z } from 'zod';

/** One sender number as a tenant sees it. */
export const tenantNumber = z.object({
  number: z.string().meta({ description: 'The number in E.164: its canonical id' }),
  phoneNumberId: z.string().nullable(),
  arn: z.string().nullable(),
  /** `own`: assigned to this tenant alone; `pool`: shared by the members of a pool. */
  assignment: z.enum(['own', 'pool']),
  pool: z.string().nullable(),
  mps: z.number().meta({ description: 'Messages per second the carrier allows this number' }),
  selected: z
    .boolean()
    .meta({ description: "Whether the tenant's texts go out from it (settings.originationIdentity, else the first)" }),
});

export const tenantNumbersResponse = z.object({ items: z.array(tenantNumber) });
