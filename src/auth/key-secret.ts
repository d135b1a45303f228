import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const KEY_PREFIX = 'vs_live_';

/** 32 random bytes = 256 bits of entropy, URL-safe. */
export function generateKeySecret(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function looksLikeKey(value: string): boolean {
  return /^vs_live_[A-Za-z0-9_-]{32,128}$/.test(value);
}

/** High-entropy keys need no salt or slow hash: SHA-256 cannot be reversed and cannot be guessed at 2^256. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What a list shows so a person can tell keys apart without seeing them. */
export function displayPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 4);
}
