import { requireMetricType } from '../src/health/metric-types.js';
import { NOT_BLANK, rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import {
  createMeal,
  listMeals,
  MAX_FOOD_NAME,
  MAX_FOODS,
  MAX_MEAL_NOTE,
  MAX_PORTION,
  MEAL_TYPES,
  type MealView,
} from '../src/wellness/nutrition/meals.js';
import { NUTRIENTS, type NutrientField } from '../src/wellness/nutrition/nutrients.js';
import {
  nutritionDay,
  nutritionWeek,
  type NutrientAverage,
  type NutrientTotal,
  type NutritionDay,
  type NutritionWeek,
  type NutritionWeekDay,
} from '../src/wellness/nutrition/nutrition-summary.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';
import { TargetSourceEnum } from './wellness-targets.js';

const DAY_RULE = rule({ format: 'date', status: 400 });
const DEFAULTS = NUTRIENTS.map(({ field, target, unit }) => `${field} ${target} ${unit}`).join(', ');
const TARGET_WORDS =
  `Daily targets: the *Target parameters, else the user’s active daily goal on the nutrient’s metric type, else the defaults (${DEFAULTS}): ` +
  'the EU reference intakes of an average adult (Regulation (EU) No 1169/2011 Annex XIII Part B; sodium = 6 g salt / 2.5) and EFSA’s adequate ' +
  'intake of fibre (EFSA Journal 2010;8(3):1462). sugar and sodium are limits (at_most), fiber a floor (at_least), the rest reference amounts.';

const MealTypeEnum = builder.enumType('MealType', { description: 'breakfast, lunch, dinner or snack.', values: MEAL_TYPES });
const DirectionEnum = builder.enumType('NutrientTargetDirection', {
  description: 'reference: an amount to reach (met once reached); at_least: a floor; at_most: a limit (met while not passed).',
  values: ['reference', 'at_least', 'at_most'] as const,
});

const FoodType = builder.objectRef<MealView['foods'][number]>('MealFood').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    portion: t.exposeString('portion', { nullable: true, description: 'As the user wrote it ("1 cup", "120 g").' }),
  }),
});
const FoodInput = builder.inputType('MealFoodInput', {
  fields: (t) => ({
    name: t.string({ required: true, ...rule({ minLength: 1, maxLength: MAX_FOOD_NAME, ...NOT_BLANK }) }),
    portion: t.string({ ...rule({ maxLength: MAX_PORTION }) }),
  }),
});

const nutrientWords = (field: NutrientField) => {
  const nutrient = NUTRIENTS.find((entry) => entry.field === field)!;
  return `${nutrient.unit}, as metric type ${nutrient.metricType}${field === 'carbohydrates' ? ' (including sugars and fibre)' : ''}`;
};

const MealType = builder.objectRef<MealView>('Meal').implement({
  description:
    'A logged meal. Its nutrients are stored once, as samples of the nutrition metric types (source vitasync, externalId the meal id), so health routes show them and a meal an app also pushed counts once.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    mealType: t.field({ type: MealTypeEnum, resolve: (meal) => meal.mealType as (typeof MEAL_TYPES)[number] }),
    at: t.field({ type: 'DateTime', resolve: (meal) => new Date(meal.at) }),
    localDate: t.exposeString('localDate', { description: 'The user’s local day at `at`, in the zone the user had when it was logged.' }),
    foods: t.field({ type: [FoodType], resolve: (meal) => meal.foods }),
    note: t.exposeString('note', { nullable: true }),
    energy: t.exposeFloat('energy', { nullable: true, description: nutrientWords('energy') }),
    protein: t.exposeFloat('protein', { nullable: true, description: nutrientWords('protein') }),
    carbohydrates: t.exposeFloat('carbohydrates', { nullable: true, description: nutrientWords('carbohydrates') }),
    fat: t.exposeFloat('fat', { nullable: true, description: nutrientWords('fat') }),
    fiber: t.exposeFloat('fiber', { nullable: true, description: nutrientWords('fiber') }),
    sugar: t.exposeFloat('sugar', { nullable: true, description: nutrientWords('sugar') }),
    sodium: t.exposeFloat('sodium', { nullable: true, description: nutrientWords('sodium') }),
    createdAt: t.field({ type: 'DateTime', resolve: (meal) => new Date(meal.createdAt) }),
  }),
});
const MealPage = pageType('MealPage', MealType, 'A page of meals in time order.');

const NutrientTotalType = builder.objectRef<NutrientTotal>('NutrientTotal').implement({
  description: 'One nutrient’s day against its target.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The meal field: energy, protein, carbohydrates, fat, fiber, sugar, sodium.' }),
    metricType: t.exposeString('metricType'),
    unit: t.exposeString('unit'),
    total: t.exposeFloat('total', {
      description:
        'The merged metric of the local day in the user’s current zone (every source, each quarter hour from the highest-priority one, as GET …/health/daily-summaries): a meal logged here and pushed by an app counts once. 0 without data.',
    }),
    target: t.exposeFloat('target'),
    targetSource: t.field({ type: TargetSourceEnum, resolve: (entry) => entry.targetSource }),
    goalId: t.exposeString('goalId', { nullable: true }),
    direction: t.field({ type: DirectionEnum, resolve: (entry) => entry.direction }),
    percent: t.exposeFloat('percent', { description: 'total / target × 100, one decimal.' }),
    met: t.exposeBoolean('met', { description: 'reference and at_least: total ≥ target; at_most: total ≤ target.' }),
    sources: t.exposeStringList('sources'),
    samples: t.exposeInt('samples'),
  }),
});
const NutritionDayType = builder.objectRef<NutritionDay>('NutritionDay').implement({
  description: 'A local day’s nutrient totals against the daily targets.',
  fields: (t) => ({
    date: t.exposeString('date'),
    timezone: t.exposeString('timezone'),
    meals: t.exposeInt('meals', { description: 'Meals whose localDate is this day.' }),
    nutrients: t.field({ type: [NutrientTotalType], resolve: (day) => day.nutrients }),
  }),
});
const NutrientAverageType = builder.objectRef<NutrientAverage>('NutrientAverage').implement({
  fields: (t) => ({
    field: t.exposeString('field'),
    metricType: t.exposeString('metricType'),
    unit: t.exposeString('unit'),
    total: t.exposeFloat('total', { description: 'The week’s daily totals summed.' }),
    daysWithData: t.exposeInt('daysWithData'),
    averagePerDay: t.exposeFloat('averagePerDay', { nullable: true, description: 'total / daysWithData; null without data.' }),
    target: t.exposeFloat('target'),
    targetSource: t.field({ type: TargetSourceEnum, resolve: (entry) => entry.targetSource }),
    goalId: t.exposeString('goalId', { nullable: true }),
    direction: t.field({ type: DirectionEnum, resolve: (entry) => entry.direction }),
    percentOfTarget: t.exposeFloat('percentOfTarget', { nullable: true, description: 'averagePerDay / target × 100, one decimal.' }),
  }),
});
const NutritionWeekDayType = builder.objectRef<NutritionWeekDay>('NutritionWeekDay').implement({
  description: 'A local day’s merged totals; null where the day has no data for the nutrient.',
  fields: (t) => ({
    date: t.exposeString('date'),
    meals: t.exposeInt('meals'),
    energy: t.exposeFloat('energy', { nullable: true }),
    protein: t.exposeFloat('protein', { nullable: true }),
    carbohydrates: t.exposeFloat('carbohydrates', { nullable: true }),
    fat: t.exposeFloat('fat', { nullable: true }),
    fiber: t.exposeFloat('fiber', { nullable: true }),
    sugar: t.exposeFloat('sugar', { nullable: true }),
    sodium: t.exposeFloat('sodium', { nullable: true }),
  }),
});
const NutritionWeekType = builder.objectRef<NutritionWeek>('NutritionWeek').implement({
  description: 'Seven local days ending `to`: per nutrient the average over the days with data, against the targets of the last day.',
  fields: (t) => ({
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    timezone: t.exposeString('timezone'),
    meals: t.exposeInt('meals'),
    averages: t.field({ type: [NutrientAverageType], resolve: (week) => week.averages }),
    days: t.field({ type: [NutritionWeekDayType], resolve: (week) => week.days }),
  }),
});

const TARGET_RULE = rule({ minimum: 1, maximum: 1e6 });

builder.queryFields((t) => {
  const targetArgs = {
    energyTarget: t.arg.float({ description: 'kcal. ' + TARGET_WORDS, ...TARGET_RULE }),
    proteinTarget: t.arg.float({ description: 'g.', ...TARGET_RULE }),
    carbohydratesTarget: t.arg.float({ description: 'g.', ...TARGET_RULE }),
    fatTarget: t.arg.float({ description: 'g.', ...TARGET_RULE }),
    fiberTarget: t.arg.float({ description: 'g.', ...TARGET_RULE }),
    sugarTarget: t.arg.float({ description: 'g.', ...TARGET_RULE }),
    sodiumTarget: t.arg.float({ description: 'mg.', ...TARGET_RULE }),
  };
  const overrides = (args: Partial<Record<`${NutrientField}Target`, number | null>>) =>
    Object.fromEntries(NUTRIENTS.map(({ field }) => [field, args[`${field}Target`]]));
  return {
    meals: t.field({
      type: MealPage,
      description: 'List a user’s meals in time order, optionally between two local days (inclusive, over localDate).',
      authScopes: { read: true },
      args: {
        userId: t.arg.id({ required: true }),
        from: t.arg.string({ description: 'First local day, YYYY-MM-DD.', ...DAY_RULE }),
        to: t.arg.string({ description: 'Last local day, YYYY-MM-DD.', ...DAY_RULE }),
        ...pageArgs,
      },
      resolve: (_root, { userId, from, to, ...page }, ctx) => listMeals(serviceContext(ctx), String(userId), { from, to }, page),
    }),
    nutritionDaily: t.field({
      type: NutritionDayType,
      description: 'A local day’s nutrient totals (default today in the user’s current zone) against the daily targets. ' + TARGET_WORDS,
      authScopes: { read: true },
      args: {
        userId: t.arg.id({ required: true }),
        date: t.arg.string({ description: 'YYYY-MM-DD, default today.', ...DAY_RULE }),
        ...targetArgs,
      },
      resolve: (_root, { userId, date, ...targets }, ctx) =>
        nutritionDay(serviceContext(ctx), String(userId), { date, ...overrides(targets) }),
    }),
    nutritionWeekly: t.field({
      type: NutritionWeekType,
      description:
        'Seven local days ending `to` (default today): weekly average per nutrient over the days with data, with each day’s totals. ' +
        TARGET_WORDS,
      authScopes: { read: true },
      args: {
        userId: t.arg.id({ required: true }),
        to: t.arg.string({ description: 'Last local day, YYYY-MM-DD (default today).', ...DAY_RULE }),
        ...targetArgs,
      },
      resolve: (_root, { userId, to, ...targets }, ctx) =>
        nutritionWeek(serviceContext(ctx), String(userId), { to, ...overrides(targets) }),
    }),
  };
});

const amountRule = (field: NutrientField) => {
  const { metricType } = NUTRIENTS.find((entry) => entry.field === field)!;
  return rule({ minimum: 0, maximum: requireMetricType(metricType).range.max });
};

builder.mutationFields((t) => ({
  logMeal: t.field({
    type: MealType,
    description:
      'Log a meal with its foods and nutrients: meal.created, and one sample per nutrient given (source vitasync) through the ingestion service.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      mealType: t.arg({ type: MealTypeEnum, required: true }),
      at: t.arg({ type: 'DateTime', description: 'When it was eaten (default now); at most a day ahead of the server’s clock.' }),
      foods: t.arg({ type: [FoodInput], description: `What was eaten, at most ${MAX_FOODS} items. A meal needs a food or a nutrient.` }),
      note: t.arg.string({ ...rule({ maxLength: MAX_MEAL_NOTE }) }),
      energy: t.arg.float({ description: nutrientWords('energy'), ...amountRule('energy') }),
      protein: t.arg.float({ description: nutrientWords('protein'), ...amountRule('protein') }),
      carbohydrates: t.arg.float({ description: nutrientWords('carbohydrates'), ...amountRule('carbohydrates') }),
      fat: t.arg.float({ description: nutrientWords('fat'), ...amountRule('fat') }),
      fiber: t.arg.float({ description: nutrientWords('fiber'), ...amountRule('fiber') }),
      sugar: t.arg.float({ description: nutrientWords('sugar') + '; at most carbohydrates.', ...amountRule('sugar') }),
      sodium: t.arg.float({ description: nutrientWords('sodium'), ...amountRule('sodium') }),
    },
    resolve: (_root, { userId, ...input }, ctx) => createMeal(serviceContext(ctx), String(userId), input),
  }),
}));
