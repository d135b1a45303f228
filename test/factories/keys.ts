import { expect } from 'vitest';
import { createApiKey, type ApiKeyWithSecret } from '../../src/auth/api-keys.js';
import type { Scope } from '../../src/auth/scopes.js';
import { overRest, type ApiClient, type Target } from './target.js';
import { unique } from './unique.js';

/** A new API key as `POST /v1/api-keys` answers it: the secret `key` is in this answer only. */
export interface KeyBody {
  id: string;
  name: string;
  scope: Scope;
  prefix: string;
  key: string;
  expiresAt: string | null;
  createdAt: string;
}

export interface KeyOverrides {
  /** `read` unless the test needs more: the least a test's client may do. */
  scope?: Scope;
  name?: string;
  expiresAt?: Date | null;
}

/** A new API key of the workspace: over REST with `t` (made with the admin key), or through the service with `ctx`. */
export function aKey(on: ApiClient, overrides?: KeyOverrides): Promise<KeyBody>;
export function aKey(on: Target, overrides?: KeyOverrides): Promise<ApiKeyWithSecret>;
export async function aKey(on: Target, overrides: KeyOverrides = {}): Promise<KeyBody | ApiKeyWithSecret> {
  const { scope = 'read', name = unique(`${scope} key`), expiresAt = null } = overrides;
  if (overRest(on)) {
    const body = { name, scope, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) };
    const created = await on.api('POST', '/v1/api-keys', { body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as KeyBody;
  }
  return createApiKey(on, { name, scope, expiresAt });
}
