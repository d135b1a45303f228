import type { ExportRow } from './export-rows.js';
import { ulidToUuid } from './fhir.js';
import type { FormatWriter } from './writers.js';

/**
 * Open mHealth (https://www.openmhealth.org/documentation/#/schema-docs/schema-library): one data point per line
 * (NDJSON), each {header, body} after omh:data-point:1.0, for the samples whose metric has an OMH schema and the
 * workouts (omh:physical-activity). Everything else is left out and counted in the export's skipped, with the reason.
 */
interface OmhSchema {
  name: string;
  version: string;
  /** The body for a value (the time frame is added by the writer). */
  body(row: ExportRow): Record<string, unknown>;
}

const quantity = (value: number | null, unit: string) => ({ value, unit });

/** Metric types with an OMH schema, mapped into the schema's property and unit (values are already in that unit). */
export const OMH_SCHEMAS: Readonly<Record<string, OmhSchema>> = {
  heart_rate: { name: 'heart-rate', version: '1.0', body: (row) => ({ heart_rate: quantity(row.value, 'beats/min') }) },
  resting_heart_rate: {
    name: 'heart-rate',
    version: '1.0',
    body: (row) => ({ heart_rate: quantity(row.value, 'beats/min'), temporal_relationship_to_physical_activity: 'at rest' }),
  },
  steps: { name: 'step-count', version: '2.0', body: (row) => ({ step_count: quantity(row.value, 'steps') }) },
  weight: { name: 'body-weight', version: '1.0', body: (row) => ({ body_weight: quantity(row.value, 'kg') }) },
  height: { name: 'body-height', version: '1.0', body: (row) => ({ body_height: quantity(row.value, 'cm') }) },
  bmi: { name: 'body-mass-index', version: '1.0', body: (row) => ({ body_mass_index: quantity(row.value, 'kg/m2') }) },
  body_fat: { name: 'body-fat-percentage', version: '1.0', body: (row) => ({ body_fat_percentage: quantity(row.value, '%') }) },
  body_temperature: { name: 'body-temperature', version: '2.0', body: (row) => ({ body_temperature: quantity(row.value, 'C') }) },
  blood_glucose: { name: 'blood-glucose', version: '1.0', body: (row) => ({ blood_glucose: quantity(row.value, 'mg/dL') }) },
  spo2: { name: 'oxygen-saturation', version: '1.0', body: (row) => ({ oxygen_saturation: quantity(row.value, '%') }) },
  respiratory_rate: { name: 'respiratory-rate', version: '1.0', body: (row) => ({ respiratory_rate: quantity(row.value, 'breaths/min') }) },
  sleep_duration: { name: 'sleep-duration', version: '1.0', body: (row) => ({ sleep_duration: quantity(row.value, 'min') }) },
  active_energy: { name: 'calories-burned', version: '1.0', body: (row) => ({ kcal_burned: quantity(row.value, 'kcal') }) },
};

const BLOOD_PRESSURE = { systolic: 'blood_pressure_systolic', diastolic: 'blood_pressure_diastolic' } as const;

function timeFrame(row: ExportRow) {
  return row.end ? { time_interval: { start_date_time: row.start, end_date_time: row.end } } : { date_time: row.start };
}

function dataPoint(id: string, name: string, version: string, row: ExportRow, body: Record<string, unknown>): string {
  const header = {
    id: ulidToUuid(id),
    creation_date_time: row.start,
    schema_id: { namespace: 'omh', name, version },
    acquisition_provenance: { source_name: row.device ? `${row.source} ${row.device}` : (row.source ?? 'vitasync') },
  };
  return `${JSON.stringify({ header, body: { ...body, effective_time_frame: timeFrame(row) } })}\n`;
}

export function omhWriter(): FormatWriter {
  // omh:blood-pressure needs both readings: a systolic and a diastolic of the same instant, source and device make one
  // data point. Samples arrive in time order, so a reading still unpaired when a later instant comes never will be.
  let pending = new Map<string, ExportRow>();
  const flush = (skipped: (row: ExportRow, reason: string) => void, before: string | null) => {
    for (const [key, row] of pending) {
      if (before !== null && row.start >= before) continue;
      skipped(row, 'a blood pressure reading without its systolic or diastolic pair is left out (omh:blood-pressure needs both)');
      pending.delete(key);
    }
  };
  return {
    begin: () => '',
    startKind: () => {
      pending = new Map();
      return '';
    },
    page: (rows, skipped) => {
      let text = '';
      for (const row of rows) {
        if (row.kind === 'events') {
          if (row.type !== 'workout') skipped(row, `no Open mHealth schema for ${row.type} events`);
          else text += workout(row);
          continue;
        }
        if (row.kind !== 'samples') {
          skipped(row, `no Open mHealth schema for ${row.kind}`);
          continue;
        }
        flush(skipped, row.start);
        if (row.type === BLOOD_PRESSURE.systolic || row.type === BLOOD_PRESSURE.diastolic) {
          const key = `${row.start}|${row.source}|${row.device}`;
          const other = pending.get(key);
          if (other && other.type !== row.type) {
            pending.delete(key);
            const [systolic, diastolic] = row.type === BLOOD_PRESSURE.systolic ? [row, other] : [other, row];
            text += dataPoint(systolic.id, 'blood-pressure', '1.0', row, {
              systolic_blood_pressure: quantity(systolic.value, 'mmHg'),
              diastolic_blood_pressure: quantity(diastolic.value, 'mmHg'),
            });
          } else {
            if (other) skipped(other, 'a second blood pressure reading of one kind at one instant is left out');
            pending.set(key, row);
          }
          continue;
        }
        const schema = OMH_SCHEMAS[row.type];
        if (!schema) {
          skipped(row, `no Open mHealth schema for metric ${row.type}`);
          continue;
        }
        text += dataPoint(row.id, schema.name, schema.version, row, schema.body(row));
      }
      return text;
    },
    endKind: (_kind, skipped) => {
      flush(skipped, null);
      return '';
    },
    end: () => '',
  };
}

/** A workout as omh:physical-activity:1.0: the sport, its interval, distance (m) and energy (kcal) when known. */
function workout(row: ExportRow): string {
  const details = row.details as { subtype?: string; distance?: number; energy?: number };
  return dataPoint(row.id, 'physical-activity', '1.0', row, {
    activity_name: details.subtype ?? 'workout',
    ...(details.distance != null ? { distance: quantity(details.distance, 'm') } : {}),
    ...(details.energy != null ? { kcal_burned: quantity(details.energy, 'kcal') } : {}),
  });
}
