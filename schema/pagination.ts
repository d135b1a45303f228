import type { ObjectRef } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { rule } from '../src/lib/input-rules.js';
import { DEFAULT_LIMIT, MAX_LIMIT, type Page } from '../src/lib/pagination.js';
import { builder } from './builder.js';

/** The arguments every list field takes, both pagination styles. */
export const pageArgs = builder.args((t) => ({
  limit: t.int({
    description: `Page size, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`,
    ...rule({ minimum: 1, maximum: MAX_LIMIT, status: 400 }),
  }),
  offset: t.int({ description: 'Offset pagination: rows to skip (the page then carries total).', ...rule({ minimum: 0, status: 400 }) }),
  cursor: t.string({ description: 'Cursor pagination: the nextCursor of the previous page.' }),
}));

/** The page type of a list: `data` plus offset fields (`total`, `offset`) or the keyset `nextCursor`. */
export function pageType<T>(name: string, item: ObjectRef<any, T> | string, description: string) {
  return builder.objectRef<Page<T>>(name).implement({
    description,
    fields: (t) => ({
      data: t.field({ type: [item as ObjectRef<any, T>], resolve: (page) => page.data }),
      limit: t.exposeInt('limit'),
      total: t.exposeInt('total', { nullable: true, description: 'Rows in the whole list (offset pages only).' }),
      offset: t.exposeInt('offset', { nullable: true, description: 'Offset of this page (offset pages only).' }),
      nextCursor: t.exposeString('nextCursor', { nullable: true, description: 'Cursor of the next page; null on the last page.' }),
    }),
  });
}

/**
 * The Prisma include/select that the selected `data` items of a page need, so a page of rows arrives with the
 * relations the client asked for in the same query (the Prisma plugin's way of avoiding N+1).
 */
export function pageItemsQuery(ctx: object, info: GraphQLResolveInfo, typeName: string) {
  return queryFromInfo({ context: ctx, info, typeName, path: ['data'] }) as { include?: object; select?: object };
}
