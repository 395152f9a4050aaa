import { z } from 'zod';
import type { SimulatedCarrierOptions } from './simulated-carrier';

/** An unset or empty variable takes the default. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const simulatedCarrierEnvSchema = z.object({
  SIM_MPS: z.preprocess(unsetIfEmpty, z.coerce.number().positive().default(100)),
  SIM_LATENCY_MS: z.preprocess(unsetIfEmpty, z.coerce.number().int().nonnegative().default(0)),
  SIM_RECEIPT_DELAY_MS: z.preprocess(unsetIfEmpty, z.coerce.number().int().nonnegative().default(200)),
  SIM_RECEIPTS: z.preprocess(
    (value) => (typeof value === 'string' ? unsetIfEmpty(value.trim().toLowerCase()) : value),
    z.enum(['on', 'off']).default('on'),
  ),
});

/**
 * The simulated carrier's settings from the environment (`SIM_MPS`, `SIM_LATENCY_MS`, `SIM_RECEIPT_DELAY_MS`,
 * `SIM_RECEIPTS=off`), read once at start and validated, so a typo fails the start instead of silently running
 * with a default. Throws a ZodError naming the variable.
 */
export function simulatedCarrierSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Required<Pick<SimulatedCarrierOptions, 'mps' | 'latencyMs' | 'receiptDelayMs' | 'receipts'>> {
  const parsed = simulatedCarrierEnvSchema.parse(env);
  return {
    mps: parsed.SIM_MPS,
    latencyMs: parsed.SIM_LATENCY_MS,
    receiptDelayMs: parsed.SIM_RECEIPT_DELAY_MS,
    receipts: parsed.SIM_RECEIPTS === 'on',
  };
}
