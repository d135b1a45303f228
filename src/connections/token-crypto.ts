import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Provider tokens at rest: AES-256-GCM with a random 96-bit IV per value, stored as
 * "<keyId>:<iv>:<tag>:<ciphertext>" (base64url). The key id lets old ciphertexts be read after a key rotation
 * (VITASYNC_ENCRYPTION_KEYS_OLD) while new ones use the current key.
 */
export interface TokenKeys {
  currentId: string;
  keys: Map<string, Buffer>;
}

export function parseKey(value: string, name: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes, as 64 hex characters or base64`);
  return key;
}

export function encryptToken(keys: TokenKeys, plaintext: string): string {
  const key = keys.keys.get(keys.currentId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // The key id is authenticated too, so a ciphertext cannot be relabelled to another key.
  cipher.setAAD(Buffer.from(keys.currentId));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [keys.currentId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(':');
}

export function decryptToken(keys: TokenKeys, stored: string): string {
  const [keyId, iv, tag, data] = stored.split(':');
  const key = keyId ? keys.keys.get(keyId) : undefined;
  if (!key || !iv || !tag || data === undefined) throw new Error('token ciphertext is malformed or its key is not configured');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(keyId!));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
