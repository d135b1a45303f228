import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Short signed tokens for things the server hands out and takes back (page cursors, connect links): a payload
 * and a truncated HMAC-SHA256 with the install secret. Instances sharing a database share the secret.
 */
let secret: Buffer = randomBytes(32);

export function setInstallSecret(value: string): void {
  secret = Buffer.from(value, 'utf8');
}

function mac(purpose: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}\n${payload}`).digest().subarray(0, 16);
}

export function signToken(purpose: string, value: unknown): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${payload}.${mac(purpose, payload).toString('base64url')}`;
}

/** The signed value, or null when the token is malformed, forged or made for another purpose. */
export function verifyToken(purpose: string, token: string): unknown {
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined) return null;
  // The signature's text is compared, not its decoded bytes: decoding ignores stray characters and the spare bits
  // of the last one, so other texts would pass for the same signature and a changed cursor would still be taken.
  const expected = Buffer.from(mac(purpose, payload).toString('base64url'));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/** Compares secrets and signatures in time that does not depend on where they differ (UTF-8 bytes). */
export function sameSecret(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}
