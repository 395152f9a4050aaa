import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';

/**
 * Random numbers for ids from a pooled buffer: ulid's default asks the system for one random byte per character, a
 * measured tenth of an import's CPU. A byte over 256 is uniform over ulid's 32 characters.
 */
let pool = randomBytes(4096);
let poolOffset = 0;
function pooledRandom(): number {
  if (poolOffset >= pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  return (pool[poolOffset++] as number) / 256;
}

/** A new ULID (time-ordered, 80 random bits from the system's cryptographic source). */
export function pooledUlid(): string {
  return ulid(undefined, pooledRandom);
}
