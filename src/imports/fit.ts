import { Decoder, Stream, type FitMessages } from '@garmin/fitsdk';
import type { ImportRecord } from './import-record.js';
import { MalformedFile } from './import-record.js';
import { fileOrigin, streamSport, WorkoutTrack, type Lap } from './workout-files.js';

/**
 * FIT activity files, decoded with Garmin's own SDK (@garmin/fitsdk; its CRC check first). A FIT file is a binary
 * message list without a streaming decoder, so it is read whole, up to FIT_MAX_BYTES (a 24-hour 1 s recording is
 * about 6 MB). Each `session` is a workout event (sport, start_time, total_elapsed_time, total_distance,
 * total_calories, avg/max heart rate, total_ascent) whose laps (the `lap` messages within it) go to details.laps;
 * each `record` message is one record of the file whose heart rate, speed (enhanced_speed when present), power,
 * cadence (running: FIT's strides/min × 2 = steps/min) and cumulative distance become samples (workout-files.ts).
 * file_id.manufacturer names the source (fileOrigin).
 */
export const FIT_MAX_BYTES = 64 * 1024 * 1024;

const dateOf = (value: unknown): Date | null => (value instanceof Date ? value : null);

export async function* readFit(body: AsyncIterable<Uint8Array>): AsyncGenerator<ImportRecord> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > FIT_MAX_BYTES) throw new MalformedFile(`the FIT file is larger than ${FIT_MAX_BYTES} bytes`);
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  const stream = Stream.fromByteArray(bytes);
  if (!Decoder.isFIT(stream)) throw new MalformedFile('the file is not a FIT file (no ".FIT" header)');
  const decoder = new Decoder(stream);
  if (!decoder.checkIntegrity()) throw new MalformedFile('the FIT file is damaged (its size or CRC does not match)');
  const { messages, errors } = decoder.read({ convertDateTimesToDates: true, applyScaleAndOffset: true, expandComponents: true });
  if (errors.length) throw new MalformedFile(`the FIT file could not be decoded: ${errors[0]!.message}`);
  yield* fitRecords(messages);
}

function* fitRecords(messages: FitMessages): Generator<ImportRecord> {
  const fileId = messages.fileIdMesgs?.[0];
  const manufacturer = fileId?.manufacturer != null ? String(fileId.manufacturer) : null;
  const product = fileId?.productName ?? (fileId?.garminProduct != null ? String(fileId.garminProduct) : null);
  const origin = fileOrigin('fit', manufacturer ? [manufacturer, product].filter(Boolean).join(' ') : null);
  yield { origin, flush: true };
  const sessions = messages.sessionMesgs ?? [];
  if (!sessions.length && !(messages.recordMesgs ?? []).length) {
    throw new MalformedFile('the FIT file has no session and no record messages: not an activity file');
  }
  const sportAt = (at: Date): string | null => {
    const session = sessions.find((s) => {
      const start = dateOf(s.startTime);
      return start && at >= start && at.getTime() <= start.getTime() + (s.totalElapsedTime ?? 0) * 1000;
    });
    return session?.sport != null ? String(session.sport) : sessions[0]?.sport != null ? String(sessions[0].sport) : null;
  };
  const track = new WorkoutTrack(origin, streamSport(sessions[0]?.sport != null ? String(sessions[0].sport) : null));
  for (const record of messages.recordMesgs ?? []) {
    const at = dateOf(record.timestamp);
    if (!at) {
      yield { rejected: { type: 'record', reason: 'a record message needs a timestamp' } };
      continue;
    }
    track.sport = streamSport(sportAt(at));
    const cadence = record.cadence ?? null;
    yield {
      samples: track.point({
        at,
        heartRate: record.heartRate ?? null,
        distance: record.distance ?? null,
        altitude: record.enhancedAltitude ?? record.altitude ?? null,
        speed: record.enhancedSpeed ?? record.speed ?? null,
        power: record.power ?? null,
        cadence: cadence != null && track.sport === 'running' ? cadence * 2 : cadence,
      }),
    };
  }
  const laps = messages.lapMesgs ?? [];
  const events = sessions.flatMap((session) => {
    const startAt = dateOf(session.startTime);
    if (!startAt || !session.totalElapsedTime) return [];
    const endAt = new Date(startAt.getTime() + session.totalElapsedTime * 1000);
    const ownLaps: Lap[] = laps
      .filter((lap) => {
        const at = dateOf(lap.startTime);
        return at && at >= startAt && at < endAt;
      })
      .map((lap) => ({
        startAt: dateOf(lap.startTime)!.toISOString(),
        durationSeconds: lap.totalElapsedTime ?? null,
        distance: lap.totalDistance ?? null,
        energy: lap.totalCalories ?? null,
        avgHeartRate: lap.avgHeartRate ?? null,
        maxHeartRate: lap.maxHeartRate ?? null,
      }));
    const event = track.event({
      subtype:
        session.sport != null
          ? String(session.sport)
              .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
              .toLowerCase()
          : null,
      startAt,
      endAt,
      distance: session.totalDistance ?? null,
      energy: session.totalCalories ?? null,
      laps: ownLaps,
    });
    if (!event) return [];
    return [
      {
        ...event,
        avgHeartRate: session.avgHeartRate ?? event.avgHeartRate,
        maxHeartRate: session.maxHeartRate ?? event.maxHeartRate,
        elevationGain: session.totalAscent ?? event.elevationGain,
      },
    ];
  });
  if (events.length) yield { events, flush: true };
}
