import { Encoder } from '@garmin/fitsdk';
import yazl from 'yazl';

/**
 * Files other apps write, generated for the import tests and bench: an Apple Health export (export.xml and zipped as
 * the Health app shares it), a FIT activity written with Garmin's own encoder, GPX and TCX. Each generator tallies
 * what it wrote, so tests compute the expected counts from the file itself, not from the importer.
 */

export const WATCH = 'Jane’s Apple Watch';
export const PHONE = 'Jane’s iPhone';
export const SCALE = 'Health Mate';

/** Apple's date format: "2025-03-01 07:00:00 +0000". */
const appleDate = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' +0000');

export interface AppleExpectation {
  /** Record and Workout elements written. */
  records: number;
  /** Samples the importer should store, by metric type (valid records of mapped types). */
  samples: Record<string, number>;
  workouts: number;
  sleepNights: number;
  skipped: Record<string, number>;
  /** Records the parser refuses (a value that is not a number) and the ingestion service refuses (out of range). */
  rejected: number;
  stepsTotal: number;
  /** The first day's heart-rate samples (recordedAt ISO, bpm) and its workout, to push beforehand as a HealthKit sync. */
  firstDayHeartRates: { recordedAt: string; value: number }[];
  firstWorkout: { startAt: string; endAt: string };
  /** kg, %, mg/dL, °C of the last day's body mass, SpO2, glucose and temperature, converted by hand. */
  lastWeightKg: number;
}

const Q = 'HKQuantityTypeIdentifier';

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An Apple Health export.xml of `days` days from `start` (UTC midnight), as a stream of text pieces, with what it
 * holds tallied in `expected` (complete once the generator is exhausted). Realistic record types: a watch's heart
 * rate every `heartRateMinutes`, a phone's steps and distance every 15 minutes, energy, body measurements in US units,
 * SpO2 and body fat as fractions with unit "%", glucose in mmol<180.1558800000541>/L, temperature in degF, VO2 max in
 * mL/min·kg, nights of sleep stages, a run every other day with WorkoutStatistics, types the importer does not map,
 * and on the first day three impossible heart rates and two unreadable step counts.
 */
export function appleHealthExport(options: { start: number; days: number; heartRateMinutes?: number; seed?: number }) {
  const { start, days } = options;
  const hrEvery = options.heartRateMinutes ?? 5;
  const rnd = random(options.seed ?? 1);
  const expected: AppleExpectation = {
    records: 0,
    samples: {},
    workouts: 0,
    sleepNights: 0,
    skipped: {},
    rejected: 0,
    stepsTotal: 0,
    firstDayHeartRates: [],
    firstWorkout: { startAt: '', endAt: '' },
    lastWeightKg: 0,
  };
  const sample = (metric: string) => (expected.samples[metric] = (expected.samples[metric] ?? 0) + 1);
  const record = (type: string, source: string, unit: string | null, from: number, to: number, value: string | number) => {
    expected.records += 1;
    return ` <Record type="${type}" sourceName="${source}" sourceVersion="17.4"${unit ? ` unit="${unit.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"` : ''} creationDate="${appleDate(to)}" startDate="${appleDate(from)}" endDate="${appleDate(to)}" value="${value}"/>\n`;
  };
  const MIN = 60_000;
  function* body(): Generator<string> {
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>\n<!ATTLIST HealthData locale CDATA #REQUIRED>\n]>\n';
    yield '<HealthData locale="en_US">\n <ExportDate value="2025-07-01 09:00:00 +0000"/>\n <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-01-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>\n';
    yield record(`${Q}Height`, SCALE, 'cm', start, start, 168);
    sample('height');
    for (let day = 0; day < days; day++) {
      const d0 = start + day * 86_400_000;
      let text = '';
      for (let m = 0; m < 1440; m += hrEvery) {
        const bpm = Math.round(55 + 40 * rnd());
        text += record(`${Q}HeartRate`, WATCH, 'count/min', d0 + m * MIN, d0 + m * MIN, bpm);
        sample('heart_rate');
        if (day === 0) expected.firstDayHeartRates.push({ recordedAt: new Date(d0 + m * MIN).toISOString(), value: bpm });
      }
      for (let q = 0; q < 96; q++) {
        const from = d0 + q * 15 * MIN;
        const to = from + 15 * MIN;
        const steps = Math.round(300 * rnd());
        text += record(`${Q}StepCount`, PHONE, 'count', from, to, steps);
        sample('steps');
        expected.stepsTotal += steps;
        text += record(`${Q}DistanceWalkingRunning`, PHONE, 'km', from, to, (steps * 0.00075).toFixed(4));
        sample('distance');
        text += record(`${Q}ActiveEnergyBurned`, WATCH, 'kcal', from, to, (20 * rnd()).toFixed(3));
        sample('active_energy');
        if (q % 4 === 0) {
          text += record(`${Q}BasalEnergyBurned`, WATCH, 'kJ', from, from + 60 * MIN, (280 + 10 * rnd()).toFixed(2));
          sample('basal_energy');
          text += record(`${Q}EnvironmentalAudioExposure`, PHONE, 'dBASPL', from, to, 60);
          expected.skipped[`${Q}EnvironmentalAudioExposure`] = (expected.skipped[`${Q}EnvironmentalAudioExposure`] ?? 0) + 1;
        }
        if (q % 8 === 0) {
          text += record(
            'HKCategoryTypeIdentifierAppleStandHour',
            WATCH,
            null,
            from,
            from + 60 * MIN,
            'HKCategoryValueAppleStandHourStood',
          );
          expected.skipped.HKCategoryTypeIdentifierAppleStandHour = (expected.skipped.HKCategoryTypeIdentifierAppleStandHour ?? 0) + 1;
          text += record(`${Q}FlightsClimbed`, PHONE, 'count', from, to, 2);
          sample('floors_climbed');
          text += record(`${Q}OxygenSaturation`, WATCH, '%', from, from, (0.95 + 0.03 * rnd()).toFixed(2));
          sample('spo2');
          text += record(`${Q}RespiratoryRate`, WATCH, 'count/min', from, from, 14 + Math.round(3 * rnd()));
          sample('respiratory_rate');
        }
        if (q % 16 === 0) {
          text += record(`${Q}HeartRateVariabilitySDNN`, WATCH, 'ms', from + MIN, from + 2 * MIN, (40 + 20 * rnd()).toFixed(1));
          sample('hrv_sdnn');
        }
      }
      const morning = d0 + 7 * 60 * MIN;
      const pounds = 150 + Math.round(rnd() * 40) / 10;
      text += record(`${Q}BodyMass`, SCALE, 'lb', morning, morning, pounds);
      sample('weight');
      expected.lastWeightKg = pounds * 0.45359237;
      text += record(`${Q}BodyFatPercentage`, SCALE, '%', morning, morning, 0.22);
      sample('body_fat');
      text += record(`${Q}RestingHeartRate`, WATCH, 'count/min', d0 + 23 * 60 * MIN, d0 + 23 * 60 * MIN, 52);
      sample('resting_heart_rate');
      text += record(`${Q}BloodPressureSystolic`, 'Omron', 'mmHg', morning + MIN, morning + MIN, 118);
      text += record(`${Q}BloodPressureDiastolic`, 'Omron', 'mmHg', morning + MIN, morning + MIN, 76);
      sample('blood_pressure_systolic');
      sample('blood_pressure_diastolic');
      for (const hour of [8, 13, 19]) {
        text += record(`${Q}BloodGlucose`, 'Dexcom G7', 'mmol<180.1558800000541>/L', d0 + hour * 60 * MIN, d0 + hour * 60 * MIN, 5.4);
        sample('blood_glucose');
      }
      text += record(`${Q}BodyTemperature`, 'Thermometer', 'degF', morning + 2 * MIN, morning + 2 * MIN, 98.2);
      sample('body_temperature');
      text += record(`${Q}VO2Max`, WATCH, 'mL/min·kg', d0 + 18 * 60 * MIN, d0 + 18 * 60 * MIN, 42.5);
      sample('vo2max');
      for (const hour of [9, 12, 15, 18]) {
        text += record(`${Q}DietaryWater`, 'WaterMinder', 'mL', d0 + hour * 60 * MIN, d0 + hour * 60 * MIN, 250);
        sample('water');
      }
      if (day === 0) {
        for (let i = 0; i < 3; i++) text += record(`${Q}HeartRate`, WATCH, 'count/min', d0 + i * MIN + 30_000, d0 + i * MIN + 30_000, 400);
        for (let i = 0; i < 2; i++) text += record(`${Q}StepCount`, PHONE, 'count', d0 + i * MIN + 20_000, d0 + i * MIN + 80_000, 'n/a');
        expected.rejected += 5;
      }
      // A night from 22:45 (in bed) to 07:00: eight hour-long stages from 23:00.
      const bed = d0 + (22 * 60 + 45) * MIN;
      text += record(
        'HKCategoryTypeIdentifierSleepAnalysis',
        WATCH,
        null,
        bed,
        bed + (8 * 60 + 15) * MIN,
        'HKCategoryValueSleepAnalysisInBed',
      );
      const stages = ['AsleepCore', 'AsleepDeep', 'AsleepREM', 'AsleepCore', 'Awake', 'AsleepCore', 'AsleepREM', 'AsleepCore'];
      stages.forEach((stage, i) => {
        const from = bed + 15 * MIN + i * 60 * MIN;
        text += record('HKCategoryTypeIdentifierSleepAnalysis', WATCH, null, from, from + 60 * MIN, `HKCategoryValueSleepAnalysis${stage}`);
      });
      expected.sleepNights += 1;
      if (day % 2 === 0) {
        const from = d0 + 17 * 60 * MIN;
        const to = from + 30 * MIN;
        expected.records += 1;
        expected.workouts += 1;
        if (day === 0) expected.firstWorkout = { startAt: new Date(from).toISOString(), endAt: new Date(to).toISOString() };
        text +=
          ` <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" durationUnit="min" totalDistance="5.2" totalDistanceUnit="km" totalEnergyBurned="310" totalEnergyBurnedUnit="kcal" sourceName="${WATCH}" sourceVersion="10.4" creationDate="${appleDate(to)}" startDate="${appleDate(from)}" endDate="${appleDate(to)}">\n` +
          `  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n` +
          `  <WorkoutStatistics type="${Q}HeartRate" startDate="${appleDate(from)}" endDate="${appleDate(to)}" average="152" minimum="120" maximum="171" unit="count/min"/>\n` +
          ` </Workout>\n`;
      }
      yield text;
    }
    yield '</HealthData>\n';
  }
  return { expected, body: body() };
}

/** Zips export.xml under apple_health_export/ as the Health app does (with export_cda.xml beside it), with yazl. */
export async function zipAppleExport(xml: Buffer): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from('<?xml version="1.0"?><ClinicalDocument/>'), 'apple_health_export/export_cda.xml');
  zip.addBuffer(xml, 'apple_health_export/export.xml');
  zip.end();
  const parts: Buffer[] = [];
  for await (const part of zip.outputStream as AsyncIterable<Buffer>) parts.push(part);
  return Buffer.concat(parts);
}

export interface FitExpectation {
  startAt: Date;
  endAt: Date;
  laps: { startAt: Date; seconds: number; distance: number }[];
  records: number;
  heartRates: number;
  distance: number;
}

/**
 * A FIT activity written with @garmin/fitsdk's Encoder: a Garmin running session of `laps` laps of `lapSeconds`
 * seconds, a record every second with heart rate, speed, cadence, power and cumulative distance.
 */
export function fitActivity(options: { start: Date; laps: number; lapSeconds: number }): { bytes: Uint8Array; expected: FitExpectation } {
  const { start, laps, lapSeconds } = options;
  const encoder = new Encoder();
  const write = (mesgNum: number, mesg: Record<string, unknown>) => encoder.onMesg(mesgNum, mesg as never);
  // Global message numbers of the FIT profile (Profile.MesgNum).
  const M = { FILE_ID: 0, SESSION: 18, LAP: 19, RECORD: 20, EVENT: 21, ACTIVITY: 34 };
  write(M.FILE_ID, { type: 'activity', manufacturer: 'garmin', product: 3113, timeCreated: start, serialNumber: 1234 });
  write(M.EVENT, { timestamp: start, event: 'timer', eventType: 'start' });
  const speed = 3.2;
  let distance = 0;
  const expectedLaps: FitExpectation['laps'] = [];
  let records = 0;
  for (let lap = 0; lap < laps; lap++) {
    const lapStart = new Date(start.getTime() + lap * lapSeconds * 1000);
    const lapDistanceStart = distance;
    for (let s = 0; s < lapSeconds; s++) {
      const at = new Date(lapStart.getTime() + s * 1000);
      if (!(lap === 0 && s === 0)) distance += speed;
      write(M.RECORD, { timestamp: at, heartRate: 140 + (s % 20), speed, cadence: 85, power: 250, distance });
      records += 1;
    }
    const lapEnd = new Date(lapStart.getTime() + lapSeconds * 1000);
    write(M.LAP, {
      timestamp: lapEnd,
      startTime: lapStart,
      totalElapsedTime: lapSeconds,
      totalTimerTime: lapSeconds,
      totalDistance: distance - lapDistanceStart,
      totalCalories: 60,
      avgHeartRate: 149,
      maxHeartRate: 159,
    });
    expectedLaps.push({ startAt: lapStart, seconds: lapSeconds, distance: distance - lapDistanceStart });
  }
  const endAt = new Date(start.getTime() + laps * lapSeconds * 1000);
  write(M.EVENT, { timestamp: endAt, event: 'timer', eventType: 'stopAll' });
  write(M.SESSION, {
    timestamp: endAt,
    startTime: start,
    totalElapsedTime: laps * lapSeconds,
    totalTimerTime: laps * lapSeconds,
    totalDistance: distance,
    totalCalories: 60 * laps,
    avgHeartRate: 149,
    maxHeartRate: 159,
    sport: 'running',
    subSport: 'generic',
    firstLapIndex: 0,
    numLaps: laps,
  });
  write(M.ACTIVITY, { timestamp: endAt, numSessions: 1, type: 'manual', event: 'activity', eventType: 'stop' });
  return { bytes: encoder.close(), expected: { startAt: start, endAt, laps: expectedLaps, records, heartRates: records, distance } };
}

/** A GPX 1.1 track of `points` points 10 s and about 30 m apart, with Garmin's heart-rate extension. */
export function gpxTrack(start: Date, points: number, creator = 'StravaGPX'): string {
  const rows = Array.from({ length: points }, (_, i) => {
    const at = new Date(start.getTime() + i * 10_000).toISOString();
    return `<trkpt lat="${(47.0 + i * 0.00027).toFixed(6)}" lon="8.000000"><ele>${400 + (i % 5)}</ele><time>${at}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>${130 + i}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="${creator}" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
<metadata><time>${start.toISOString()}</time></metadata>
<trk><name>Morning Run</name><type>running</type><trkseg>
${rows.join('\n')}
</trkseg></trk>
</gpx>
`;
}

/** A TCX activity of two laps of `perLap` trackpoints 5 s apart, 15 m apart, with heart rate. */
export function tcxActivity(start: Date, perLap: number): string {
  let distance = 0;
  const laps = [0, 1].map((lap) => {
    const lapStart = new Date(start.getTime() + lap * perLap * 5000);
    const lapDistance = distance;
    const points = Array.from({ length: perLap }, (_, i) => {
      const at = new Date(lapStart.getTime() + i * 5000).toISOString();
      if (lap > 0 || i > 0) distance += 15;
      return `<Trackpoint><Time>${at}</Time><AltitudeMeters>${300 + i}</AltitudeMeters><DistanceMeters>${distance}</DistanceMeters><HeartRateBpm><Value>${120 + i}</Value></HeartRateBpm></Trackpoint>`;
    });
    return `<Lap StartTime="${lapStart.toISOString()}"><TotalTimeSeconds>${perLap * 5}</TotalTimeSeconds><DistanceMeters>${distance - lapDistance}</DistanceMeters><Calories>40</Calories><AverageHeartRateBpm><Value>130</Value></AverageHeartRateBpm><MaximumHeartRateBpm><Value>150</Value></MaximumHeartRateBpm><Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod><Track>${points.join('')}</Track></Lap>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Activities><Activity Sport="Running"><Id>${start.toISOString()}</Id>${laps.join('')}<Creator xsi:type="Device_t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Name>Polar Vantage V2</Name></Creator></Activity></Activities>
</TrainingCenterDatabase>
`;
}
