import type { EventInput } from '../../events/event-input.js';
import { SLEEP_STAGES } from '../../events/event-types.js';
import type { SampleInput } from '../../health/sample-input.js';
import { GARMIN_DEVICE, instant, isNumber, type GarminSummary } from './wellness.js';

/**
 * Garmin sleep summaries (Health API §7.3) and activity summaries (Activity API) as sleep and workout events.
 * An updated summary keeps its start time (Health API §6.1 "Updated Summary Records"), so events are keyed by it
 * for sleeps, and by Garmin Connect's activity id for activities: a re-sent or edited one replaces the stored one.
 */
interface Stage {
  stage: string;
  startAt: string;
  endAt: string;
}

/** sleepLevelsMap: { deep: [{ startTimeInSeconds, endTimeInSeconds }], light, rem, awake }, in epoch seconds. */
function sleepStages(levels: unknown): { stage: string; from: number; to: number }[] {
  if (typeof levels !== 'object' || levels === null) return [];
  return Object.entries(levels).flatMap(([stage, ranges]) =>
    SLEEP_STAGES.includes(stage as never) && Array.isArray(ranges)
      ? ranges.flatMap((range: unknown) => {
          const { startTimeInSeconds: from, endTimeInSeconds: to } = (range ?? {}) as Record<string, unknown>;
          return isNumber(from) && isNumber(to) && to > from ? [{ stage, from, to }] : [];
        })
      : [],
  );
}

const seconds = (value: unknown) => (isNumber(value) ? value : 0);

function sleepEvent(row: GarminSummary): EventInput {
  const start = row.startTimeInSeconds as number;
  const stages = sleepStages(row.sleepLevelsMap).sort((a, b) => a.from - b.from);
  // durationInSeconds spans the night (the documented examples add up deep, light, REM and awake time); the
  // stages may reach past it, and the session must hold them all.
  const from = Math.min(start, ...stages.map((s) => s.from));
  const to = Math.max(start + Math.max(seconds(row.durationInSeconds), 60), ...stages.map((s) => s.to));
  const score = (row.overallSleepScore as { value?: unknown } | undefined)?.value;
  const stageList: Stage[] = stages.map((s) => ({
    stage: s.stage,
    startAt: instant(s.from).toISOString(),
    endAt: instant(s.to).toISOString(),
  }));
  return {
    type: 'sleep',
    startAt: instant(from),
    endAt: instant(to),
    details: {
      stages: stageList,
      // Without a stage map (OFF_WRIST, older devices) the per-stage durations stand as Garmin gives them.
      ...(stageList.length
        ? {}
        : {
            stageSeconds: {
              deep: seconds(row.deepSleepDurationInSeconds),
              light: seconds(row.lightSleepDurationInSeconds),
              rem: seconds(row.remSleepInSeconds),
              awake: seconds(row.awakeDurationInSeconds),
            },
          }),
      sleepScore: isNumber(score) ? score : null,
      validation: typeof row.validation === 'string' ? row.validation : null,
    },
    device: GARMIN_DEVICE,
    externalId: `sleep:${start}`,
  };
}

export function sleepData(rows: GarminSummary[]): { samples: SampleInput[]; events: EventInput[] } {
  const events = rows.map(sleepEvent);
  const samples = rows.flatMap((row, index): SampleInput[] => {
    const score = events[index]!.details?.sleepScore;
    return isNumber(score)
      ? [
          {
            metricType: 'sleep_score',
            value: score,
            unit: 'score',
            recordedAt: events[index]!.endAt,
            device: GARMIN_DEVICE,
            externalId: `sleep:${String(row.startTimeInSeconds)}:score`,
          },
        ]
      : [];
  });
  return { samples, events };
}

const orNull = (value: unknown) => (isNumber(value) ? value : null);

/**
 * Activity summaries: distances in metres, energy in kilocalories, heart rates in bpm. Their distance and energy
 * are already in the day's totals, so they become events only, never samples.
 */
export function activityData(rows: GarminSummary[]): { samples: SampleInput[]; events: EventInput[] } {
  const events = rows.flatMap((row): EventInput[] => {
    const start = row.startTimeInSeconds as number;
    if (!isNumber(row.durationInSeconds) || row.durationInSeconds <= 0) return [];
    return [
      {
        type: 'workout',
        subtype: typeof row.activityType === 'string' ? row.activityType : null,
        startAt: instant(start),
        endAt: instant(start + row.durationInSeconds),
        distance: orNull(row.distanceInMeters),
        energy: orNull(row.activeKilocalories),
        avgHeartRate: orNull(row.averageHeartRateInBeatsPerMinute),
        maxHeartRate: orNull(row.maxHeartRateInBeatsPerMinute),
        elevationGain: orNull(row.totalElevationGainInMeters),
        details: { name: typeof row.activityName === 'string' ? row.activityName : null, manual: row.manual === true },
        device: typeof row.deviceName === 'string' && row.deviceName ? row.deviceName : GARMIN_DEVICE,
        externalId: `activity:${String(row.activityId ?? row.summaryId)}`,
      },
    ];
  });
  return { samples: [], events };
}
