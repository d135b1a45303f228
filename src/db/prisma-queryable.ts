import type { Prisma } from '../generated/prisma/client.js';
import type { SqlSession } from './client.js';

/** What raw-SQL helpers need of a session. */
export type Queryable = Pick<SqlSession, 'query'>;

/** A Prisma interactive transaction as a Queryable, so raw-SQL helpers run inside a transaction Prisma opened. */
export function prismaQueryable(tx: Prisma.TransactionClient): Queryable {
  return { query: <T>(sql: string, params: unknown[] = []) => tx.$queryRawUnsafe<T[]>(sql, ...params) };
}
