import type { ServiceContext } from '../../context.js';
import type { SqlSession } from '../../db/client.js';
import type { WaterLog } from '../../generated/prisma/client.js';
import { emit } from '../../domain-events/emit.js';
import { ingestSamples } from '../../health/ingest.js';
import { deleteSamplesByExternalId } from '../../health/delete-samples.js';
import { requireMetricType } from '../../health/metric-types.js';
import { convertToCanonical } from '../../health/units.js';
import { Invalid, NotFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Page, PageArgs } from '../../lib/pagination.js';
import { getUser } from '../../users/users.js';
import { listByLocalDate, type LocalDateFilter } from '../log-list.js';
import { dateColumn, dayOf, loggedAt, WELLNESS_SOURCE } from '../logged-at.js';
import { BEVERAGES, MAX_LOG_ML, WATER_UNITS, type Beverage, type WaterUnit } from './beverages.js';

export interface WaterLogInput {
  amount: number;
  unit?: WaterUnit | null;
  beverage?: Beverage | null;
  at?: Date | null;
  note?: string | null;
}

export const MAX_NOTE = 500;
/** The smallest amount in any unit (1 ml in litres): a log of nothing is no log. */
export const MIN_AMOUNT = 0.001;

/** A water log as GET returns it (and its events carry). */
export interface WaterLogView {
  id: string;
  userId: string;
  at: string;
  localDate: string;
  amount: number;
  unit: string;
  volumeMl: number;
  beverage: string;
  hydrationFactor: number;
  hydrationMl: number;
  note: string | null;
  createdAt: string;
}

export function waterLogView(log: WaterLog): WaterLogView {
  return {
    id: log.id,
    userId: log.userId,
    at: log.at.toISOString(),
    localDate: dayOf(log.localDate),
    amount: log.amount,
    unit: log.unit,
    volumeMl: log.volumeMl,
    beverage: log.beverage,
    hydrationFactor: log.hydrationFactor,
    hydrationMl: log.hydrationMl,
    note: log.note,
    createdAt: log.createdAt.toISOString(),
  };
}

/** A row as raw SQL returns it: the date column as text (to_char), so no driver reads it in its own zone. */
function fromRow(row: WaterLog): WaterLog {
  return { ...row, at: new Date(row.at), localDate: dateColumn(String(row.localDate)), createdAt: new Date(row.createdAt) };
}

function checkInput(input: WaterLogInput): { unit: WaterUnit; beverage: Beverage; volumeMl: number; note: string | null } {
  const unit = input.unit ?? 'ml';
  if (!(unit in WATER_UNITS)) throw new Invalid(`unit must be one of ${Object.keys(WATER_UNITS).join(', ')}`);
  const beverage = input.beverage ?? 'water';
  if (!(beverage in BEVERAGES)) throw new Invalid(`beverage must be one of ${Object.keys(BEVERAGES).join(', ')}`);
  if (!Number.isFinite(input.amount) || input.amount < MIN_AMOUNT)
    throw new Invalid(`amount must be a number from ${MIN_AMOUNT} to ${MAX_LOG_ML}`);
  const volumeMl = convertToCanonical(requireMetricType('water'), input.amount, WATER_UNITS[unit]);
  if (volumeMl > MAX_LOG_ML)
    throw new Invalid(`amount must be at most ${MAX_LOG_ML} ml in one log (${input.amount} ${unit} is ${Math.round(volumeMl)} ml)`);
  const note = input.note?.trim() || null;
  if (note && [...note].length > MAX_NOTE) throw new Invalid(`note must be at most ${MAX_NOTE} characters`);
  return { unit, beverage, volumeMl, note };
}

const RETURNED = `id, "workspaceId", "userId", at, to_char("localDate", 'YYYY-MM-DD') AS "localDate", amount, unit, "volumeMl", beverage,
  "hydrationFactor", "hydrationMl", note, "createdAt"`;
const INSERT_SQL = `INSERT INTO "WaterLog" (id, "workspaceId", "userId", at, "localDate", amount, unit, "volumeMl", beverage, "hydrationFactor", "hydrationMl", note)
  VALUES ($1, $2, $3, $4::timestamptz, $5::date, $6, $7, $8, $9, $10, $11, $12)
  RETURNING ${RETURNED}`;

/**
 * Logs a drink: the log row and its one `water` sample (hydrationMl, source vitasync, device and externalId the
 * log's id, so two drinks at one instant are two samples) in one transaction through the ingestion service, with
 * water_log.created. A drink with factor 0 writes no sample.
 */
export async function createWaterLog(ctx: ServiceContext, userId: string, input: WaterLogInput): Promise<WaterLogView> {
  const user = await getUser(ctx, userId);
  const { unit, beverage, volumeMl, note } = checkInput(input);
  const { at, localDate } = loggedAt(input.at, ctx.clock.now(), user.timezone);
  const id = newId();
  const hydrationFactor = BEVERAGES[beverage];
  const hydrationMl = volumeMl * hydrationFactor;
  let view: WaterLogView | undefined;
  const sample = { metricType: 'water', value: hydrationMl, recordedAt: at, device: id, externalId: id };
  await ingestSamples(ctx, user.id, hydrationMl > 0 ? [sample] : [], { source: WELLNESS_SOURCE }, async (tx: SqlSession) => {
    const params = [
      id,
      ctx.workspaceId,
      user.id,
      at.toISOString(),
      localDate,
      input.amount,
      unit,
      volumeMl,
      beverage,
      hydrationFactor,
      hydrationMl,
      note,
    ];
    const [row] = await tx.query<WaterLog>(INSERT_SQL, params);
    view = waterLogView(fromRow(row!));
    return [{ workspaceId: ctx.workspaceId, type: 'water_log.created', payload: view, occurredAt: ctx.clock.now() }];
  });
  return view!;
}

export function listWaterLogs(ctx: ServiceContext, userId: string, filter: LocalDateFilter, args: PageArgs): Promise<Page<WaterLogView>> {
  return listByLocalDate(ctx, userId, filter, args, {
    list: 'water-logs',
    count: (where) => ctx.db.waterLog.count({ where }),
    find: (query) => ctx.db.waterLog.findMany(query),
    view: waterLogView,
  });
}

/** Deletes a log and exactly its sample (by its external id), with the rollups summed from it, and water_log.deleted. */
export async function deleteWaterLog(ctx: ServiceContext, userId: string, logId: string): Promise<WaterLogView> {
  const user = await getUser(ctx, userId);
  // A raw SQL session, as the ingestion: the merged-day refresh takes an advisory lock Prisma's raw queries cannot return.
  return ctx.sql.transaction(async (tx) => {
    const [row] = await tx.query<WaterLog>(
      `DELETE FROM "WaterLog" WHERE id = $1 AND "userId" = $2 AND "workspaceId" = $3 RETURNING ${RETURNED}`,
      [logId, user.id, ctx.workspaceId],
    );
    if (!row) throw new NotFound(`water log ${logId} not found`);
    await deleteSamplesByExternalId(tx, user.id, WELLNESS_SOURCE, [row.id]);
    const view = waterLogView(fromRow(row));
    await emit(tx, { workspaceId: ctx.workspaceId, type: 'water_log.deleted', payload: view, occurredAt: ctx.clock.now() });
    return view;
  });
}
