import { expect } from 'vitest';
import type { User } from '../../src/generated/prisma/client.js';
import { createOrFindUser } from '../../src/users/users.js';
import { overRest, type ApiClient, type Target } from './target.js';
import { unique } from './unique.js';

/** A user as the REST API answers it (timestamps as ISO strings). */
export interface UserBody {
  id: string;
  externalId: string;
  email: string | null;
  timezone: string;
  metadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface UserOverrides {
  /** Unique by default (`user-7`); give one when the test is about it. */
  externalId?: string;
  /** UTC unless the test is about local days. */
  timezone?: string;
  email?: string | null;
  metadata?: Record<string, unknown>;
}

/** A new user of the workspace (asserts it was created, not found): over REST with `t`, or through the service with `ctx`. */
export function aUser(on: ApiClient, overrides?: UserOverrides): Promise<UserBody>;
export function aUser(on: Target, overrides?: UserOverrides): Promise<User>;
export async function aUser(on: Target, overrides: UserOverrides = {}): Promise<UserBody | User> {
  const { externalId = unique('user'), ...input } = overrides;
  if (overRest(on)) {
    const created = await on.api('POST', '/v1/users', { body: { externalId, ...input } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as UserBody;
  }
  const { user, created } = await createOrFindUser(on, externalId, input);
  expect(created, `a user with externalId "${externalId}" existed already`).toBe(true);
  return user;
}
