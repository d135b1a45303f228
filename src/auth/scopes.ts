import type { ApiKeyScope } from '../generated/prisma/enums.js';

/** The API's scopes, weakest first: each one grants everything the ones before it grant. */
export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function grants(held: Scope, needed: Scope): boolean {
  return SCOPES.indexOf(held) >= SCOPES.indexOf(needed);
}

const TO_DB: Record<Scope, ApiKeyScope> = { read: 'READ', write: 'WRITE', admin: 'ADMIN' };

export function scopeToDb(scope: Scope): ApiKeyScope {
  return TO_DB[scope];
}

export function scopeFromDb(scope: ApiKeyScope): Scope {
  return scope.toLowerCase() as Scope;
}
