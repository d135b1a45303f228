/**
 * The nutrients of a meal, each the value of one nutrition metric type (src/health/metric-types.ts, same unit), with
 * its default daily target. Defaults: the reference intakes of an average adult of Regulation (EU) No 1169/2011,
 * Annex XIII Part B (energy 2000 kcal, fat 70 g, carbohydrate 260 g, sugars 90 g, protein 50 g, salt 6 g: sodium
 * = salt / 2.5 by its Annex I, so 2400 mg), and for fibre EFSA's adequate intake for adults (EFSA NDA Panel 2010,
 * EFSA Journal 8(3):1462: 25 g/day). Sugars and sodium are limits (at_most), fibre a floor (at_least), the rest
 * reference amounts (met once reached, as a floor).
 */
export const NUTRIENTS = [
  { field: 'energy', metricType: 'dietary_energy', unit: 'kcal', target: 2000, direction: 'reference' },
  { field: 'protein', metricType: 'protein', unit: 'g', target: 50, direction: 'reference' },
  { field: 'carbohydrates', metricType: 'carbohydrates', unit: 'g', target: 260, direction: 'reference' },
  { field: 'fat', metricType: 'dietary_fat', unit: 'g', target: 70, direction: 'reference' },
  { field: 'fiber', metricType: 'fiber', unit: 'g', target: 25, direction: 'at_least' },
  { field: 'sugar', metricType: 'sugar', unit: 'g', target: 90, direction: 'at_most' },
  { field: 'sodium', metricType: 'sodium', unit: 'mg', target: 2400, direction: 'at_most' },
] as const;

export type Nutrient = (typeof NUTRIENTS)[number];
export type NutrientField = Nutrient['field'];
export type TargetDirection = Nutrient['direction'];
export const NUTRIENT_FIELDS = NUTRIENTS.map((nutrient) => nutrient.field);
export const NUTRIENT_METRICS = NUTRIENTS.map((nutrient) => nutrient.metricType);

/** A meal's nutrients as given: any subset. */
export type NutrientValues = Partial<Record<NutrientField, number | null>>;
