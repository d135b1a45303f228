import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { log } from '../lib/logger.js';
import { parseKey, type TokenKeys } from './token-crypto.js';

/**
 * The token-encryption keys: VITASYNC_ENCRYPTION_KEY (+ _KEY_ID, and _KEYS_OLD "id=key,…" for rotation). Without
 * it, a key is generated once into the data folder (mode 0600), so the embedded default works with no setup;
 * production sets the variable so the key lives apart from the data.
 */
export function loadTokenKeys(config: Config): TokenKeys {
  const keys = new Map<string, Buffer>();
  for (const entry of (config.encryption.oldKeys ?? '').split(',').filter(Boolean)) {
    const [id, value] = entry.split('=');
    if (!id || !value) throw new Error('VITASYNC_ENCRYPTION_KEYS_OLD must look like "id=key,id=key"');
    keys.set(id, parseKey(value, `old encryption key ${id}`));
  }
  if (config.encryption.key) {
    keys.set(config.encryption.keyId, parseKey(config.encryption.key, 'VITASYNC_ENCRYPTION_KEY'));
    return { currentId: config.encryption.keyId, keys };
  }
  if (config.dataDir.startsWith('memory://')) {
    keys.set('ephemeral', randomBytes(32));
    return { currentId: 'ephemeral', keys };
  }
  const file = join(config.dataDir, 'encryption.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    if (config.databaseUrl) log.warn('VITASYNC_ENCRYPTION_KEY is not set; generated a token key in the data folder', { file });
  }
  keys.set('local', parseKey(readFileSync(file, 'utf8').trim(), file));
  return { currentId: 'local', keys };
}
