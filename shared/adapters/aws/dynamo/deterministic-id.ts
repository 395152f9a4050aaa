import { createHmac } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A 26-character Crockford base32 id (the shape of a ULID) from an HMAC of `value` under a
 * secret salt: the same input always gives the same id, and the id reveals nothing of the input.
 */
export function deterministicId(salt: string, value: string): string {
  const digest = createHmac('sha256', salt).update(value).digest();
  let bits = 0;
  let buffer = 0;
  let id = '';
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && id.length < 26) {
      bits -= 5;
      id += CROCKFORD[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
    if (id.length === 26) break;
  }
  return id;
}
