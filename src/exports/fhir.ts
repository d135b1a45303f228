import { getMetricType } from '../health/metric-types.js';
import type { ExportRow } from './export-rows.js';
import type { ExportMeta, FormatWriter } from './writers.js';

/**
 * FHIR R4 (http://hl7.org/fhir/R4/): a Bundle of type collection holding a Patient (the user) and one Observation
 * per sample. Observation.code carries the LOINC code where the metric has one and always the metric's code in
 * VitaSync's local code system; valueQuantity its value in UCUM (http://unitsofmeasure.org).
 */
export const LOCAL_METRIC_SYSTEM = 'urn:vitasync:fhir:metric-type';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

/**
 * LOINC codes of the metrics that have one. The vital-signs codes are those of FHIR's vital signs value set
 * (hl7.org/fhir/valueset-observation-vitalsignresult): 8867-4, 9279-1, 8310-5, 8302-2, 29463-7, 39156-5, 8480-6,
 * 8462-4; 59408-5 is the pulse-oximetry SpO2 code of FHIR's satO2 example; 40443-4 is in FHIR's heart-rate value
 * set (resting); 55423-8 (steps, pedometer), 80404-7 (R-R interval SD: HRV SDNN), 41981-2 (calories burned),
 * 93832-4 (sleep duration), 41982-0 (body fat %), 2339-0 (glucose, mass/volume, blood) from LOINC's table.
 */
export const LOINC_CODES: Readonly<Record<string, { code: string; display: string }>> = {
  heart_rate: { code: '8867-4', display: 'Heart rate' },
  resting_heart_rate: { code: '40443-4', display: 'Heart rate --resting' },
  steps: { code: '55423-8', display: 'Number of steps in unspecified time Pedometer' },
  weight: { code: '29463-7', display: 'Body weight' },
  height: { code: '8302-2', display: 'Body height' },
  bmi: { code: '39156-5', display: 'Body mass index (BMI) [Ratio]' },
  body_temperature: { code: '8310-5', display: 'Body temperature' },
  spo2: { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
  respiratory_rate: { code: '9279-1', display: 'Respiratory rate' },
  blood_glucose: { code: '2339-0', display: 'Glucose [Mass/volume] in Blood' },
  blood_pressure_systolic: { code: '8480-6', display: 'Systolic blood pressure' },
  blood_pressure_diastolic: { code: '8462-4', display: 'Diastolic blood pressure' },
  hrv_sdnn: { code: '80404-7', display: 'R-R interval.standard deviation (Heart rate variability)' },
  active_energy: { code: '41981-2', display: 'Calories burned' },
  sleep_duration: { code: '93832-4', display: 'Sleep duration' },
  body_fat: { code: '41982-0', display: 'Percentage of body fat Measured' },
};

/** The UCUM code of each canonical unit of src/health/metric-types.ts; curly braces are UCUM annotations (dimensionless). */
export const UCUM_UNITS: Readonly<Record<string, string>> = {
  count: '{count}',
  bpm: '/min',
  ms: 'ms',
  '%': '%',
  'breaths/min': '/min',
  L: 'L',
  kg: 'kg',
  cm: 'cm',
  'kg/m2': 'kg/m2',
  degC: 'Cel',
  mmHg: 'mm[Hg]',
  'mg/dL': 'mg/dL',
  'mL/kg/min': 'mL/kg/min',
  'm/s': 'm/s',
  W: 'W',
  'steps/min': '/min',
  rpm: '/min',
  min: 'min',
  h: 'h',
  mL: 'mL',
  kcal: 'kcal',
  g: 'g',
  mg: 'mg',
  m: 'm',
  score: '{score}',
};

/** Vital signs for the metrics of the body and its vital functions; activity (FHIR's "activity" category) for the rest. */
const VITAL_CATEGORIES = new Set(['heart', 'respiratory', 'body', 'vitals']);

/** A ULID's 128 bits written as a UUID, for urn:uuid: references inside the Bundle (ids stay the ULIDs). */
export function ulidToUuid(ulid: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let value = 0n;
  for (const char of ulid.toUpperCase()) value = value * 32n + BigInt(Math.max(0, alphabet.indexOf(char)));
  const hex = (value & ((1n << 128n) - 1n)).toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** FHIR's id: 1–64 of [A-Za-z0-9-.]. */
const fhirId = (id: string) => id.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);

export function observation(row: ExportRow, patientUrl: string): Record<string, unknown> {
  const metric = getMetricType(row.type);
  const loinc = LOINC_CODES[row.type];
  const unit = row.unit ?? 'count';
  return {
    resourceType: 'Observation',
    id: fhirId(row.id),
    status: 'final',
    category: [
      {
        coding: VITAL_CATEGORIES.has(metric?.category ?? '')
          ? [{ system: CATEGORY_SYSTEM, code: 'vital-signs', display: 'Vital Signs' }]
          : [{ system: CATEGORY_SYSTEM, code: 'activity', display: 'Activity' }],
      },
    ],
    code: {
      coding: [
        ...(loinc ? [{ system: LOINC, code: loinc.code, display: loinc.display }] : []),
        { system: LOCAL_METRIC_SYSTEM, code: row.type, display: metric?.name ?? row.type },
      ],
      text: metric?.name ?? row.type,
    },
    subject: { reference: patientUrl },
    ...(row.end ? { effectivePeriod: { start: row.start, end: row.end } } : { effectiveDateTime: row.start }),
    valueQuantity: { value: row.value, unit, system: UCUM, code: UCUM_UNITS[unit] ?? `{${unit.replace(/[{}]/g, '')}}` },
    ...(row.source ? { device: { display: row.device ? `${row.source} ${row.device}` : row.source } } : {}),
  };
}

export function fhirWriter(): FormatWriter {
  let patientUrl = '';
  return {
    begin: (meta: ExportMeta) => {
      patientUrl = `urn:uuid:${ulidToUuid(meta.userId)}`;
      const patient = {
        resourceType: 'Patient',
        id: fhirId(meta.userId),
        identifier: [{ system: 'urn:vitasync:user-external-id', value: meta.externalId }],
      };
      const head = { resourceType: 'Bundle', id: fhirId(meta.exportId), type: 'collection', timestamp: meta.createdAt };
      return `${JSON.stringify(head).slice(0, -1)},"entry":[\n${JSON.stringify({ fullUrl: patientUrl, resource: patient })}`;
    },
    startKind: () => '',
    page: (rows, skipped) => {
      let text = '';
      for (const row of rows) {
        if (row.kind !== 'samples') {
          skipped(row, `FHIR export holds samples as Observations; ${row.kind} are left out`);
          continue;
        }
        text += `,\n${JSON.stringify({ fullUrl: `urn:uuid:${ulidToUuid(row.id)}`, resource: observation(row, patientUrl) })}`;
      }
      return text;
    },
    endKind: () => '',
    end: () => ']}\n',
  };
}
