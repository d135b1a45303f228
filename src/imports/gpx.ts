import type { SaxesTagPlain } from 'saxes';
import type { ImportRecord } from './import-record.js';
import { fileOrigin, haversine, WorkoutTrack } from './workout-files.js';
import { streamXml } from './xml-stream.js';

/**
 * GPX 1.1 tracks: each `trk` is a workout event (its `type` the sport, its first and last point's time the start and
 * end, the distance summed over the points with the haversine formula, elevation gain the sum of the rises between
 * points, no smoothing); each `trkpt` is one record whose heart rate and cadence (Garmin's TrackPointExtension `hr`,
 * `cad`) and distance since the previous point become samples (workout-files.ts). Points without a time are counted as
 * rejected. The file's `creator` names the source (fileOrigin).
 */
export async function* readGpx(body: AsyncIterable<Uint8Array>): AsyncGenerator<ImportRecord> {
  let track: WorkoutTrack | null = null;
  let origin: ReturnType<typeof fileOrigin> | null = null;
  let name: string | null = null;
  let type: string | null = null;
  let point: { lat: number; lon: number; ele?: number; time?: string; hr?: number; cad?: number } | null = null;
  let total = 0;
  let last: { lat: number; lon: number } | null = null;
  let text = '';
  const local = (tagName: string) => tagName.slice(tagName.indexOf(':') + 1);
  yield* streamXml<ImportRecord>(
    body,
    (out) => ({
      open(tag: SaxesTagPlain) {
        const attributes = tag.attributes as Record<string, string>;
        const element = local(tag.name);
        text = '';
        if (origin === null) {
          if (element !== 'gpx') throw new Error(`the root element is <${tag.name}>, not GPX's <gpx>`);
          origin = fileOrigin('gpx', attributes.creator ?? null);
          out.push({ origin, flush: true });
        } else if (element === 'trk') {
          track = new WorkoutTrack(origin, 'other');
          name = type = null;
          total = 0;
          last = null;
        } else if (element === 'trkpt') point = { lat: Number(attributes.lat), lon: Number(attributes.lon) };
      },
      text(chunk: string) {
        text += chunk;
      },
      close(tag: SaxesTagPlain) {
        const element = local(tag.name);
        const value = text.trim();
        text = '';
        if (point) {
          if (element === 'ele') point.ele = Number(value);
          else if (element === 'time') point.time = value;
          else if (element === 'hr') point.hr = Number(value);
          else if (element === 'cad') point.cad = Number(value);
          else if (element === 'trkpt') {
            const at = point.time ? new Date(point.time) : null;
            if (!track || !at || Number.isNaN(at.getTime()) || !Number.isFinite(point.lat) || !Number.isFinite(point.lon)) {
              out.push({ rejected: { type: 'trkpt', reason: 'a track point needs lat, lon and a time' } });
            } else {
              if (last) total += haversine(last.lat, last.lon, point.lat, point.lon);
              last = { lat: point.lat, lon: point.lon };
              track.sport =
                track.sport === 'other' && type
                  ? /run|walk|hik/i.test(type)
                    ? 'running'
                    : /cycl|bik|ride/i.test(type)
                      ? 'cycling'
                      : 'other'
                  : track.sport;
              out.push({
                samples: track.point({
                  at,
                  heartRate: Number.isFinite(point.hr) ? point.hr : null,
                  cadence: Number.isFinite(point.cad) ? point.cad! * (track.sport === 'running' ? 2 : 1) : null,
                  altitude: Number.isFinite(point.ele) ? point.ele : null,
                  distance: total,
                }),
              });
            }
            point = null;
          }
          return;
        }
        if (track && element === 'name') name = value;
        else if (track && element === 'type') type = value;
        else if (element === 'trk' && track) {
          const event = track.event({ subtype: type ? type.toLowerCase().replace(/\s+/g, '_') : null, laps: [], name });
          if (event) out.push({ events: [event], flush: true });
          track = null;
        }
      },
    }),
    'the GPX file',
  );
}
