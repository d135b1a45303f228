import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The GDPR erasure (DELETE /v1/users/:userId/health) takes every wellness log with the health data, in its one
 * transaction, and the medication reminders' schedules with them; the user stays, and another user's logs stay.
 */
describe.each(ENGINES)('the GDPR erasure of wellness logs on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    if (engineAvailable(engine)) t = await startTestServer(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** One log of every wellness kind for a user; the medication reminds at 08:00. */
  async function logEverything(userId: string): Promise<{ medicationId: string }> {
    const writes: [string, Record<string, unknown>][] = [
      ['mood', { score: 6, mood: 'calm' }],
      ['journal', { title: 'A day', body: 'Walked by the river.' }],
      ['water', { amount: 250 }],
      ['nutrition', { mealType: 'lunch', energy: 600 }],
      ['symptoms', { type: 'headache', severity: 4 }],
    ];
    for (const [area, body] of writes) {
      const created = await t.api('POST', `/v1/users/${userId}/${area}`, { body });
      expect(created.status, `${area}: ${JSON.stringify(created.body)}`).toBe(201);
    }
    const habit = await t.api('POST', `/v1/users/${userId}/habits`, { body: { name: 'Stretch' } });
    expect(habit.status, JSON.stringify(habit.body)).toBe(201);
    expect((await t.api('POST', `/v1/users/${userId}/habits/${habit.body.id}/complete`, { body: {} })).status).toBe(201);
    const medication = await t.api('POST', `/v1/users/${userId}/medications`, {
      body: { name: 'Vitamin D', times: ['08:00'], reminders: true },
    });
    expect(medication.status, JSON.stringify(medication.body)).toBe(201);
    return { medicationId: medication.body.id };
  }

  const lists = ['mood', 'journal', 'water', 'nutrition', 'symptoms', 'habits', 'medications'];
  const listed = async (userId: string) =>
    Object.fromEntries(
      await Promise.all(lists.map(async (area) => [area, (await t.api('GET', `/v1/users/${userId}/${area}`)).body.data.length])),
    );

  it.skipIf(!engineAvailable(engine))('removes every log and the reminder schedules, and leaves the user and others alone', async () => {
    const erased = (await aUser(t)).id;
    const other = (await aUser(t)).id;
    const { medicationId } = await logEverything(erased);
    await logEverything(other);
    const one = Object.fromEntries(lists.map((area) => [area, 1]));
    expect(await listed(erased)).toEqual(one);
    expect(await t.server.jobs.describeSchedule(`medication-reminder:${medicationId}:08:00`)).not.toBeNull();

    expect((await t.api('DELETE', `/v1/users/${erased}/health`)).status).toBe(204);

    expect(await listed(erased)).toEqual(Object.fromEntries(lists.map((area) => [area, 0])));
    expect(await t.server.jobs.describeSchedule(`medication-reminder:${medicationId}:08:00`)).toBeNull();
    expect((await t.api('GET', `/v1/users/${erased}`)).status).toBe(200);
    expect(await listed(other)).toEqual(one);
  });
});
