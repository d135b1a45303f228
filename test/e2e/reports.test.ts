import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal, aUser, localDays, pushEvents, pushSamples, type EventBody } from '../factories/index.js';
import { waitForJob } from '../helpers/connect.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/connect.js';
import { startTemporalHarness, temporalAddress } from '../helpers/temporal.js';
import { testS3 } from '../helpers/storages.js';
import { openStorage } from '../../src/files/storage.js';
import { saveGeneratedFile } from '../../src/files/stored-files.js';
import type { Platform } from '../../src/jobs/platform.js';
import { newId } from '../../src/lib/ids.js';
import { createReportActivities, reportFileName } from '../../src/reports/report-activities.js';
import { runHealthReport } from '../../workflows/reports.js';
import { postgresUrl } from '../helpers/engines.js';

const BERLIN = 'Europe/Berlin';
const WEEK = localDays('2025-06-02', 7); // Monday 2 June … Sunday 8 June 2025
const PREVIOUS = localDays('2025-05-26', 7);

/** A sleep session ending at 07:00 local on `day`, `inBed` minutes long, with the source's own efficiency. */
function night(day: string, inBed: number, efficiency: number): EventBody {
  const endAt = atLocal(BERLIN, day, 7);
  return {
    type: 'sleep',
    startAt: new Date(endAt.getTime() - inBed * 60_000).toISOString(),
    endAt: endAt.toISOString(),
    details: { efficiency },
  };
}

/** The text a PDF draws: every string of its (uncompressed) content streams' TJ / Tj operators, hex or literal. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const parts: string[] = [];
  for (const [, body] of raw.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    for (const [, hex] of body!.matchAll(/<([0-9a-fA-F]+)>/g)) parts.push(Buffer.from(hex!, 'hex').toString('latin1'));
  }
  return parts.join('');
}

const REPORT_FIELDS = `id userId jobId status error period from to days timezone formats scheduled createdAt completedAt expiresAt
  file { id name contentType size sha256 }
  files { format file { id name contentType size sha256 } }`;

/** A report as REST answers it, without the signed URLs (signed per answer): what GraphQL must answer too. */
const unsigned = (report: any) => ({
  ...report,
  file: report.file && {
    id: report.file.id,
    name: report.file.name,
    contentType: report.file.contentType,
    size: report.file.size,
    sha256: report.file.sha256,
  },
  files: report.files.map((entry: any) => ({
    format: entry.format,
    file: {
      id: entry.file.id,
      name: entry.file.name,
      contentType: entry.file.contentType,
      size: entry.file.size,
      sha256: entry.file.sha256,
    },
  })),
});

/** The ISO week's Monday of a local day, computed by counting back, independently of src/reports. */
function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}
const berlinToday = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: BERLIN }).format(at);

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`health reports over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    /** The server's clock: the real time shifted by `shift` ms (the schedule test moves it to a Monday morning). */
    let shift = 0;
    beforeAll(async () => {
      t = await startTestServer(engine, { clock: { now: () => new Date(Date.now() + shift) } });
    });
    afterAll(() => t?.close());

    it('makes a week’s report from known data: JSON figures, HTML sections and charts, a searchable PDF', async () => {
      const user = await aUser(t, { timezone: BERLIN });
      // Steps at local noon: 1,000 × (i + 1) this week, 500 a day the week before. Resting HR 50 + i, 60 before.
      await pushSamples(
        t,
        user.id,
        [
          ...WEEK.map((day, i) => ({ metricType: 'steps', value: 1000 * (i + 1), recordedAt: atLocal(BERLIN, day, 12).toISOString() })),
          ...PREVIOUS.map((day) => ({ metricType: 'steps', value: 500, recordedAt: atLocal(BERLIN, day, 12).toISOString() })),
          ...WEEK.map((day, i) => ({ metricType: 'resting_heart_rate', value: 50 + i, recordedAt: atLocal(BERLIN, day, 7).toISOString() })),
          ...PREVIOUS.map((day) => ({ metricType: 'resting_heart_rate', value: 60, recordedAt: atLocal(BERLIN, day, 7).toISOString() })),
        ],
        'garmin',
      );
      // Three nights: 480 min in bed at 87.5 % (420 asleep), 480 at 100 % (480), 450 at 80 % (360).
      await pushEvents(t, user.id, [night('2025-06-03', 480, 87.5), night('2025-06-05', 480, 100), night('2025-06-07', 450, 80)], 'oura');
      const runStart = atLocal(BERLIN, '2025-06-04', 18);
      await pushEvents(
        t,
        user.id,
        [
          {
            type: 'workout',
            subtype: 'running',
            startAt: runStart.toISOString(),
            endAt: new Date(runStart.getTime() + 3_600_000).toISOString(),
            avgHeartRate: 150,
            maxHeartRate: 180,
          },
        ],
        'garmin',
      );

      const posted = await t.api('POST', `/v1/users/${user.id}/reports`, {
        body: { period: 'custom', from: '2025-06-02', to: '2025-06-08' },
      });
      expect(posted.status, JSON.stringify(posted.body)).toBe(202);
      expect(posted.body).toMatchObject({
        status: 'queued',
        period: 'custom',
        from: '2025-06-02',
        to: '2025-06-08',
        days: 7,
        formats: ['json', 'html', 'pdf'],
        files: [],
        file: null,
      });
      expect(posted.body.jobId).toBe(`health-report:${posted.body.id}`);
      const job = await waitForJob(t, posted.body.jobId);
      expect(job.status, JSON.stringify(job)).toBe('completed');

      const list = await t.api('GET', `/v1/users/${user.id}/reports`);
      expect(list.status).toBe(200);
      const report = list.body.data[0];
      expect(report).toMatchObject({ id: posted.body.id, status: 'completed', error: null, timezone: BERLIN, scheduled: false });
      expect(report.files.map((entry: any) => [entry.format, entry.file.contentType])).toEqual([
        ['json', 'application/json'],
        ['html', 'text/html; charset=utf-8'],
        ['pdf', 'application/pdf'],
      ]);
      expect(report.file.id).toBe(report.files[0].file.id);
      const completedAt = Date.parse(report.completedAt);
      expect(Date.parse(report.expiresAt) - completedAt).toBe(90 * 86_400_000);

      // GraphQL lists the same.
      const gql = await t.graphql(`query ($userId: ID!) { healthReports(userId: $userId) { data { ${REPORT_FIELDS} } } }`, {
        userId: user.id,
      });
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.healthReports.data.map(unsigned)).toEqual(list.body.data.map(unsigned));

      // Every file downloads from its signed URL, with no key, and is the size and hash the list states.
      const download = async (format: string) => {
        const entry = report.files.find((f: any) => f.format === format);
        const response = await fetch(entry.file.downloadUrl);
        expect(response.status).toBe(200);
        const bytes = Buffer.from(await response.arrayBuffer());
        expect(bytes.length).toBe(entry.file.size);
        return bytes;
      };

      const doc = JSON.parse((await download('json')).toString('utf8'));
      expect(doc).toMatchObject({ reportId: report.id, userId: user.id, timezone: BERLIN, from: '2025-06-02', to: '2025-06-08', days: 7 });
      expect(doc.previous).toEqual({ from: '2025-05-26', to: '2025-06-01' });
      // Activity: Σ 1,000 × (1…7) = 28,000 steps over 7 days.
      expect(doc.activity.totals.find((x: any) => x.metricType === 'steps')).toEqual({
        metricType: 'steps',
        unit: 'count',
        total: 28000,
        days: 7,
        dailyMean: 4000,
        sources: ['garmin'],
      });
      expect(doc.activity).toMatchObject({ workouts: 1, workoutMinutes: 60 });
      // Trends: steps 4,000 against 500 a day (+700 %); resting HR 53 against 60 (−7, −11.7 %).
      expect(doc.trends.find((x: any) => x.metricType === 'steps')).toMatchObject({
        mean: 4000,
        days: 7,
        previousMean: 500,
        previousDays: 7,
        change: 3500,
        changePercent: 700,
      });
      expect(doc.trends.find((x: any) => x.metricType === 'resting_heart_rate')).toMatchObject({
        mean: 53,
        previousMean: 60,
        change: -7,
        changePercent: Math.round((-700 / 60) * 10) / 10,
        sources: ['garmin'],
      });
      // Sleep: (420 + 480 + 360) / 3 = 420 min; efficiency (87.5 + 100 + 80) / 3; debt against the default 480-min
      // need, carried night to night: 60, 60, 60 + 120 = 180 min (low: 60–300).
      expect(doc.sleep).toMatchObject({
        from: '2025-06-02',
        to: '2025-06-08',
        nightsWithData: 3,
        averageAsleepMinutes: 420,
        efficiency: { mean: Math.round(((87.5 + 100 + 80) / 3) * 10) / 10, n: 3 },
        debtMinutes: 180,
        debtLevel: 'low',
        needMinutes: 480,
        needBasis: 'default',
        sources: ['oura'],
      });
      expect(doc.sleep.nights).toEqual([
        { date: '2025-06-03', asleepMinutes: 420, source: 'oura' },
        { date: '2025-06-05', asleepMinutes: 480, source: 'oura' },
        { date: '2025-06-07', asleepMinutes: 360, source: 'oura' },
      ]);
      expect(doc.series.steps.map((p: any) => [p.date, p.value])).toEqual(WEEK.map((day, i) => [day, 1000 * (i + 1)]));
      // Training load and scores: what the analytics routes answer for the period's last day.
      const load = (await t.api('GET', `/v1/users/${user.id}/readiness/training-load?asOf=2025-06-08&days=7`)).body;
      const last = load.days.at(-1);
      expect(doc.training).toMatchObject({ asOf: '2025-06-08', ctl: last.ctl, atl: last.atl, tsb: last.tsb });
      expect(doc.training.workouts).toEqual([
        expect.objectContaining({ date: '2025-06-04', minutes: 60, source: 'garmin', trimp: Math.round(load.workouts[0].trimp * 10) / 10 }),
      ]);
      const scores = (await t.api('POST', `/v1/users/${user.id}/health-scores/compute`, { body: { asOf: '2025-06-08' } })).body;
      expect(doc.scores.current).toMatchObject({
        asOf: '2025-06-08',
        overall: scores.overall,
        sleep: scores.sleep,
        activity: scores.activity,
      });
      expect(doc.scores.previous.asOf).toBe('2025-06-01');
      // Records set in the week, as GET …/personal-records lists them.
      const records = (await t.api('GET', `/v1/users/${user.id}/personal-records`)).body.data;
      const inWeek = records.filter(
        (r: any) => berlinToday(new Date(r.achievedAt)) >= '2025-06-02' && berlinToday(new Date(r.achievedAt)) <= '2025-06-08',
      );
      expect(inWeek.length).toBeGreaterThan(0);
      expect(doc.records.map((r: any) => r.id).sort()).toEqual(inWeek.map((r: any) => r.id).sort());
      expect(doc.anomalies).toEqual([]);

      const html = (await download('html')).toString('utf8');
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      for (const title of [
        'Health scores',
        'Trends against the previous period',
        'Activity',
        'Sleep',
        'Training load',
        'Personal records',
        'Anomalies',
      ])
        expect(html).toContain(`<h2>${title}</h2>`);
      expect(html.match(/<svg[\s>]/g)).toHaveLength(3); // steps, resting HR, sleep
      expect(html).toContain('28000');

      const pdf = await download('pdf');
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdfText(pdf);
      for (const title of [
        'Custom health report 2025-06-02',
        'Health scores',
        'Trends against the previous period',
        'Sleep',
        'Training load',
      ])
        expect(text).toContain(title);
      expect(text).toContain('Total: 28000');

      // report.completed in the event feed, naming the files.
      const events = await eventually(
        () => t.api('GET', `/v1/domain-events?type=report.completed&limit=100`),
        (answer) => answer.body?.data?.some((e: any) => e.payload?.reportId === report.id),
      );
      const event = events.body.data.find((e: any) => e.payload.reportId === report.id);
      expect(event.payload).toMatchObject({
        userId: user.id,
        from: '2025-06-02',
        to: '2025-06-08',
        files: { json: report.files[0].file.id },
      });
    }, 120_000);

    it('defaults weekly to the last complete ISO week and monthly to the month of date; lists newest first', async () => {
      const user = await aUser(t, { timezone: BERLIN });
      const weekly = await t.api('POST', `/v1/users/${user.id}/reports`, { body: { period: 'weekly', formats: ['json'] } });
      expect(weekly.status, JSON.stringify(weekly.body)).toBe(202);
      const thisMonday = mondayOf(berlinToday(new Date()));
      const lastMonday = new Date(Date.parse(`${thisMonday}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
      const lastSunday = new Date(Date.parse(`${thisMonday}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      expect(weekly.body).toMatchObject({ period: 'weekly', from: lastMonday, to: lastSunday, days: 7, formats: ['json'] });
      const gql = await t.graphql(
        `mutation ($userId: ID!) { generateHealthReport(userId: $userId, period: monthly, date: "2024-02-10", formats: [html]) { ${REPORT_FIELDS} } }`,
        { userId: user.id },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.generateHealthReport).toMatchObject({
        status: 'queued',
        period: 'monthly',
        from: '2024-02-01',
        to: '2024-02-29',
        days: 29,
        formats: ['html'],
      });
      await waitForJob(t, weekly.body.jobId);
      await waitForJob(t, gql.body.data.generateHealthReport.jobId);
      const list = await t.api('GET', `/v1/users/${user.id}/reports?limit=1`);
      expect(list.body.data.map((r: any) => r.id)).toEqual([gql.body.data.generateHealthReport.id]);
      const next = await t.api('GET', `/v1/users/${user.id}/reports?limit=1&cursor=${encodeURIComponent(list.body.nextCursor)}`);
      expect(next.body.data.map((r: any) => [r.id, r.status, r.files.map((f: any) => f.format)])).toEqual([
        [weekly.body.id, 'completed', ['json']],
      ]);
      expect(next.body.data[0].files[0].file.size).toBeGreaterThan(100);
      expect(next.body.nextCursor).toBeNull();
    }, 60_000);

    it('refuses bad input with 400 / 422 naming the field, and other workspaces’ users with 404', async () => {
      const user = await aUser(t, { timezone: BERLIN });
      const post = (body: unknown) => t.api('POST', `/v1/users/${user.id}/reports`, { body });
      const cases: [unknown, number, RegExp][] = [
        [{}, 400, /period/],
        [{ period: 'yearly' }, 422, /period/],
        [{ period: 'custom', from: '2025-06-01' }, 422, /from and to/],
        [{ period: 'custom', from: '2025-06-08', to: '2025-06-01' }, 400, /from must not be after to/],
        [{ period: 'custom', from: '2024-01-01', to: '2025-01-01' }, 422, /366 days/],
        [{ period: 'custom', from: '2199-01-01', to: '2199-01-02' }, 422, /today/],
        [{ period: 'custom', from: '2025-13-01', to: '2025-06-01' }, 400, /from/],
        [{ period: 'weekly', from: '2025-06-01', to: '2025-06-08' }, 422, /custom/],
        [{ period: 'weekly', date: '2199-01-01' }, 422, /not complete/],
        [{ period: 'weekly', formats: [] }, 422, /formats/],
        [{ period: 'weekly', formats: ['docx'] }, 422, /formats/],
      ];
      for (const [body, status, message] of cases) {
        const answer = await post(body);
        expect([answer.status, JSON.stringify(answer.body)], JSON.stringify(body)).toEqual([status, expect.stringMatching(message)]);
      }
      expect((await t.api('GET', `/v1/users/${user.id}/reports`)).body.data).toEqual([]);

      const other = await t.newWorkspace();
      const foreign = (method: string, path: string, body?: unknown) => t.api(method, path, { key: other.adminKey, body });
      expect((await foreign('GET', `/v1/users/${user.id}/reports`)).status).toBe(404);
      expect((await foreign('POST', `/v1/users/${user.id}/reports`, { period: 'weekly' })).status).toBe(404);
      expect((await foreign('PUT', `/v1/users/${user.id}/report-schedule`, { weekly: true })).status).toBe(404);
    });

    it('goes with the GDPR erasure of the user’s health data: the reports, their files and their URLs', async () => {
      const user = await aUser(t, { timezone: BERLIN });
      await pushSamples(t, user.id, [{ metricType: 'steps', value: 1234, recordedAt: atLocal(BERLIN, '2025-06-03', 12).toISOString() }]);
      const posted = await t.api('POST', `/v1/users/${user.id}/reports`, {
        body: { period: 'weekly', date: '2025-06-03', formats: ['json'] },
      });
      expect((await waitForJob(t, posted.body.jobId)).status).toBe('completed');
      const report = (await t.api('GET', `/v1/users/${user.id}/reports`)).body.data[0];
      expect((await fetch(report.file.downloadUrl)).status).toBe(200);
      expect((await t.api('DELETE', `/v1/users/${user.id}/health`)).status).toBe(204);
      expect((await t.api('GET', `/v1/users/${user.id}/reports`)).body.data).toEqual([]);
      expect((await fetch(report.file.downloadUrl)).status).toBe(404);
      expect((await t.api('GET', `/v1/files/${report.file.id}`)).status).toBe(404);
    });

    it('makes a scheduled weekly report at Monday 06:00 in the user’s zone, of the week that just ended', async () => {
      const user = await aUser(t, { timezone: BERLIN });
      const put = await t.api('PUT', `/v1/users/${user.id}/report-schedule`, { body: { weekly: true, monthly: true } });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body).toMatchObject({ userId: user.id, timezone: BERLIN, weekly: true, monthly: true });
      // The next Monday 06:00 in Berlin, found by walking the hours ahead (independent of src/jobs/calendar.ts).
      const hourly = Array.from({ length: 8 * 24 + 2 }, (_, i) => Math.ceil(Date.now() / 3_600_000) * 3_600_000 + i * 3_600_000);
      const wall = (at: number) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: BERLIN,
          weekday: 'short',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(at);
      expect(Date.parse(put.body.weeklyNextRunAt)).toBe(hourly.find((at) => wall(at) === 'Mon 06:00'));
      expect(
        new Intl.DateTimeFormat('en-GB', { timeZone: BERLIN, day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
          Date.parse(put.body.monthlyNextRunAt),
        ),
      ).toBe('1, 06:00');
      const gql = await t.graphql(
        `query ($userId: ID!) { reportSchedule(userId: $userId) { userId timezone weekly monthly weeklyNextRunAt monthlyNextRunAt } }`,
        { userId: user.id },
      );
      expect(gql.body.data.reportSchedule).toEqual((await t.api('GET', `/v1/users/${user.id}/report-schedule`)).body);

      // The slot of Monday 9 June 2025, 06:00 in Berlin (04:00 UTC): the platform's clock reads it, and the runner's
      // schedule is due now.
      shift = atLocal(BERLIN, '2025-06-09', 6).getTime() + 5_000 - Date.now();
      try {
        await t.server.database.query(`UPDATE "Schedule" SET "nextRunAt" = now() - interval '1 second' WHERE id = $1`, [
          `health-report:${user.id}:weekly`,
        ]);
        const list = await eventually(
          () => t.api('GET', `/v1/users/${user.id}/reports`),
          (answer) => answer.body?.data?.[0]?.status === 'completed',
        );
        expect(list.body.data).toHaveLength(1);
        expect(list.body.data[0]).toMatchObject({
          period: 'weekly',
          from: '2025-06-02',
          to: '2025-06-08',
          scheduled: true,
          formats: ['json', 'html', 'pdf'],
        });
        expect(list.body.data[0].jobId).toMatch(new RegExp(`^health-report:${user.id}:weekly:`));
      } finally {
        shift = 0;
      }

      const off = await t.api('PUT', `/v1/users/${user.id}/report-schedule`, { body: { weekly: false } });
      expect(off.body).toMatchObject({ weekly: false, monthly: true, weeklyNextRunAt: null });
      // The user moves to Tokyo: the monthly report follows; deleting the user removes it.
      expect((await t.api('PATCH', `/v1/users/${user.id}`, { body: { timezone: 'Asia/Tokyo' } })).status).toBe(200);
      expect(await t.server.jobs.describeSchedule(`health-report:${user.id}:monthly`)).toMatchObject({
        calendar: { hour: 6, minute: 0, daysOfMonth: [1] },
        timezone: 'Asia/Tokyo',
      });
      expect(await t.server.jobs.describeSchedule(`health-report:${user.id}:weekly`)).toBeNull();
      expect((await t.api('DELETE', `/v1/users/${user.id}`)).status).toBe(204);
      expect(await t.server.jobs.describeSchedule(`health-report:${user.id}:monthly`)).toBeNull();
    }, 60_000);

    it('ends a retried generation with one file per format and one report.completed; a failed run says report.failed', async () => {
      const user = await aUser(t, { timezone: BERLIN });
      await pushSamples(
        t,
        user.id,
        WEEK.map((day) => ({ metricType: 'steps', value: 2000, recordedAt: atLocal(BERLIN, day, 12).toISOString() })),
      );
      const storage = openStorage(t.server.config.files);
      const platform = {
        db: t.server.database.prisma,
        sql: t.server.database,
        jobs: t.server.jobs,
        config: t.server.config,
        tokenKeys: null,
        storage,
        clock: { now: () => new Date() },
      } as unknown as Platform;
      const activities = createReportActivities(platform);
      const workspaceId = (await t.server.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).workspaceId;
      // A report whose first attempt died after storing its JSON file (recorded here directly, no job runs it).
      const reportId = newId();
      await t.server.database.prisma.healthReport.create({
        data: {
          id: reportId,
          workspaceId,
          userId: user.id,
          jobId: `health-report:${reportId}`,
          period: 'custom',
          from: new Date('2025-06-02T00:00:00Z'),
          to: new Date('2025-06-08T00:00:00Z'),
          timezone: BERLIN,
          formats: ['json', 'pdf'],
        },
      });
      const names = ['json', 'pdf'].map((format) => reportFileName(reportId, '2025-06-02', '2025-06-08', format as 'json' | 'pdf'));
      const leftover = await saveGeneratedFile({ ...platform, workspaceId }, storage, {
        userId: user.id,
        name: names[0]!,
        contentType: 'application/json',
        body: (async function* () {
          yield Buffer.from('{"partial":');
        })(),
      });
      // A run whose generation fails. On the local runner's attempt 1 of 5 the job will run again: nothing is said
      // yet; on its last attempt the report is failed and report.failed announced.
      const jobId = `health-report:${reportId}`;
      await t.server.database.prisma.job.create({
        data: { id: jobId, workspaceId, workflow: 'healthReport', input: { reportId }, status: 'failed', attempt: 1, maxAttempts: 5 },
      });
      const failing = { ...activities, generateReport: () => Promise.reject(new Error('storage unreachable')) };
      await expect(runHealthReport({ reportId }, failing, { jobId })).rejects.toThrow('storage unreachable');
      expect((await t.api('GET', `/v1/users/${user.id}/reports`)).body.data[0]).toMatchObject({
        id: reportId,
        status: 'queued',
        error: null,
      });
      await t.server.database.prisma.job.update({ where: { id: jobId }, data: { attempt: 5 } });
      await expect(runHealthReport({ reportId }, failing, { jobId })).rejects.toThrow('storage unreachable');
      const failed = (await t.api('GET', `/v1/users/${user.id}/reports`)).body.data[0];
      expect(failed).toMatchObject({ id: reportId, status: 'failed', error: 'storage unreachable', files: [] });
      // The retry: one file per format, the leftover gone; a further retry changes nothing.
      const first = await runHealthReport({ reportId }, activities, { jobId });
      const again = await activities.generateReport({ reportId });
      expect(again).toEqual(first);
      const stored = await t.server.database.prisma.storedFile.findMany({ where: { userId: user.id, name: { in: names } } });
      expect(stored.map((file) => file.id).sort()).toEqual(Object.values(first.files).sort());
      expect(stored.map((file) => file.id)).not.toContain(leftover.id);
      const report = (await t.api('GET', `/v1/users/${user.id}/reports`)).body.data[0];
      expect(report).toMatchObject({ status: 'completed', error: null });
      const doc = JSON.parse(Buffer.from(await (await fetch(report.files[0].file.downloadUrl)).arrayBuffer()).toString('utf8'));
      expect(doc.activity.totals[0]).toMatchObject({ metricType: 'steps', total: 14000, days: 7 });
      const announced = async (type: string) =>
        (await t.api('GET', `/v1/domain-events?type=${type}&limit=500`)).body.data.filter((e: any) => e.payload.reportId === reportId);
      expect(await announced('report.completed')).toHaveLength(1);
      expect((await announced('report.failed')).map((e: any) => e.payload.error)).toEqual(['storage unreachable']);
      await storage.close();
    });
  });
}

const temporalReady = Boolean(temporalAddress && postgresUrl && testS3);

describe.skipIf(!temporalReady)('health reports on Temporal (API server and worker sharing an S3 bucket)', () => {
  let harness: Awaited<ReturnType<typeof startTemporalHarness>>;
  beforeAll(async () => {
    harness = await startTemporalHarness({
      S3_BUCKET: testS3!.bucket,
      S3_ENDPOINT: testS3!.endpoint!,
      S3_REGION: testS3!.region,
      S3_ACCESS_KEY_ID: testS3!.credentials!.accessKeyId,
      S3_SECRET_ACCESS_KEY: testS3!.credentials!.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
      S3_PREFIX: `test-${newId()}/`,
    });
  }, 120_000);
  afterAll(() => harness?.stop());

  it('runs the healthReport workflow on a Temporal worker: the files it stored download from the API server', async () => {
    const { t } = harness;
    const user = await aUser(t, { timezone: BERLIN });
    await pushSamples(
      t,
      user.id,
      WEEK.map((day, i) => ({ metricType: 'steps', value: 100 * (i + 1), recordedAt: atLocal(BERLIN, day, 12).toISOString() })),
    );
    const posted = await t.api('POST', `/v1/users/${user.id}/reports`, {
      body: { period: 'weekly', date: '2025-06-04', formats: ['json', 'pdf'] },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    expect((await waitForJob(t, posted.body.jobId, { attempts: 600 })).status).toBe('completed');
    const report = (await t.api('GET', `/v1/users/${user.id}/reports`)).body.data[0];
    expect(report).toMatchObject({ status: 'completed', from: '2025-06-02', to: '2025-06-08' });
    const json = JSON.parse(Buffer.from(await (await fetch(report.files[0].file.downloadUrl)).arrayBuffer()).toString('utf8'));
    expect(json.activity.totals[0]).toMatchObject({ metricType: 'steps', total: 2800, days: 7 });
    const pdf = Buffer.from(await (await fetch(report.files[1].file.downloadUrl)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 120_000);
});
