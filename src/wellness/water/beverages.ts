/**
 * Beverages and the share of their volume that counts as water intake (the hydration factor).
 *
 * Maughan et al. 2016 (Am J Clin Nutr 103:717–723, the beverage hydration index) found no drink of everyday
 * strength retained less water than still water over 2 hours: sparkling water, tea, coffee, cola, sports drink and
 * 4 % lager scored like water; milk, orange juice and oral rehydration solution scored higher. A higher score is
 * better retention, not more water drunk, so those count at their volume (factor 1): a log never counts for more
 * than it holds. Wine and spirits were not tested; alcohol makes the kidneys pass about 10 ml of urine per gram
 * (Eggleton 1942, J Physiol 101:172–191), which takes back about the water of a glass of wine (12 % vol: ~95 g of
 * alcohol and ~880 ml of water a litre), so they count 0.
 */
export const BEVERAGES = {
  water: 1,
  sparkling_water: 1,
  tea: 1,
  coffee: 1,
  milk: 1,
  juice: 1,
  soft_drink: 1,
  sports_drink: 1,
  beer: 1,
  wine: 0,
  spirits: 0,
  other: 1,
} as const satisfies Record<string, number>;

export type Beverage = keyof typeof BEVERAGES;
export const BEVERAGE_IDS = Object.keys(BEVERAGES) as Beverage[];

/**
 * Units a log's amount may be in, with the spelling of src/health/units.ts they convert by: fl_oz is the US fluid
 * ounce (29.5735295625 ml) and cup the US customary cup (8 US fl oz, 236.5882365 ml), as on US labels and HealthKit.
 */
export const WATER_UNITS = { ml: 'mL', l: 'L', fl_oz: 'fl_oz_us', cup: 'cup_us' } as const;
export type WaterUnit = keyof typeof WATER_UNITS;
export const WATER_UNIT_IDS = Object.keys(WATER_UNITS) as WaterUnit[];

/** The largest single log: 5 litres, far beyond a drink (the water metric allows 20 litres a day). */
export const MAX_LOG_ML = 5000;
/**
 * The daily goal when neither the request nor a daily goal on `water` gives one: 2,000 ml, EFSA's adequate total
 * water intake for adult women (EFSA NDA Panel 2010, EFSA Journal 8(3):1459: 2.0 l/day women, 2.5 l/day men).
 */
export const DEFAULT_WATER_GOAL_ML = 2000;
