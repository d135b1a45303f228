/**
 * Clinical limits a daily value is checked against, whatever the user's baseline: a value past one is an anomaly
 * of kind `clinical`. Each limit names its source. `on` says which of the day's figures is compared: the metric's
 * daily value (its mean for these), or the day's lowest or highest reading where a single reading already matters
 * (a hypoglycaemia, a hypertensive crisis). SpO₂ uses the daily mean: single low readings of wrist oximeters are
 * mostly motion artefacts.
 */
export interface ClinicalThreshold {
  metricType: string;
  direction: 'high' | 'low';
  /** Crossed when the figure is above (high) or below (low) this, in the metric's unit. */
  limit: number;
  severity: 'warning' | 'critical';
  on: 'value' | 'min' | 'max';
  /** The limit itself is past it ("140 mmHg or more"); otherwise only values beyond it are. */
  orEqual?: true;
  label: string;
  source: string;
}

const AHA_BP = 'ACC/AHA 2017 Guideline for High Blood Pressure in Adults (Whelton et al., Hypertension 71:e13), Table 6 and §11.2';
const ADA = 'American Diabetes Association, Standards of Care in Diabetes—2024, §6 Glycemic Goals and Hypoglycemia (Table 6.4)';
const CGM = 'Battelino et al., Clinical Targets for CGM Data Interpretation: International Consensus, Diabetes Care 2019;42:1593';
const WHO_OXIMETRY = 'WHO Pulse Oximetry Training Manual (2011), "What is a normal oxygen saturation?"';

export const CLINICAL_THRESHOLDS: readonly ClinicalThreshold[] = [
  {
    metricType: 'resting_heart_rate',
    direction: 'high',
    limit: 100,
    severity: 'warning',
    on: 'value',
    label: 'resting tachycardia (above 100 bpm)',
    source: 'American Heart Association, "Tachycardia: Fast Heart Rate"',
  },
  {
    metricType: 'resting_heart_rate',
    direction: 'low',
    limit: 40,
    severity: 'warning',
    on: 'value',
    label: 'marked bradycardia (below 40 bpm)',
    source: 'American Heart Association, "Bradycardia: Slow Heart Rate"',
  },
  {
    metricType: 'spo2',
    direction: 'low',
    limit: 94,
    severity: 'warning',
    on: 'value',
    label: 'oxygen saturation below 94 %',
    source: WHO_OXIMETRY,
  },
  {
    metricType: 'spo2',
    direction: 'low',
    limit: 90,
    severity: 'critical',
    on: 'value',
    label: 'hypoxaemia (below 90 %)',
    source: WHO_OXIMETRY,
  },
  {
    metricType: 'blood_pressure_systolic',
    direction: 'high',
    limit: 140,
    severity: 'warning',
    on: 'max',
    orEqual: true,
    label: 'stage 2 hypertension (systolic 140 mmHg or more)',
    source: AHA_BP,
  },
  {
    metricType: 'blood_pressure_systolic',
    direction: 'high',
    limit: 180,
    severity: 'critical',
    on: 'max',
    label: 'hypertensive crisis (systolic above 180 mmHg)',
    source: AHA_BP,
  },
  {
    metricType: 'blood_pressure_diastolic',
    direction: 'high',
    limit: 90,
    severity: 'warning',
    on: 'max',
    orEqual: true,
    label: 'stage 2 hypertension (diastolic 90 mmHg or more)',
    source: AHA_BP,
  },
  {
    metricType: 'blood_pressure_diastolic',
    direction: 'high',
    limit: 120,
    severity: 'critical',
    on: 'max',
    label: 'hypertensive crisis (diastolic above 120 mmHg)',
    source: AHA_BP,
  },
  {
    metricType: 'body_temperature',
    direction: 'high',
    limit: 38,
    severity: 'warning',
    on: 'max',
    orEqual: true,
    label: 'fever (38.0 °C or more)',
    source: 'NICE guideline NG143, Fever in under 5s, §1.1; Mackowiak, JAMA 1992',
  },
  {
    metricType: 'body_temperature',
    direction: 'low',
    limit: 35,
    severity: 'critical',
    on: 'min',
    label: 'hypothermia (below 35.0 °C)',
    source: 'Brown et al., Accidental Hypothermia, N Engl J Med 2012;367:1930',
  },
  {
    metricType: 'blood_glucose',
    direction: 'low',
    limit: 70,
    severity: 'warning',
    on: 'min',
    label: 'level 1 hypoglycaemia (below 70 mg/dL)',
    source: ADA,
  },
  {
    metricType: 'blood_glucose',
    direction: 'low',
    limit: 54,
    severity: 'critical',
    on: 'min',
    label: 'level 2 hypoglycaemia (below 54 mg/dL)',
    source: ADA,
  },
  {
    metricType: 'blood_glucose',
    direction: 'high',
    limit: 250,
    severity: 'warning',
    on: 'max',
    label: 'level 2 hyperglycaemia (above 250 mg/dL)',
    source: CGM,
  },
];

export function crosses(threshold: ClinicalThreshold, figure: number): boolean {
  if (threshold.direction === 'high') return threshold.orEqual ? figure >= threshold.limit : figure > threshold.limit;
  return threshold.orEqual ? figure <= threshold.limit : figure < threshold.limit;
}
