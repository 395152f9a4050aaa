import { createHash } from 'node:crypto';
import { ZodError } from 'zod';
import { createDocumentClient } from '../shared/adapters/aws/dynamo/document-client';
import { DynamoNumberRegistry } from '../shared/adapters/aws/dynamo/dynamo-number-registry';
import { assignNumber } from '../shared/app/numbers/sender-numbers.use-case';
import { ConflictError } from '../shared/domain/errors';
import { assignNumberSchema } from '../shared/domain/numbers/sender-number';
import type { Clock } from '../shared/ports/clock.port';
import type { NumberRegistry } from '../shared/ports/number-registry.port';

type LocalResponse = { status: number; body: unknown };

/**
 * A simulated number's limit: the highest a registry allows, so tenant settings choose the pace locally (the simulated
 * carrier's own SIM_MPS is what throttles, as a real carrier would).
 */
const SIMULATED_NUMBER_MPS = 3000;

/** How many numbers a new tenant's simulated number is looked for among before giving up. */
const CANDIDATES = 1_000;

/**
 * The operator's part on the local stack: `POST /local/numbers` assigns numbers (what `POST /admin/numbers` does on
 * AWS), and a tenant's first token gives it a simulated number of its own, so trying the stack needs no set-up and
 * no two tenants share a number by accident.
 */
export function createLocalNumbers(endpoint: string, tableName: string, clock: Clock) {
  const numbers: NumberRegistry = new DynamoNumberRegistry(createDocumentClient({ endpoint }), tableName);
  const deps = { numbers, clock };
  return {
    numbers,
    /** `POST /local/numbers`: 201 with the number, 400 naming the field, 409 when another tenant or pool holds it. */
    async assign(body: unknown): Promise<LocalResponse> {
      try {
        return { status: 201, body: await assignNumber(assignNumberSchema.parse(body ?? {}), deps) };
      } catch (error) {
        if (error instanceof ZodError) {
          const details = error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
          const message = details.map((d) => `${d.path}: ${d.message}`).join('; ');
          return { status: 400, body: { error: { code: 'VALIDATION_FAILED', message, details }, requestId: 'local' } };
        }
        if (error instanceof ConflictError) {
          const body = { error: { code: error.code, message: error.message, details: [] }, requestId: 'local' };
          return { status: 409, body };
        }
        throw error;
      }
    },
    /** Gives a tenant that holds no number a simulated toll-free number of its own (stable for its id). */
    async ensureNumber(tenantId: string): Promise<void> {
      if ((await numbers.numbersOf(tenantId)).length > 0) return;
      const start = createHash('sha256').update(tenantId).digest().readUInt32BE(0);
      for (let i = 0; i < CANDIDATES; i++) {
        // A valid North American toll-free number: an exchange of 200-999, then any line.
        const n = (start + i) % 8_000_000;
        const number = `+1833${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')}`;
        const outcome = await numbers.assign(
          assignNumberSchema.parse({ tenantId, number, mps: SIMULATED_NUMBER_MPS }),
          clock.now().toISOString(),
        );
        if (outcome.kind !== 'taken') return;
      }
      throw new Error(`no free simulated number found for tenant ${tenantId}`);
    },
  };
}

export type LocalNumbers = ReturnType<typeof createLocalNumbers>;
