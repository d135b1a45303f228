import type { Database } from '../db/client.js';

const startedAt = Date.now();

/** GET /health: alive, and ready when the database answers. 503 when it does not, so a balancer stops routing here. */
export async function healthResponse(db: Database): Promise<Response> {
  let database: 'ok' | 'unavailable' = 'ok';
  try {
    await db.query('SELECT 1');
  } catch {
    database = 'unavailable';
  }
  const ok = database === 'ok';
  return Response.json(
    { status: ok ? 'ok' : 'degraded', database, engine: db.kind, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) },
    { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
