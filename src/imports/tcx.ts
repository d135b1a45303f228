import type { SaxesTagPlain } from 'saxes';
import type { SampleInput } from '../health/sample-input.js';
import type { ImportRecord } from './import-record.js';
import { fileOrigin, streamSport, WorkoutTrack, type Lap, type TrackPoint } from './workout-files.js';
import { streamXml } from './xml-stream.js';

/**
 * Garmin Training Center XML (TCX v2): each `Activity` is a workout event (Sport the sport, the first lap's StartTime
 * the start, the sum of the laps' TotalTimeSeconds after it the end — else the last trackpoint — distance and
 * calories the laps' sums, laps in details.laps); each `Trackpoint` is one record whose heart rate, cumulative
 * DistanceMeters (as the distance since the previous point), Cadence and the TPX extension's Speed and Watts become
 * samples (workout-files.ts). The activity's `Creator` names the source (fileOrigin); it comes after the laps, so an
 * activity's samples are held until its end (a TCX activity is a few thousand points).
 */
export async function* readTcx(body: AsyncIterable<Uint8Array>): AsyncGenerator<ImportRecord> {
  let root: string | null = null;
  const path: string[] = [];
  let text = '';
  let activity: {
    sport: string | null;
    id: string | null;
    creator: string | null;
    laps: Lap[];
    points: TrackPoint[];
    rejected: number;
  } | null = null;
  let lap: Lap | null = null;
  let point: Partial<TrackPoint> & { time?: string } = {};
  let announced: string | null = null;
  const local = (tagName: string) => tagName.slice(tagName.indexOf(':') + 1);
  const num = (value: string) => (value === '' || !Number.isFinite(Number(value)) ? null : Number(value));
  yield* streamXml<ImportRecord>(
    body,
    (out) => ({
      open(tag: SaxesTagPlain) {
        const element = local(tag.name);
        const attributes = tag.attributes as Record<string, string>;
        text = '';
        if (root === null) {
          root = element;
          if (root !== 'TrainingCenterDatabase') throw new Error(`the root element is <${tag.name}>, not TCX's <TrainingCenterDatabase>`);
        }
        path.push(element);
        if (element === 'Activity')
          activity = { sport: attributes.Sport ?? null, id: null, creator: null, laps: [], points: [], rejected: 0 };
        else if (element === 'Lap' && activity) {
          lap = {
            startAt: attributes.StartTime ?? '',
            durationSeconds: null,
            distance: null,
            energy: null,
            avgHeartRate: null,
            maxHeartRate: null,
          };
        } else if (element === 'Trackpoint') point = {};
      },
      text(chunk: string) {
        text += chunk;
      },
      close(tag: SaxesTagPlain) {
        const element = local(tag.name);
        const parent = path[path.length - 2];
        const grand = path[path.length - 3];
        const value = text.trim();
        text = '';
        path.pop();
        if (!activity) return;
        if (path.includes('Trackpoint') || element === 'Trackpoint') {
          if (element === 'Time') point.time = value;
          else if (element === 'AltitudeMeters') point.altitude = num(value);
          else if (element === 'DistanceMeters') point.distance = num(value);
          else if (element === 'Value' && parent === 'HeartRateBpm') point.heartRate = num(value);
          else if (element === 'Cadence' || element === 'RunCadence') point.cadence = num(value);
          else if (element === 'Speed') point.speed = num(value);
          else if (element === 'Watts') point.power = num(value);
          else if (element === 'Trackpoint') {
            const at = point.time ? new Date(point.time) : null;
            if (!at || Number.isNaN(at.getTime())) {
              activity.rejected += 1;
              out.push({ rejected: { type: 'Trackpoint', reason: 'a trackpoint needs a Time' } });
            } else {
              activity.points.push({ ...point, at });
              out.push({});
            }
          }
          return;
        }
        if (lap && parent === 'Lap') {
          if (element === 'TotalTimeSeconds') lap.durationSeconds = num(value);
          else if (element === 'DistanceMeters') lap.distance = num(value);
          else if (element === 'Calories') lap.energy = num(value);
        } else if (lap && element === 'Value' && grand === 'Lap') {
          if (parent === 'AverageHeartRateBpm') lap.avgHeartRate = num(value);
          else if (parent === 'MaximumHeartRateBpm') lap.maxHeartRate = num(value);
        } else if (element === 'Lap' && lap) {
          activity.laps.push(lap);
          lap = null;
        } else if (element === 'Id' && parent === 'Activity') activity.id = value;
        else if (element === 'Name' && parent === 'Creator') activity.creator = value;
        else if (element === 'Activity') {
          const origin = fileOrigin('tcx', activity.creator);
          if (announced === null) {
            announced = origin.source;
            out.push({ origin, flush: true });
          }
          const track = new WorkoutTrack(origin, streamSport(activity.sport));
          const samples: SampleInput[] = [];
          for (const p of activity.points) {
            // TCX's RunCadence counts one foot: steps/min is twice it.
            samples.push(...track.point({ ...p, cadence: p.cadence != null && track.sport === 'running' ? p.cadence * 2 : p.cadence }));
          }
          const first = activity.laps[0]?.startAt ? new Date(activity.laps[0].startAt) : activity.id ? new Date(activity.id) : null;
          const seconds = activity.laps.reduce((sum, l) => sum + (l.durationSeconds ?? 0), 0);
          const startAt = first && !Number.isNaN(first.getTime()) ? first : null;
          const endAt = startAt && seconds > 0 ? new Date(startAt.getTime() + seconds * 1000) : null;
          const sum = (pick: (l: Lap) => number | null) =>
            activity!.laps.some((l) => pick(l) != null) ? activity!.laps.reduce((s, l) => s + (pick(l) ?? 0), 0) : null;
          const event = track.event({
            subtype: activity.sport ? activity.sport.toLowerCase() : null,
            startAt,
            endAt: endAt && track.last && track.last > endAt ? track.last : endAt,
            distance: sum((l) => l.distance),
            energy: sum((l) => l.energy),
            laps: activity.laps,
          });
          out.push({ samples, events: event ? [event] : [], flush: true });
          activity = null;
        }
      },
    }),
    'the TCX file',
  );
}
