import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { appleHealthExport, fitActivity, gpxTrack, tcxActivity, WATCH, zipAppleExport } from '../helpers/import-files.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testS3 } from '../helpers/storages.js';
import { startTemporalHarness, temporalAddress } from '../helpers/temporal.js';
import { newId } from '../../src/lib/ids.js';

const IMPORT_FIELDS = `id userId fileId format status jobId error recordsRead samplesStored eventsStored duplicates
  skipped { type count } rejected rejections { reason count } rejectionExamples { record type reason } createdAt startedAt completedAt`;

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

async function uploadFile(t: TestServer, userId: string, bytes: Uint8Array, name: string, key = t.adminKey): Promise<string> {
  const answer = await fetch(`${t.url}/v1/users/${userId}/uploads?filename=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  expect(answer.status).toBe(201);
  return (await answer.json()).id;
}

/** Starts an import over REST (202, queued) and waits for it to finish; the finished import as REST serves it. */
async function importAndWait(t: TestServer, userId: string, body: Record<string, unknown>): Promise<any> {
  const started = await t.api('POST', `/v1/users/${userId}/imports`, { body });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.body).toMatchObject({ userId, status: 'queued', jobId: `import:${started.body.id}` });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const got = await t.api('GET', `/v1/users/${userId}/imports/${started.body.id}`);
    expect(got.status).toBe(200);
    if (got.body.status === 'completed' || got.body.status === 'failed') {
      const graphql = await t.graphql(`query ($u: ID!, $i: ID!) { import(userId: $u, importId: $i) { ${IMPORT_FIELDS} } }`, {
        u: userId,
        i: started.body.id,
      });
      expect(graphql.body.data.import).toEqual(got.body);
      return got.body;
    }
    if (Date.now() > deadline) throw new Error(`import still ${got.body.status}: ${JSON.stringify(got.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`imports of Apple Health, FIT, GPX and TCX files over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    const upload = (userId: string, bytes: Uint8Array, name: string, key = t.adminKey) => uploadFile(t, userId, bytes, name, key);
    const runImport = (userId: string, body: Record<string, unknown>) => importAndWait(t, userId, body);

    it('imports a zipped Apple Health export with the counts it holds, without counting twice what HealthKit synced or a second import', async () => {
      const userId = (await aUser(t)).id;
      const { body, expected } = appleHealthExport({ start: Date.UTC(2025, 2, 1), days: 20 });
      const xml = Buffer.from([...body].join(''));
      expect(xml.length).toBeGreaterThan(3_000_000);
      const zip = await zipAppleExport(xml);
      // The same watch already synced its first day of heart rate and its first run through the HealthKit app.
      const pushed = await t.api('POST', `/v1/users/${userId}/health`, {
        body: {
          source: 'healthkit',
          samples: expected.firstDayHeartRates.map((s) => ({ metricType: 'heart_rate', unit: 'count/min', device: WATCH, ...s })),
        },
      });
      expect(pushed.status).toBe(201);
      const workout = await t.api('POST', `/v1/users/${userId}/events`, {
        body: { source: 'healthkit', events: [{ type: 'workout', subtype: 'running', ...expected.firstWorkout, externalId: 'hk-run-1' }] },
      });
      expect(workout.status).toBe(201);

      const fileId = await upload(userId, zip, 'export.zip');
      const samples = sum(expected.samples);
      const synced = expected.firstDayHeartRates.length;
      const first = await runImport(userId, { fileId });
      expect(first).toMatchObject({
        format: 'apple_health',
        status: 'completed',
        error: null,
        recordsRead: expected.records,
        samplesStored: samples - synced,
        eventsStored: expected.workouts - 1 + expected.sleepNights,
        duplicates: synced + 1,
        rejected: expected.rejected,
      });
      expect(Object.fromEntries(first.skipped.map((s: any) => [s.type, s.count]))).toEqual(expected.skipped);
      expect(first.rejections.map((r: any) => r.count).sort()).toEqual([2, 3]);
      expect(first.rejectionExamples).toHaveLength(5);

      // Stored once each: the summary counts every source's samples.
      const summary = (await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data;
      const counts = Object.fromEntries(summary.map((m: any) => [m.metricType, m.count]));
      expect(counts).toEqual(expected.samples);
      const latest = Object.fromEntries(summary.map((m: any) => [m.metricType, m.latestValue]));
      expect(latest.weight).toBeCloseTo(expected.lastWeightKg, 6);
      expect(latest.body_fat).toBeCloseTo(22, 6);
      expect(latest.blood_glucose).toBeCloseTo(5.4 * 18.016, 3);
      expect(latest.body_temperature).toBeCloseTo(((98.2 - 32) * 5) / 9, 6);
      expect(latest.spo2).toBeGreaterThanOrEqual(95);
      const workouts = (await t.api('GET', `/v1/users/${userId}/events?type=workout&limit=500`)).body;
      expect(workouts.data).toHaveLength(expected.workouts);
      const nights = (await t.api('GET', `/v1/users/${userId}/events?type=sleep&limit=500`)).body.data;
      expect(nights).toHaveLength(expected.sleepNights);
      // 23:00–07:00: four hours of core (light), one deep, two REM, one awake.
      expect(nights[0].details.stageSeconds).toEqual({ light: 4 * 3600, deep: 3600, rem: 2 * 3600, awake: 3600 });

      // The same file again: nothing new.
      const again = await runImport(userId, { fileId, format: 'apple_health' });
      expect(again).toMatchObject({
        status: 'completed',
        recordsRead: expected.records,
        samplesStored: 0,
        eventsStored: 0,
        duplicates: samples + expected.workouts + expected.sleepNights,
        rejected: expected.rejected,
      });
      expect((await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data.map((m: any) => m.count)).toEqual(
        summary.map((m: any) => m.count),
      );

      const list = await t.api('GET', `/v1/users/${userId}/imports`);
      expect(list.body.data.map((i: any) => i.id)).toEqual([again.id, first.id]);
      const listed = await t.graphql(`query ($u: ID!) { imports(userId: $u) { data { ${IMPORT_FIELDS} } total } }`, { u: userId });
      expect(listed.body.data.imports.data).toEqual(list.body.data);
      const announced = await t.api('GET', `/v1/domain-events?type=import.completed&limit=500`);
      expect(
        announced.body.data
          .filter((e: any) => e.payload.userId === userId)
          .map((e: any) => e.payload.id)
          .sort(),
      ).toEqual([first.id, again.id].sort());
    }, 180_000);

    it('imports an export.xml uploaded as it is, telling the format from its first bytes', async () => {
      const userId = (await aUser(t)).id;
      const { body, expected } = appleHealthExport({ start: Date.UTC(2025, 4, 1), days: 1, heartRateMinutes: 30 });
      const fileId = await upload(userId, Buffer.from([...body].join('')), 'health-data');
      const done = await runImport(userId, { fileId });
      expect(done).toMatchObject({
        format: 'apple_health',
        status: 'completed',
        recordsRead: expected.records,
        samplesStored: sum(expected.samples),
      });
    });

    it('imports a FIT activity written with Garmin’s encoder: the workout with its laps, and its streams as samples', async () => {
      const userId = (await aUser(t)).id;
      const { bytes, expected } = fitActivity({ start: new Date('2025-04-02T06:30:00.000Z'), laps: 3, lapSeconds: 120 });
      const done = await runImport(userId, { fileId: await upload(userId, bytes, 'morning.fit') });
      expect(done).toMatchObject({ format: 'fit', status: 'completed', recordsRead: expected.records, eventsStored: 1, rejected: 0 });
      const events = (await t.api('GET', `/v1/users/${userId}/events`)).body.data;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'workout',
        subtype: 'running',
        source: 'garmin',
        startAt: expected.startAt.toISOString(),
        endAt: expected.endAt.toISOString(),
        avgHeartRate: 149,
        maxHeartRate: 159,
      });
      expect(events[0].distance).toBeCloseTo(expected.distance, 1);
      expect(events[0].details.laps.map((l: any) => [l.startAt, l.durationSeconds, Math.round(l.distance * 10) / 10])).toEqual(
        expected.laps.map((l) => [l.startAt.toISOString(), l.seconds, Math.round(l.distance * 10) / 10]),
      );
      const summary = Object.fromEntries(
        (await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data.map((m: any) => [m.metricType, m]),
      );
      expect(summary.heart_rate.count).toBe(expected.heartRates);
      expect(summary.running_speed.count).toBe(expected.records);
      expect(summary.running_power.latestValue).toBe(250);
      // 85 strides a minute is 170 steps a minute.
      expect(summary.running_cadence.latestValue).toBe(170);
      // The distance between consecutive records adds up to the session's distance.
      const daily = (await t.api('GET', `/v1/users/${userId}/health/daily-summaries?metricType=distance&from=2025-04-02&to=2025-04-02`))
        .body.data;
      expect(daily[0].value).toBeCloseTo(expected.distance, 3);
    });

    it('imports GPX and TCX tracks: a workout each, with heart rate and distance samples', async () => {
      const userId = (await aUser(t)).id;
      const gpx = await runImport(userId, {
        fileId: await upload(userId, Buffer.from(gpxTrack(new Date('2025-04-03T07:00:00.000Z'), 30)), 'run.gpx'),
      });
      expect(gpx).toMatchObject({ format: 'gpx', status: 'completed', recordsRead: 30, eventsStored: 1 });
      const tcx = await runImport(userId, {
        fileId: await upload(userId, Buffer.from(tcxActivity(new Date('2025-04-04T07:00:00.000Z'), 20)), 'ride.xml'),
        format: 'tcx',
      });
      expect(tcx).toMatchObject({ format: 'tcx', status: 'completed', recordsRead: 40, eventsStored: 1 });
      const events = (await t.api('GET', `/v1/users/${userId}/events`)).body.data;
      expect(events.map((e: any) => [e.source, e.subtype, e.startAt])).toEqual([
        ['gpx', 'running', '2025-04-03T07:00:00.000Z'],
        ['polar', 'running', '2025-04-04T07:00:00.000Z'],
      ]);
      // 29 gaps of 0.00027° of latitude: 30.02 m each on a 6,371.0088 km sphere.
      expect(events[0].distance).toBeCloseTo(29 * ((0.00027 * Math.PI) / 180) * 6_371_008.8, 1);
      expect(events[1].distance).toBe(39 * 15);
      expect(events[1].details.laps).toHaveLength(2);
      const heart = (await t.api('GET', `/v1/users/${userId}/health?metricType=heart_rate&limit=500`)).body.data;
      expect(heart).toHaveLength(70);
    });

    it('fails a malformed file with a clear error and import.failed; batches stored before the break stay (none here)', async () => {
      const userId = (await aUser(t)).id;
      const broken = await runImport(userId, {
        fileId: await upload(
          userId,
          Buffer.from('<?xml version="1.0"?>\n<HealthData locale="en_US">\n <Record type="HKQuantityTypeIdentifierStepCount" value="3"'),
          'export.xml',
        ),
      });
      expect(broken).toMatchObject({ status: 'failed', samplesStored: 0 });
      expect(broken.error).toMatch(/not well-formed XML/);
      const notFit = await runImport(userId, { fileId: await upload(userId, randomBytes(2000), 'ride.fit') });
      expect(notFit).toMatchObject({ status: 'failed', error: 'the file is not a FIT file (no ".FIT" header)' });
      const notZip = await runImport(userId, {
        fileId: await upload(userId, Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(500)]), 'export.zip'),
      });
      expect(notZip.status).toBe('failed');
      expect(notZip.error).toMatch(/zip/);
      const gpxNoTime = await runImport(userId, {
        fileId: await upload(userId, Buffer.from('<gpx creator="x"><trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>'), 'a.gpx'),
      });
      expect(gpxNoTime).toMatchObject({ status: 'completed', recordsRead: 1, rejected: 1, eventsStored: 0 });
      expect((await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data).toEqual([]);
      const failed = await t.api('GET', `/v1/domain-events?type=import.failed&limit=500`);
      expect(failed.body.data.filter((e: any) => e.payload.userId === userId)).toHaveLength(3);
    });

    it('keeps the batches stored before a file breaks off, counted in the failed import', async () => {
      const userId = (await aUser(t)).id;
      const { body } = appleHealthExport({ start: Date.UTC(2025, 7, 1), days: 5, heartRateMinutes: 1 });
      const xml = Buffer.from([...body].join(''));
      const cut = xml.subarray(0, Math.floor(xml.length * 0.8));
      const done = await runImport(userId, { fileId: await upload(userId, cut, 'export.xml') });
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/not well-formed XML/);
      // Batches of 5,000 samples commit with the import's counts; what was read after the last one is not kept.
      expect(done.samplesStored).toBeGreaterThan(0);
      expect(done.samplesStored).toBeLessThan(5 * 1500);
      const stored = (await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data.reduce((n: number, m: any) => n + m.count, 0);
      expect(stored).toBe(done.samplesStored);
    });

    it('refuses bad input with 400/422 and another workspace’s user or file with 404', async () => {
      const userId = (await aUser(t)).id;
      const noFormat = await upload(userId, randomBytes(100), 'data.bin');
      const unknown = await t.api('POST', `/v1/users/${userId}/imports`, { body: { fileId: noFormat } });
      expect(unknown.status).toBe(422);
      expect(unknown.body.message).toMatch(/could not be told.*pass format/);
      const badFormat = await t.api('POST', `/v1/users/${userId}/imports`, { body: { fileId: noFormat, format: 'csv' } });
      expect(badFormat.status).toBe(422);
      expect(JSON.stringify(badFormat.body)).toMatch(/format/);
      const missing = await t.api('POST', `/v1/users/${userId}/imports`, { body: {} });
      expect(missing.status).toBe(400);
      expect(JSON.stringify(missing.body)).toMatch(/fileId/);
      const notUlid = await t.api('POST', `/v1/users/${userId}/imports`, { body: { fileId: 'nope' } });
      expect(notUlid.status).toBe(400);
      const other = await t.newWorkspace();
      const theirUser = (await t.api('POST', '/v1/users', { key: other.adminKey, body: { externalId: 'theirs' } })).body.id;
      const theirFile = await upload(theirUser, randomBytes(10), 'x.gpx', other.adminKey);
      expect((await t.api('POST', `/v1/users/${userId}/imports`, { body: { fileId: theirFile } })).status).toBe(404);
      expect((await t.api('POST', `/v1/users/${theirUser}/imports`, { body: { fileId: noFormat } })).status).toBe(404);
      expect((await t.api('GET', `/v1/users/${theirUser}/imports`)).status).toBe(404);
      // A file of another user of the same workspace is not this user's to import.
      const second = (await aUser(t)).id;
      expect((await t.api('POST', `/v1/users/${second}/imports`, { body: { fileId: noFormat, format: 'gpx' } })).status).toBe(404);
      expect((await t.api('GET', `/v1/users/${userId}/imports/01JZ0000000000000000000000`)).status).toBe(404);
    });
  });
}

describe.skipIf(!temporalAddress || !engineAvailable('postgres') || !testS3)('an Apple Health import on Temporal with files in S3', () => {
  let t: TestServer;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const s3 = testS3!;
    ({ t, stop } = await startTemporalHarness({
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint!,
      S3_REGION: s3.region,
      S3_ACCESS_KEY_ID: s3.credentials!.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials!.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
      S3_PREFIX: `imports-${newId()}/`,
    }));
  }, 120_000);
  afterAll(() => stop?.());

  it('runs the dataImport workflow on a Temporal worker, reading the zip entry from S3 in ranges', async () => {
    const userId = (await aUser(t)).id;
    const { body, expected } = appleHealthExport({ start: Date.UTC(2025, 6, 1), days: 3, heartRateMinutes: 15 });
    const zip = await zipAppleExport(Buffer.from([...body].join('')));
    const done = await importAndWait(t, userId, { fileId: await uploadFile(t, userId, zip, 'export.zip') });
    expect(done).toMatchObject({
      status: 'completed',
      recordsRead: expected.records,
      samplesStored: sum(expected.samples),
      eventsStored: expected.workouts + expected.sleepNights,
      rejected: expected.rejected,
    });
    // The workflow closes just after its activity completed the import.
    let job = await t.api('GET', `/v1/jobs/${encodeURIComponent(done.jobId)}`);
    for (let i = 0; i < 50 && job.body.status !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await t.api('GET', `/v1/jobs/${encodeURIComponent(done.jobId)}`);
    }
    expect(job.body, JSON.stringify(job.body)).toMatchObject({ workflow: 'dataImport', status: 'completed' });
  }, 120_000);
});
