import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { demoProvider } from '../../src/providers/demo/index.js';
import type { ProviderCall } from '../../src/providers/provider.js';

/** Everything the demo provider yields for a connection over a window: what a clean sync stores. */
async function expectedFromDemo(connectionId: string, stream: string, from: Date, to: Date) {
  const call = { connectionId } as ProviderCall;
  const samples: string[] = [];
  let events = 0;
  let page: string | null = null;
  do {
    const result = await demoProvider.fetchPage(call, stream, { from, to }, page, loadConfig({}));
    samples.push(...result.samples.map((s) => `${s.metricType}@${s.recordedAt.toISOString()}`));
    events += result.events.length;
    page = result.nextPage;
  } while (page);
  return { samples, events };
}

/**
 * What a demo connection holds against what a clean sync of the windows it checkpointed would hold: samples as
 * sorted `metric@time` keys (a duplicate shows up twice) and event counts, for `toEqual`.
 */
export async function demoConnectionData(db: Db, connectionId: string) {
  const connection = await db.connection.findUniqueOrThrow({ where: { id: connectionId } });
  const state = connection.syncState as Record<string, { from: string; until: string }>;
  const expectedSamples: string[] = [];
  let expectedEvents = 0;
  for (const stream of demoProvider.streams) {
    const expected = await expectedFromDemo(connectionId, stream, new Date(state[stream]!.from), new Date(state[stream]!.until));
    expectedSamples.push(...expected.samples);
    expectedEvents += expected.events;
  }
  const stored = await db.healthSample.findMany({ where: { connectionId }, select: { metricType: true, recordedAt: true } });
  return {
    stored: {
      samples: stored.map((s) => `${s.metricType}@${s.recordedAt.toISOString()}`).sort(),
      events: await db.healthEvent.count({ where: { connectionId } }),
    },
    expected: { samples: expectedSamples.sort(), events: expectedEvents },
  };
}
