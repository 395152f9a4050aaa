import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';

const ISSUER = 'sms-engine-local';
const AUDIENCE = 'sms-engine-local-api';

/**
 * Signs and verifies the local stack's bearer tokens (HS256, a secret kept under the data folder).
 * It stands in for Cognito: the verified claims reach handlers exactly where the JWT authorizer puts them.
 */
export class LocalAuth {
  private constructor(private readonly secret: Uint8Array) {}

  static async open(dataDir: string): Promise<LocalAuth> {
    const file = join(dataDir, 'local-jwt-secret');
    let secret: Buffer;
    try {
      secret = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    } catch {
      secret = randomBytes(32);
      await mkdir(dataDir, { recursive: true });
      await writeFile(file, secret.toString('base64'), { mode: 0o600 });
    }
    return new LocalAuth(secret);
  }

  async sign(tenantId: string, subject = `local-user@${tenantId}`): Promise<string> {
    return new SignJWT({ tenantId, 'custom:tenantId': tenantId, token_use: 'id' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(this.secret);
  }

  /** Returns the claims of a valid token, or undefined (the caller answers 401). */
  async verify(authorization: string | undefined): Promise<Record<string, string | number | boolean> | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return undefined;
    try {
      const { payload } = await jwtVerify(match[1], this.secret, { issuer: ISSUER, audience: AUDIENCE });
      return Object.fromEntries(
        Object.entries(payload).map(([key, value]) => [
          key,
          Array.isArray(value) ? value.join(' ') : (value as string),
        ]),
      );
    } catch {
      return undefined;
    }
  }
}
