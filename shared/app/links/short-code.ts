import { randomBytes } from 'node:crypto';

/** A new short code: 9 random bytes (72 bits) in base64url, 12 URL-safe characters, all of them GSM-7. */
export function newShortCode(): string {
  return randomBytes(9).toString('base64url');
}
