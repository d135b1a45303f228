import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../src/jobs/platform.js';
import { zoneOffsetAt } from '../../src/lib/time.js';
import { createMedicationActivities } from '../../src/wellness/medications/reminder-activities.js';
import { runMedicationReminder } from '../../workflows/medications.js';
import { aUser } from '../factories/index.js';
import type { WebhookReceiver } from '../fakes/webhook-receiver.js';
import { startEngineInstall, type EngineInstall } from '../helpers/engine-install.js';
import { jobEngineCases } from '../helpers/engines.js';
import type { TestServer } from '../helpers/server.js';
import { anNtfyChannel, aRule, ntfyMessages, received } from './rule-helpers.js';

const NEW_YORK = 'America/New_York';
const PARIS = 'Europe/Paris';
const scheduleId = (medicationId: string, time: string) => `medication-reminder:${medicationId}:${time}`;
/** The user's local date at an instant. */
const localDay = (zone: string, at: number) => new Date(at + zoneOffsetAt(zone, at)).toISOString().slice(0, 10);

/**
 * Medication reminders on every job engine: a medication created with `reminders: true` gets a calendar schedule at
 * each dose time in the user's zone (listed across New York's spring-forward day by the engine itself), which really
 * fires at its minute and reaches an ntfy channel through a medication_reminder rule unless the dose is logged; the
 * user's zone change moves the schedules and the user's delete removes them. The engines run side by side.
 */
describe.concurrent.each(jobEngineCases())('medication reminders on the $name', ({ engine, database, available }) => {
  let t: TestServer;
  let stop: () => Promise<void>;
  let install: EngineInstall;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    if (!available) return;
    install = await startEngineInstall({ engine, database }, { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', WEBHOOK_DENY_PUBLIC: 'true' });
    ({ t, stop } = install);
  }, 120_000);
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await stop?.();
  });

  const medication = async (userId: string, body: Record<string, unknown>) => {
    const created = await t.api('POST', `/v1/users/${userId}/medications`, { body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  };

  const fireInstants = (scheduleId: string, from: string, to: string) => install.calendarFires(scheduleId, from, to);

  it.skipIf(!available)(
    'schedules each dose time in the user’s zone (none on the spring-forward day for 02:30), follows a zone change, and goes with the user',
    async () => {
      const user = await aUser(t, { timezone: NEW_YORK });
      const daily = await medication(user.id, {
        name: 'Levothyroxine',
        times: ['08:00', '02:30'],
        startDate: '2027-01-01',
        reminders: true,
      });
      const sundays = await medication(user.id, { name: 'Methotrexate', times: ['19:15'], daysOfWeek: [0], reminders: true });
      const silent = await medication(user.id, { name: 'Vitamin D', times: ['09:00'] });
      expect(await t.server.jobs.describeSchedule(scheduleId(daily.id, '08:00'))).toMatchObject({
        calendar: { hour: 8, minute: 0 },
        timezone: NEW_YORK,
      });
      expect(await t.server.jobs.describeSchedule(scheduleId(daily.id, '02:30'))).toMatchObject({
        calendar: { hour: 2, minute: 30 },
        timezone: NEW_YORK,
      });
      expect(await t.server.jobs.describeSchedule(scheduleId(sundays.id, '19:15'))).toMatchObject({
        calendar: { hour: 19, minute: 15, daysOfWeek: [0] },
        timezone: NEW_YORK,
      });
      expect(await t.server.jobs.describeSchedule(scheduleId(silent.id, '09:00'))).toBeNull();
      // New York springs forward on Sunday 14 March 2027: 02:30 does not exist that day, and the engine does not fire
      // it (EST −5 h before, EDT −4 h after); 08:00 fires every day at the new offset.
      expect(await fireInstants(scheduleId(daily.id, '02:30'), '2027-03-13', '2027-03-16')).toEqual([
        '2027-03-13T07:30:00.000Z',
        '2027-03-15T06:30:00.000Z',
      ]);
      expect(await fireInstants(scheduleId(daily.id, '08:00'), '2027-03-13', '2027-03-16')).toEqual([
        '2027-03-13T13:00:00.000Z',
        '2027-03-14T12:00:00.000Z',
        '2027-03-15T12:00:00.000Z',
      ]);
      // Sundays only: 14 and 21 March 2027 at 19:15 EDT.
      expect(await fireInstants(scheduleId(sundays.id, '19:15'), '2027-03-13', '2027-03-22')).toEqual([
        '2027-03-14T23:15:00.000Z',
        '2027-03-21T23:15:00.000Z',
      ]);
      // The user moves to Paris: the dose times stay wall-clock times there.
      expect((await t.api('PATCH', `/v1/users/${user.id}`, { body: { timezone: PARIS } })).status).toBe(200);
      expect(await t.server.jobs.describeSchedule(scheduleId(daily.id, '08:00'))).toMatchObject({
        calendar: { hour: 8, minute: 0 },
        timezone: PARIS,
      });
      expect(await t.server.jobs.describeSchedule(scheduleId(sundays.id, '19:15'))).toMatchObject({ timezone: PARIS });
      expect((await t.api('DELETE', `/v1/users/${user.id}`)).status).toBe(204);
      for (const [id, time] of [
        [daily.id, '08:00'],
        [daily.id, '02:30'],
        [sundays.id, '19:15'],
      ])
        expect(await t.server.jobs.describeSchedule(scheduleId(id, time))).toBeNull();
    },
  );

  it.skipIf(!available)(
    'fires a reminder at its local minute and sends it to an ntfy channel through a medication_reminder rule, not for a logged dose',
    async () => {
      const user = await aUser(t, { timezone: NEW_YORK });
      const channel = await anNtfyChannel(t, user.id);
      receivers.push(channel.receiver);
      // The first whole minute at least 20 s away, as New York's wall clock reads it.
      const slot = Math.ceil((Date.now() + 20_000) / 60_000) * 60_000;
      const wall = new Date(slot + zoneOffsetAt(NEW_YORK, slot));
      const time = `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
      const date = localDay(NEW_YORK, slot);
      const due = await medication(user.id, { name: 'Metformin', dosage: '500 mg', times: [time], startDate: date, reminders: true });
      const taken = await medication(user.id, { name: 'Aspirin', times: [time], startDate: date, reminders: true });
      const early = await t.api('POST', `/v1/users/${user.id}/medications/${taken.id}/log`, { body: { date, time } });
      expect(early.status, JSON.stringify(early.body)).toBe(201);
      const rule = await aRule(t, user.id, {
        channelIds: [channel.id],
        condition: { kind: 'medication_reminder' },
      });
      expect(rule).toMatchObject({
        category: 'medication',
        cooldownMinutes: 0,
        condition: { kind: 'medication_reminder', medicationId: null },
      });
      expect((await t.server.jobs.describeSchedule(scheduleId(due.id, time)))?.nextRunAt?.getTime()).toBe(slot);
      await received(channel.receiver, 1, slot - Date.now() + 60_000);
      expect(Date.now()).toBeGreaterThanOrEqual(slot);
      expect(ntfyMessages(channel.receiver)[0]).toMatchObject({
        title: 'Time for Metformin',
        message: `Metformin (500 mg) is due at ${time} on ${date}.`,
        tags: ['medication'],
        priority: 3,
      });
      // Both schedules fired at the same minute; the logged dose's fire announced nothing.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const events = await t.api('GET', '/v1/domain-events?type=medication.reminder_due&limit=500');
      expect(events.status).toBe(200);
      const mine = events.body.data.filter((event: any) => event.payload.userId === user.id).map((event: any) => event.payload);
      expect(mine).toEqual([
        {
          userId: user.id,
          medicationId: due.id,
          name: 'Metformin',
          dosage: '500 mg',
          date,
          time,
          scheduledAt: new Date(slot).toISOString(),
        },
      ]);
      expect(channel.receiver.requests).toHaveLength(1);
    },
    150_000,
  );

  it.skipIf(!available || engine !== 'local')(
    'after a reminder, announces the dose missed once its on-time window closes (the workflow’s timer, on a set clock)',
    async () => {
      const user = await aUser(t, { timezone: NEW_YORK });
      const med = await medication(user.id, {
        name: 'Warfarin',
        times: ['08:00'],
        startDate: '2026-01-05',
        onTimeWindowMinutes: 5,
        reminders: true,
      });
      // 08:00 EST on 5 January 2026 is 13:00Z; the fire runs 30 s late, the window closes at 13:05Z.
      let now = Date.parse('2026-01-05T13:00:30Z');
      const slept: number[] = [];
      const platform = {
        db: t.server.database.prisma,
        sql: t.server.database,
        jobs: t.server.jobs,
        config: t.server.config,
        clock: { now: () => new Date(now) },
      } as unknown as Platform;
      const activities = createMedicationActivities(platform);
      const outcome = await runMedicationReminder({ medicationId: med.id, time: '08:00' }, activities, {
        sleep: async (ms) => {
          slept.push(ms);
          now += ms;
        },
      });
      expect(slept).toEqual([5 * 60_000 + 1000 - 30_000]);
      expect(outcome).toMatchObject({ status: 'due', date: '2026-01-05', missed: true });
      // A stats read later finds the same dose: still one announcement.
      expect((await activities.checkMissedDose({ medicationId: med.id, time: '08:00', date: '2026-01-05' })).missed).toBe(true);
      const events = await t.api('GET', '/v1/domain-events?type=medication.dose_missed&limit=500');
      const mine = events.body.data.filter((event: any) => event.payload.medicationId === med.id).map((event: any) => event.payload);
      expect(mine).toEqual([
        {
          userId: user.id,
          medicationId: med.id,
          name: 'Warfarin',
          date: '2026-01-05',
          time: '08:00',
          scheduledAt: '2026-01-05T13:00:00.000Z',
          onTimeWindowMinutes: 5,
        },
      ]);
      // A dose logged before its window closed is not missed.
      now = Date.parse('2026-01-06T13:00:10Z');
      const logged = await t.api('POST', `/v1/users/${user.id}/medications/${med.id}/log`, {
        body: { date: '2026-01-06', time: '08:00', at: '2026-01-06T13:02:00Z' },
      });
      expect(logged.status, JSON.stringify(logged.body)).toBe(201);
      expect(await runMedicationReminder({ medicationId: med.id, time: '08:00' }, activities, { sleep: async () => {} })).toEqual({
        status: 'logged',
        date: '2026-01-06',
      });
      now = Date.parse('2026-01-06T13:06:00Z');
      expect((await activities.checkMissedDose({ medicationId: med.id, time: '08:00', date: '2026-01-06' })).missed).toBe(false);
    },
  );

  it.skipIf(!available)('refuses a rule on another user’s medication (422 naming condition.medicationId)', async () => {
    const [user, other] = [await aUser(t), await aUser(t)];
    const channel = await anNtfyChannel(t, user.id);
    receivers.push(channel.receiver);
    const theirs = await medication(other.id, { name: 'Insulin', times: ['07:00'] });
    const refused = await t.api('POST', `/v1/users/${user.id}/notifications/rules`, {
      body: { name: 'a rule', channelIds: [channel.id], condition: { kind: 'missed_dose', medicationId: theirs.id } },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.message ?? JSON.stringify(refused.body)).toContain('condition.medicationId');
  });
});
