import type { ServiceContext } from '../../context.js';
import type { SqlSession } from '../../db/client.js';
import type { Meal } from '../../generated/prisma/client.js';
import { ingestSamples } from '../../health/ingest.js';
import { requireMetricType } from '../../health/metric-types.js';
import { Invalid } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Page, PageArgs } from '../../lib/pagination.js';
import { getUser } from '../../users/users.js';
import { listByLocalDate, type LocalDateFilter } from '../log-list.js';
import { dateColumn, dayOf, loggedAt, WELLNESS_SOURCE } from '../logged-at.js';
import { NUTRIENTS, type NutrientValues } from './nutrients.js';

export const MEAL_TYPES = ['breakfast', 'lunch', 'dinner', 'snack'] as const;
export type MealType = (typeof MEAL_TYPES)[number];
export const MAX_FOODS = 50;
export const MAX_FOOD_NAME = 200;
export const MAX_PORTION = 100;
export const MAX_MEAL_NOTE = 500;

export interface Food {
  name: string;
  portion?: string | null;
}

export interface MealInput extends NutrientValues {
  mealType: MealType;
  at?: Date | null;
  foods?: readonly Food[] | null;
  note?: string | null;
}

/** A meal as GET returns it (and its events carry); nutrients null when not given. */
export interface MealView extends Required<{ [K in keyof NutrientValues]: number | null }> {
  id: string;
  userId: string;
  mealType: string;
  at: string;
  localDate: string;
  foods: { name: string; portion: string | null }[];
  note: string | null;
  createdAt: string;
}

export function mealView(meal: Meal): MealView {
  return {
    id: meal.id,
    userId: meal.userId,
    mealType: meal.mealType,
    at: meal.at.toISOString(),
    localDate: dayOf(meal.localDate),
    foods: meal.foods as MealView['foods'],
    note: meal.note,
    energy: meal.energy,
    protein: meal.protein,
    carbohydrates: meal.carbohydrates,
    fat: meal.fat,
    fiber: meal.fiber,
    sugar: meal.sugar,
    sodium: meal.sodium,
    createdAt: meal.createdAt.toISOString(),
  };
}

function checkFoods(foods: readonly Food[]): MealView['foods'] {
  if (foods.length > MAX_FOODS) throw new Invalid(`foods must hold at most ${MAX_FOODS} items`);
  return foods.map((food, index) => {
    const name = food.name.trim();
    if (!name || [...name].length > MAX_FOOD_NAME) throw new Invalid(`foods[${index}].name must be 1 to ${MAX_FOOD_NAME} characters`);
    const portion = food.portion?.trim() || null;
    if (portion && [...portion].length > MAX_PORTION)
      throw new Invalid(`foods[${index}].portion must be at most ${MAX_PORTION} characters`);
    return { name, portion };
  });
}

/** Each nutrient within its metric type's range (a day's at most); sugars are part of the carbohydrates. */
function checkNutrients(input: NutrientValues): void {
  for (const { field, metricType, unit } of NUTRIENTS) {
    const value = input[field];
    if (value == null) continue;
    const { max } = requireMetricType(metricType).range;
    if (!Number.isFinite(value) || value < 0 || value > max) throw new Invalid(`${field} must be a number of ${unit} from 0 to ${max}`);
  }
  if (input.sugar != null && input.carbohydrates != null && input.sugar > input.carbohydrates) {
    throw new Invalid('sugar must not exceed carbohydrates (carbohydrates include sugars)');
  }
}

const COLUMNS = `id, "workspaceId", "userId", "mealType", at, to_char("localDate", 'YYYY-MM-DD') AS "localDate", foods, note, energy, protein,
  carbohydrates, fat, fiber, sugar, sodium, "createdAt"`;
const INSERT_SQL = `INSERT INTO "Meal" (id, "workspaceId", "userId", "mealType", at, "localDate", foods, note, energy, protein, carbohydrates, fat, fiber, sugar, sodium)
  VALUES ($1, $2, $3, $4, $5::timestamptz, $6::date, $7::jsonb, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING ${COLUMNS}`;

/**
 * Logs a meal: the meal row and one sample per nutrient given (its metric type, source vitasync, device and
 * externalId the meal's id) in one transaction through the ingestion service, with meal.created.
 */
export async function createMeal(ctx: ServiceContext, userId: string, input: MealInput): Promise<MealView> {
  const user = await getUser(ctx, userId);
  if (!(MEAL_TYPES as readonly string[]).includes(input.mealType)) throw new Invalid(`mealType must be one of ${MEAL_TYPES.join(', ')}`);
  const foods = checkFoods(input.foods ?? []);
  checkNutrients(input);
  const given = NUTRIENTS.filter((nutrient) => input[nutrient.field] != null);
  if (!given.length && !foods.length)
    throw new Invalid('a meal needs at least one food or one nutrient (energy, protein, carbohydrates, fat, fiber, sugar, sodium)');
  const note = input.note?.trim() || null;
  if (note && [...note].length > MAX_MEAL_NOTE) throw new Invalid(`note must be at most ${MAX_MEAL_NOTE} characters`);
  const { at, localDate } = loggedAt(input.at, ctx.clock.now(), user.timezone);
  const id = newId();
  const samples = given.map(({ field, metricType }) => ({ metricType, value: input[field]!, recordedAt: at, device: id, externalId: id }));
  let view: MealView | undefined;
  await ingestSamples(ctx, user.id, samples, { source: WELLNESS_SOURCE }, async (tx: SqlSession) => {
    const values = NUTRIENTS.map(({ field }) => input[field] ?? null);
    const params = [id, ctx.workspaceId, user.id, input.mealType, at.toISOString(), localDate, JSON.stringify(foods), note, ...values];
    const [row] = await tx.query<Meal>(INSERT_SQL, params);
    view = mealView({ ...row!, at: new Date(row!.at), localDate: dateColumn(String(row!.localDate)), createdAt: new Date(row!.createdAt) });
    return [{ workspaceId: ctx.workspaceId, type: 'meal.created', payload: view, occurredAt: ctx.clock.now() }];
  });
  return view!;
}

export function listMeals(ctx: ServiceContext, userId: string, filter: LocalDateFilter, args: PageArgs): Promise<Page<MealView>> {
  return listByLocalDate(ctx, userId, filter, args, {
    list: 'meals',
    count: (where) => ctx.db.meal.count({ where }),
    find: (query) => ctx.db.meal.findMany(query),
    view: mealView,
  });
}
