import type { ServiceContext } from '../context.js';
import { readOnce } from '../lib/read-memo.js';

/**
 * When several sources report the same metric for the same bucket, reads use one of them: the first of the
 * workspace's sourcePriority that has data, else the alphabetically first. Raw sample reads return every source.
 * SQL fragment: rank of `source` given the priority array as a parameter (lower is preferred).
 */
export function sourceRankSql(prioritiesParam: string): string {
  return `coalesce(array_position(${prioritiesParam}::text[], source), 2147483647)`;
}

/** Raw SQL, so readers that hold only a SQL session (domain event consumers) use the same priority. */
export async function sourcePriority(
  ctx: Pick<ServiceContext, 'workspaceId' | 'reads'> & { sql: Pick<ServiceContext['sql'], 'query'> },
): Promise<string[]> {
  const [workspace] = await readOnce(ctx, 'sourcePriority', () =>
    ctx.sql.query<{ sourcePriority: string[] }>('SELECT "sourcePriority" FROM "Workspace" WHERE id = $1', [ctx.workspaceId]),
  );
  return workspace?.sourcePriority ?? [];
}

/** Sources in the order of the workspace's priority, then by name. */
export function byPriority(sources: Iterable<string>, priorities: string[]): string[] {
  const rank = (source: string) => (priorities.includes(source) ? priorities.indexOf(source) : priorities.length);
  return [...new Set(sources)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
