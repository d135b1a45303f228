import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildServer as startMain, stopChildServer } from '../helpers/child-server.js';

describe('a fresh embedded install', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vitasync-data-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints an admin key once, and keeps users and keys across a restart', async () => {
    const env = { VITASYNC_DATA_DIR: dataDir, HOST: '127.0.0.1' };
    const first = await startMain(env);
    const key = /vs_live_[A-Za-z0-9_-]{43}/.exec(first.output())?.[0];
    expect(key, first.output()).toBeDefined();
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const created = await fetch(`http://127.0.0.1:${first.port}/v1/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ externalId: 'persisted' }),
    });
    expect(created.status).toBe(201);
    const reader = await (
      await fetch(`http://127.0.0.1:${first.port}/v1/api-keys`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'r', scope: 'read' }),
      })
    ).json();
    await stopChildServer(first);

    const second = await startMain(env);
    const base = `http://127.0.0.1:${second.port}/v1`;
    try {
      expect(second.output()).not.toMatch(/vs_live_/);
      const users = await (await fetch(`${base}/users`, { headers })).json();
      expect(users.data.map((u: { externalId: string }) => u.externalId)).toEqual(['persisted']);
      const asReader = await fetch(`${base}/users`, { headers: { authorization: `Bearer ${reader.key}` } });
      expect(asReader.status).toBe(200);
    } finally {
      await stopChildServer(second);
    }
  }, 120_000);
});
