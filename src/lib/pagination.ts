import { BadRequest } from './errors.js';
import { signToken, verifyToken } from './signing.js';

/**
 * The one pagination helper. Every list answers either an offset page (limit + offset → total) or a
 * keyset page (limit + cursor → nextCursor). Cursors are opaque, signed and bound to the list they came from,
 * so a forged or foreign cursor is a 400, never a surprise page or a 500.
 */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export interface PageArgs {
  limit?: number | null;
  offset?: number | null;
  cursor?: string | null;
}

export interface Page<T> {
  data: T[];
  limit: number;
  /** Offset pages only: rows in the whole list. */
  total: number | null;
  /** Offset pages only. */
  offset: number | null;
  /** Opaque cursor of the next keyset page; null on the last page. */
  nextCursor: string | null;
}

export type Key = (string | number)[];

export interface PageSource<T> {
  /** Names the list, so a cursor of one list is refused by another. */
  list: string;
  count(): Promise<number>;
  /** Rows in key order, skipping `skip` rows or starting strictly after `after`. */
  fetch(window: { take: number; skip: number; after: Key | null }): Promise<T[]>;
  keyOf(row: T): Key;
  /** An offset page's rows and total in one round trip, where the list can (else `fetch` and `count` run side by side). */
  fetchWithTotal?(window: { take: number; skip: number }): Promise<{ rows: T[]; total: number }>;
}

export function encodeCursor(list: string, key: Key): string {
  return signToken('cursor', [list, key]);
}

export function decodeCursor(list: string, cursor: string): Key {
  const decoded = verifyToken('cursor', cursor);
  if (!Array.isArray(decoded) || decoded[0] !== list || !Array.isArray(decoded[1])) {
    throw new BadRequest('cursor is not valid: pass the nextCursor of a previous page of this list unchanged');
  }
  return decoded[1] as Key;
}

export function validatePageArgs(args: PageArgs): { limit: number; offset: number | null; cursor: string | null } {
  const limit = args.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new BadRequest(`limit must be an integer from 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})`);
  }
  if (args.offset != null && args.cursor != null) throw new BadRequest('pass either offset or cursor, not both');
  if (args.offset != null && (!Number.isInteger(args.offset) || args.offset < 0)) {
    throw new BadRequest('offset must be an integer ≥ 0');
  }
  return { limit, offset: args.cursor != null ? null : (args.offset ?? 0), cursor: args.cursor ?? null };
}

export async function paginate<T>(args: PageArgs, source: PageSource<T>): Promise<Page<T>> {
  const { limit, offset, cursor } = validatePageArgs(args);
  const after = cursor === null ? null : decodeCursor(source.list, cursor);
  // One row more than asked tells whether a next page exists without a second query.
  const [rows, total] =
    offset !== null && source.fetchWithTotal
      ? await source.fetchWithTotal({ take: limit + 1, skip: offset }).then(({ rows, total }) => [rows, total] as const)
      : await Promise.all([
          source.fetch({ take: limit + 1, skip: offset ?? 0, after }),
          offset === null ? Promise.resolve(null) : source.count(),
        ]);
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(source.list, source.keyOf(last)) : null;
  return { data, limit, total, offset, nextCursor };
}

/** findMany arguments for one window of a list ordered by id (ULIDs sort by creation time). */
export function idOrderedWindow<Where extends object>(where: Where, window: { take: number; skip: number; after: Key | null }) {
  return {
    where: window.after ? { AND: [where, { id: { gt: String(window.after[0]) } }] } : where,
    orderBy: { id: 'asc' as const },
    take: window.take,
    skip: window.after ? 0 : window.skip,
  };
}

/** A page over a list already in memory (small registries such as providers). */
export function paginateArray<T>(args: PageArgs, list: string, items: T[], keyOf: (item: T) => string): Promise<Page<T>> {
  return paginate(args, {
    list,
    count: async () => items.length,
    keyOf: (item) => [keyOf(item)],
    fetch: async ({ take, skip, after }) => {
      const start = after ? items.findIndex((item) => keyOf(item) > String(after[0])) : skip;
      return start < 0 ? [] : items.slice(start, start + take);
    },
  });
}
