import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.js';
import { setLogLevel } from '../../src/lib/logger.js';
import { aUser, localDays } from '../factories/index.js';
import { eventually } from '../helpers/connect.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const ENTRY_FIELDS = 'id userId at localDate title body mood gratitude tags createdAt updatedAt';

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`journal entries over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    const receivers: WebhookReceiver[] = [];
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(async () => {
      await t?.close();
      for (const receiver of receivers) await receiver.close();
    });

    const write = (userId: string, body: Record<string, unknown>, key?: string) =>
      t.api('POST', `/v1/users/${userId}/journal`, { body, key });
    const ids = (response: { body: { data: { id: string }[] } }) => response.body.data.map((entry) => entry.id);

    it('creates, updates and deletes an entry, announcing each change, and answers the same over GraphQL', async () => {
      const userId = (await aUser(t, { timezone: BERLIN })).id;
      const created = await write(userId, {
        title: ' Sunday ',
        body: 'Walked by the river.',
        mood: 'content',
        gratitude: [' sunshine', 'friends'],
        tags: ['Family'],
        at: '2025-06-08T16:00:00.000Z',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        userId,
        title: 'Sunday',
        body: 'Walked by the river.',
        mood: 'content',
        gratitude: ['sunshine', 'friends'],
        tags: ['family'],
        localDate: '2025-06-08',
      });
      const entryId = created.body.id;
      const patched = await t.api('PATCH', `/v1/users/${userId}/journal/${entryId}`, {
        body: { title: '', tags: [], body: 'Walked by the sea.' },
      });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(patched.body).toMatchObject({
        id: entryId,
        title: null,
        tags: [],
        body: 'Walked by the sea.',
        mood: 'content',
        gratitude: ['sunshine', 'friends'],
      });

      const gql = await t.graphql(`query ($userId: ID!) { journalEntries(userId: $userId) { data { ${ENTRY_FIELDS} } } }`, { userId });
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.journalEntries.data).toEqual((await t.api('GET', `/v1/users/${userId}/journal`)).body.data);
      const gqlPatch = await t.graphql(
        `mutation ($userId: ID!, $entryId: ID!) { updateJournalEntry(userId: $userId, entryId: $entryId, mood: happy) { ${ENTRY_FIELDS} } }`,
        { userId, entryId },
      );
      expect(gqlPatch.body.data.updateJournalEntry.mood).toBe('happy');

      const deleted = await t.api('DELETE', `/v1/users/${userId}/journal/${entryId}`);
      expect(deleted.status).toBe(204);
      expect((await t.api('DELETE', `/v1/users/${userId}/journal/${entryId}`)).status).toBe(404);
      expect((await t.api('PATCH', `/v1/users/${userId}/journal/${entryId}`, { body: { title: 'x' } })).status).toBe(404);
      expect((await t.api('GET', `/v1/users/${userId}/journal?offset=0`)).body.total).toBe(0);

      const events = (await t.api('GET', '/v1/domain-events?limit=500')).body.data.filter(
        (event: any) => event.type.startsWith('journal_entry.') && event.payload.id === entryId,
      );
      expect(events.map((event: any) => event.type)).toEqual([
        'journal_entry.created',
        'journal_entry.updated',
        'journal_entry.updated',
        'journal_entry.deleted',
      ]);
      expect(events[0].payload).toEqual(created.body);
      expect(events[1].payload).toEqual(patched.body);
      expect(events[3].payload).toEqual(gqlPatch.body.data.updateJournalEntry);
    });

    it('refuses bad input with the field named and stores nothing', async () => {
      const userId = (await aUser(t)).id;
      const cases: [Record<string, unknown>, number, string][] = [
        [{}, 400, 'body field body is required'],
        [{ body: '   ' }, 422, 'body field body'],
        [{ body: 'x'.repeat(20_001) }, 422, 'body field body must be a string of 1 to 20000 characters'],
        [{ body: 'ok', title: 't'.repeat(201) }, 422, 'body field title'],
        [{ body: 'ok', mood: 'joyful' }, 422, 'body field mood'],
        [{ body: 'ok', gratitude: [''] }, 422, 'body field gratitude[0]'],
        [{ body: 'ok', gratitude: Array.from({ length: 11 }, (_, i) => `g${i}`) }, 422, 'gratitude must hold at most 10'],
        [{ body: 'ok', tags: [1] }, 400, 'body field tags'],
        [{ body: 'ok', at: '2999-01-01T00:00:00.000Z' }, 422, 'at must not be in the future'],
      ];
      for (const [body, status, message] of cases) {
        const refused = await write(userId, body);
        expect(refused.status, JSON.stringify(body)).toBe(status);
        expect(refused.body.message).toContain(message);
      }
      expect((await t.api('GET', `/v1/users/${userId}/journal?offset=0`)).body.total).toBe(0);
      expect((await t.api('GET', `/v1/users/${userId}/journal?q=${'x'.repeat(201)}`)).status).toBe(422);
      expect((await t.api('GET', `/v1/users/${userId}/journal/stats?from=2025-06-02&to=2025-06-01`)).status).toBe(422);
      expect((await t.api('PATCH', `/v1/users/${userId}/journal/not-an-id`, { body: { title: 'x' } })).status).toBe(400);
    });

    it('answers 404 for an entry or user of another workspace', async () => {
      const other = await t.newWorkspace();
      const theirs = (await t.api('POST', '/v1/users', { key: other.adminKey, body: { externalId: 'theirs' } })).body.id;
      const entry = await write(theirs, { body: 'private' }, other.adminKey);
      expect(entry.status).toBe(201);
      expect((await t.api('GET', `/v1/users/${theirs}/journal`)).status).toBe(404);
      const mine = (await aUser(t)).id;
      expect((await t.api('PATCH', `/v1/users/${mine}/journal/${entry.body.id}`, { body: { title: 'x' } })).status).toBe(404);
      expect((await t.api('DELETE', `/v1/users/${mine}/journal/${entry.body.id}`)).status).toBe(404);
    });

    it('searches title and body with stemming and filters by tag, mood and local day', async () => {
      const userId = (await aUser(t, { timezone: 'UTC' })).id;
      const run = await write(userId, {
        title: 'Morning runs',
        body: 'Ran along the canal.',
        tags: ['sport'],
        at: '2025-05-01T08:00:00.000Z',
      });
      const dinner = await write(userId, {
        body: 'Dinner with Anna; we talked about running a marathon.',
        mood: 'happy',
        at: '2025-05-02T19:00:00.000Z',
      });
      const work = await write(userId, {
        title: 'Deadline',
        body: 'Stressful day at work.',
        mood: 'stressed',
        tags: ['work'],
        at: '2025-05-03T18:00:00.000Z',
      });
      const search = (query: string) => t.api('GET', `/v1/users/${userId}/journal?${query}`);
      // "run" stems to what "runs" and "running" stem to.
      expect(ids(await search('q=run'))).toEqual([dinner.body.id, run.body.id]);
      expect(ids(await search('q=' + encodeURIComponent('running -marathon')))).toEqual([run.body.id]);
      expect(ids(await search('q=' + encodeURIComponent('"stressful day"')))).toEqual([work.body.id]);
      expect(ids(await search('q=deadline'))).toEqual([work.body.id]);
      expect(ids(await search('q=holiday'))).toEqual([]);
      expect(ids(await search('tag=Sport'))).toEqual([run.body.id]);
      expect(ids(await search('mood=happy'))).toEqual([dinner.body.id]);
      expect(ids(await search('from=2025-05-02&to=2025-05-02'))).toEqual([dinner.body.id]);
      const page = await search('limit=2');
      expect(ids(page)).toEqual([work.body.id, dinner.body.id]);
      expect(ids(await search(`limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`))).toEqual([run.body.id]);
      const gql = await t.graphql(`query ($userId: ID!) { journalEntries(userId: $userId, q: "run") { data { id } } }`, { userId });
      expect(gql.body.data.journalEntries.data.map((e: any) => e.id)).toEqual([dinner.body.id, run.body.id]);
      // The index the search can use.
      const [index] = await t.server.database.query<{ def: string }>(
        `SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'JournalEntry' AND indexname = 'JournalEntry_search_idx'`,
      );
      expect(index?.def).toContain('USING gin');
    });

    it('counts streaks, moods and weeks in local days: midnight, a DST day and a zone change', async () => {
      const user = await aUser(t, { timezone: NEW_YORK });
      // 23:30 on Saturday 8 March (EST, 04:30 UTC on the 9th), then 00:30 and 23:30 on Sunday 9 March, the day
      // New York springs forward (05:30 UTC on the 9th and 03:30 UTC on the 10th): two local days, not three.
      const entries = [
        { body: 'a', mood: 'calm', at: '2025-03-09T04:30:00.000Z' },
        { body: 'b', mood: 'calm', at: '2025-03-09T05:30:00.000Z' },
        { body: 'c', mood: 'sad', at: '2025-03-10T03:30:00.000Z' },
        // 00:30 EDT on Monday 10 March.
        { body: 'd', at: '2025-03-10T04:30:00.000Z' },
      ];
      const written = [];
      for (const entry of entries) written.push((await write(user.id, entry)).body);
      expect(written.map((e) => e.localDate)).toEqual(['2025-03-08', '2025-03-09', '2025-03-09', '2025-03-10']);

      // Moving to Berlin: past entries keep their New York days; an entry at 23:30 Berlin time on the 12th is the 12th.
      expect((await t.api('PATCH', `/v1/users/${user.id}`, { body: { timezone: BERLIN } })).status).toBe(200);
      const moved = await write(user.id, { body: 'e', at: '2025-03-12T22:30:00.000Z' });
      expect(moved.body.localDate).toBe('2025-03-12');
      expect(ids(await t.api('GET', `/v1/users/${user.id}/journal?from=2025-03-09&to=2025-03-09`)).sort()).toEqual(
        [written[1].id, written[2].id].sort(),
      );

      const stats = await t.api('GET', `/v1/users/${user.id}/journal/stats?from=2025-03-03&to=2025-03-16`);
      expect(stats.status, JSON.stringify(stats.body)).toBe(200);
      // Days 8, 9, 10 in a row, then 12: the longest run is 3; the current one ended long before today.
      expect(stats.body).toMatchObject({
        entries: 5,
        daysWithEntries: 4,
        longestStreak: 3,
        currentStreak: 0,
        withoutMood: 2,
        meanPerWeek: 2.5,
      });
      expect(stats.body.entriesPerWeek).toEqual([
        { weekStart: '2025-03-03', entries: 3 },
        { weekStart: '2025-03-10', entries: 2 },
      ]);
      const moods = Object.fromEntries(
        stats.body.moodDistribution.filter((m: any) => m.entries).map((m: any) => [m.mood, [m.entries, m.share]]),
      );
      expect(moods).toEqual({ calm: [2, 66.7], sad: [1, 33.3] });
      const gql = await t.graphql(
        `query ($userId: ID!) { journalStats(userId: $userId, from: "2025-03-03", to: "2025-03-16") { userId from to today currentStreak
          longestStreak entries daysWithEntries moodDistribution { mood entries share } withoutMood entriesPerWeek { weekStart entries } meanPerWeek } }`,
        { userId: user.id },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.journalStats).toEqual(stats.body);
    });

    it('counts the current streak up to today, which stays open until an entry comes', async () => {
      const userId = (await aUser(t, { timezone: 'UTC' })).id;
      const today = new Date().toISOString().slice(0, 10);
      const days = localDays(new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10), 3);
      for (const day of days) await write(userId, { body: day, at: `${day}T00:00:00.000Z` });
      const stats = (await t.api('GET', `/v1/users/${userId}/journal/stats`)).body;
      expect(stats).toMatchObject({ today, currentStreak: 3, longestStreak: 3, entries: 3 });
      await write(userId, { body: 'today' });
      expect((await t.api('GET', `/v1/users/${userId}/journal/stats`)).body.currentStreak).toBe(4);
    });

    it('sends the body only to webhook endpoints that name the journal event type', async () => {
      const { adminKey: key } = await t.newWorkspace();
      const everything = await startWebhookReceiver();
      const named = await startWebhookReceiver();
      receivers.push(everything, named);
      expect((await t.api('POST', '/v1/webhooks', { key, body: { url: `${everything.url}/all` } })).status).toBe(201);
      const hook = await t.api('POST', '/v1/webhooks', {
        key,
        body: { url: `${named.url}/journal`, eventTypes: ['journal_entry.created'] },
      });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      const userId = (await t.api('POST', '/v1/users', { key, body: { externalId: 'writer' } })).body.id;
      const entry = (await write(userId, { title: 'Dear diary', body: 'Something only I should read.', tags: ['private'] }, key)).body;

      const journalMessage = (receiver: WebhookReceiver) => receiver.messages().find((message) => message.type === 'journal_entry.created');
      const toAll = await eventually(() => journalMessage(everything), Boolean);
      const toNamed = await eventually(() => journalMessage(named), Boolean);
      const { body, ...withoutBody } = entry;
      expect(body).toBe('Something only I should read.');
      expect(JSON.parse(toAll!.body).data).toEqual(withoutBody);
      expect(toAll!.body).not.toContain('only I should read');
      expect(JSON.parse(toNamed!.body).data).toEqual(entry);
    });

    it('never writes a journal body to the logs, even at debug level and on a refused write', async () => {
      const userId = (await aUser(t)).id;
      const lines: string[] = [];
      const capture = (stream: NodeJS.WriteStream) => {
        const original = stream.write.bind(stream);
        stream.write = ((chunk: unknown, ...rest: unknown[]) => {
          lines.push(String(chunk));
          return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
        }) as typeof stream.write;
        return () => (stream.write = original as typeof stream.write);
      };
      setLogLevel('debug');
      const restore = [capture(process.stdout), capture(process.stderr)];
      try {
        await write(userId, { body: 'secret-diary-text written today' });
        await write(userId, { body: 'secret-diary-text refused', mood: 'joyful' });
        await t.graphql(`mutation ($userId: ID!) { createJournalEntry(userId: $userId, body: "secret-diary-text", title: 7) { id } }`, {
          userId,
        });
      } finally {
        restore.forEach((undo) => undo());
        setLogLevel('silent');
      }
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((line) => line.includes('secret-diary-text'))).toEqual([]);
    });

    it('goes with its user when the user is deleted', async () => {
      const userId = (await aUser(t)).id;
      await write(userId, { body: 'bye' });
      await t.api('POST', `/v1/users/${userId}/mood`, { body: { score: 5 } });
      expect((await t.api('DELETE', `/v1/users/${userId}`)).status).toBe(204);
      const rows = await t.server.database.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM "JournalEntry" WHERE "userId" = $1)::int + (SELECT count(*) FROM "MoodEntry" WHERE "userId" = $1)::int AS n`,
        [userId],
      );
      expect(rows[0]!.n).toBe(0);
    });
  });
}
