import type { EventInput } from '../events/event-input.js';
import type { SampleInput } from '../health/sample-input.js';

/**
 * What GPX, TCX and FIT files have in common: a workout (its start, end, sport, totals and laps) and per-point
 * streams. The streams are stored as samples through the ingestion service: heart rate (bpm) at each point, the
 * distance covered since the previous point as a `distance` total over that interval (so daily distance counts the
 * workout, merged per quarter hour with other sources like any total), and speed / power / cadence as the
 * sport's metric (running_* or cycling_*). The workout itself is one event with the laps in details.laps.
 */

/** Providers whose devices write these files: a file from one of them is stored under that provider's source, as
 * its sync would have stored it, so the same device's samples already synced are duplicates by key. */
export const FILE_PROVIDERS: { pattern: RegExp; source: string; device: string | null }[] = [
  // Garmin's sync stores every sample with device "Garmin" (src/providers/garmin/wellness.ts).
  { pattern: /garmin/i, source: 'garmin', device: 'Garmin' },
  { pattern: /wahoo/i, source: 'wahoo', device: null },
  { pattern: /suunto/i, source: 'suunto', device: null },
  { pattern: /polar/i, source: 'polar', device: null },
];

export interface FileOrigin {
  source: string;
  device: string;
}

/** The source and device of a workout file from its creator's name (FIT manufacturer, GPX creator, TCX Creator). */
export function fileOrigin(format: 'fit' | 'gpx' | 'tcx', creator: string | null): FileOrigin {
  const provider = creator ? FILE_PROVIDERS.find((p) => p.pattern.test(creator)) : undefined;
  if (provider) return { source: provider.source, device: provider.device ?? (creator ?? '').slice(0, 200) };
  return { source: format, device: (creator ?? '').slice(0, 200) };
}

export type StreamSport = 'running' | 'cycling' | 'other';

export function streamSport(sport: string | null | undefined): StreamSport {
  const name = (sport ?? '').toLowerCase();
  if (/run|walk|hik/.test(name)) return 'running';
  if (/cycl|bik|ride/.test(name)) return 'cycling';
  return 'other';
}

export interface TrackPoint {
  at: Date;
  heartRate?: number | null;
  /** Metres from the start (FIT, TCX), or computed from positions (GPX). */
  distance?: number | null;
  altitude?: number | null;
  speed?: number | null;
  power?: number | null;
  /** Running: steps/min; cycling: rpm. */
  cadence?: number | null;
}

export interface Lap {
  startAt: string;
  durationSeconds: number | null;
  distance: number | null;
  energy: number | null;
  avgHeartRate: number | null;
  maxHeartRate: number | null;
}

/** Follows a workout's points: the samples of each point, and the totals of the whole for its event. */
export class WorkoutTrack {
  first: Date | null = null;
  last: Date | null = null;
  private previous: TrackPoint | null = null;
  private heartRates = 0;
  private heartRateSum = 0;
  maxHeartRate: number | null = null;
  distance: number | null = null;
  elevationGain: number | null = null;
  points = 0;

  constructor(
    private readonly origin: FileOrigin,
    public sport: StreamSport,
  ) {}

  /** The samples of one point. */
  point(point: TrackPoint): SampleInput[] {
    const device = this.origin.device;
    const samples: SampleInput[] = [];
    const at = point.at;
    this.points += 1;
    if (!this.first || at < this.first) this.first = at;
    if (!this.last || at > this.last) this.last = at;
    if (point.heartRate != null && point.heartRate > 0) {
      samples.push({ metricType: 'heart_rate', value: point.heartRate, unit: 'bpm', recordedAt: at, device });
      this.heartRates += 1;
      this.heartRateSum += point.heartRate;
      this.maxHeartRate = Math.max(this.maxHeartRate ?? 0, point.heartRate);
    }
    const previous = this.previous;
    if (point.distance != null) {
      if (previous?.distance != null && point.distance > previous.distance && at > previous.at) {
        samples.push({
          metricType: 'distance',
          value: point.distance - previous.distance,
          unit: 'm',
          recordedAt: previous.at,
          endAt: at,
          device,
        });
      }
      this.distance = Math.max(this.distance ?? 0, point.distance);
    }
    if (point.altitude != null && previous?.altitude != null && point.altitude > previous.altitude) {
      this.elevationGain = (this.elevationGain ?? 0) + point.altitude - previous.altitude;
    }
    if (this.sport !== 'other') {
      const prefix = this.sport;
      if (point.speed != null) samples.push({ metricType: `${prefix}_speed`, value: point.speed, unit: 'm/s', recordedAt: at, device });
      if (point.power != null) samples.push({ metricType: `${prefix}_power`, value: point.power, unit: 'W', recordedAt: at, device });
      if (point.cadence != null && point.cadence > 0) {
        samples.push({
          metricType: `${prefix}_cadence`,
          value: point.cadence,
          unit: prefix === 'running' ? 'steps/min' : 'rpm',
          recordedAt: at,
          device,
        });
      }
    }
    this.previous = {
      ...point,
      distance: point.distance ?? previous?.distance ?? null,
      altitude: point.altitude ?? previous?.altitude ?? null,
    };
    return samples;
  }

  get avgHeartRate(): number | null {
    return this.heartRates ? Math.round((this.heartRateSum / this.heartRates) * 10) / 10 : null;
  }

  /** The workout event, or null when the file had no timed points and no start/end of its own. */
  event(input: {
    subtype: string | null;
    startAt?: Date | null;
    endAt?: Date | null;
    distance?: number | null;
    energy?: number | null;
    laps: Lap[];
    name?: string | null;
  }): EventInput | null {
    const startAt = input.startAt ?? this.first;
    const endAt = input.endAt ?? this.last;
    if (!startAt || !endAt || endAt <= startAt) return null;
    return {
      type: 'workout',
      subtype: input.subtype,
      startAt,
      endAt,
      distance: input.distance ?? this.distance,
      energy: input.energy ?? null,
      avgHeartRate: this.avgHeartRate,
      maxHeartRate: this.maxHeartRate,
      elevationGain: this.elevationGain === null ? null : Math.round(this.elevationGain * 10) / 10,
      details: { laps: input.laps, ...(input.name ? { name: input.name } : {}), points: this.points },
      device: this.origin.device,
    };
  }
}

/** Great-circle distance in metres (haversine, mean Earth radius 6,371,008.8 m, IUGG). */
export function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}
