import type { SqlSession } from '../db/client.js';
import type { HealthEventRow } from '../events/event-row.js';
import { upsertRecord, type PersonalRecordRow, type RecordCandidate } from './upsert-record.js';

/** Below this a "fastest" pace is noise (a GPS jump on a 50 m stroll), not an achievement. */
const MIN_DISTANCE_FOR_SPEED_M = 1000;

function candidates(event: HealthEventRow): RecordCandidate[] {
  const base = {
    metricType: event.type,
    qualifier: event.type === 'workout' ? (event.subtype ?? 'other') : '',
    achievedAt: new Date(event.startAt),
    eventId: event.id,
    source: event.source,
  };
  // A `rest` period is one the user said was not sleep (Oura's rejected detections): no sleep record.
  if (event.type === 'sleep' && event.subtype === 'rest') return [];
  if (event.type === 'sleep') return [{ ...base, kind: 'longest_duration', value: event.durationSeconds, unit: 's' }];
  if (event.type !== 'workout') return [];
  const found: RecordCandidate[] = [{ ...base, kind: 'longest_duration', value: event.durationSeconds, unit: 's' }];
  if (event.distance != null && event.distance > 0) {
    found.push({ ...base, kind: 'longest_distance', value: event.distance, unit: 'm' });
    if (event.distance >= MIN_DISTANCE_FOR_SPEED_M)
      found.push({ ...base, kind: 'fastest_speed', value: event.distance / event.durationSeconds, unit: 'm/s' });
  }
  return found;
}

/** Longest sleep; longest, farthest and fastest workout per sport. */
export async function updateEventRecords(tx: SqlSession, userId: string, events: HealthEventRow[]): Promise<PersonalRecordRow[]> {
  const set = new Map<string, PersonalRecordRow>();
  for (const event of events) {
    for (const candidate of candidates(event)) {
      const record = await upsertRecord(tx, userId, candidate);
      if (record) set.set(record.id, record);
    }
  }
  return [...set.values()];
}
