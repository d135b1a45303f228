import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../src/lib/errors.js';
import { decodeCursor, encodeCursor, MAX_LIMIT, paginateArray, validatePageArgs, type Page } from '../../src/lib/pagination.js';

describe('pagination', () => {
  it('round-trips a cursor for the list it was made for', () => {
    const cursor = encodeCursor('users:w1', ['01ARZ3NDEKTSV4RRFFQ69G5FAV', 42]);
    expect(decodeCursor('users:w1', cursor)).toEqual(['01ARZ3NDEKTSV4RRFFQ69G5FAV', 42]);
  });

  it('refuses a cursor of another list, a changed cursor and garbage with a 400', () => {
    const cursor = encodeCursor('users:w1', ['A']);
    const [payload, mac] = cursor.split('.') as [string, string];
    const tampered = Buffer.from(JSON.stringify(['users:w1', ['B']])).toString('base64url') + '.' + mac;
    for (const bad of [tampered, `${payload}.${mac.slice(1)}`, 'x', '', '..', `${payload}.${mac}.x`]) {
      expect(() => decodeCursor('users:w1', bad), bad).toThrow(BadRequest);
    }
    expect(() => decodeCursor('users:w2', cursor)).toThrow(BadRequest);
  });

  it('validates limit and offset and refuses offset with cursor', () => {
    expect(validatePageArgs({})).toEqual({ limit: 50, offset: 0, cursor: null });
    expect(validatePageArgs({ limit: MAX_LIMIT, cursor: 'c' })).toEqual({ limit: MAX_LIMIT, offset: null, cursor: 'c' });
    for (const args of [{ limit: 0 }, { limit: MAX_LIMIT + 1 }, { limit: 1.5 }, { offset: -1 }, { offset: 0, cursor: 'c' }]) {
      expect(() => validatePageArgs(args), JSON.stringify(args)).toThrow(BadRequest);
    }
  });

  it('walks a list with cursors without skipping or repeating, and offset pages carry the total', async () => {
    const items = Array.from({ length: 23 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<string> = await paginateArray({ limit: 5, cursor }, 'items', items, (item) => item);
      // The first page is an offset page (offset 0); the ones reached by cursor are keyset pages.
      expect(page.total).toBe(cursor === null ? 23 : null);
      seen.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(items);
    const offsetPage = await paginateArray({ limit: 5, offset: 20 }, 'items', items, (item) => item);
    expect(offsetPage).toMatchObject({ total: 23, offset: 20, limit: 5, nextCursor: null });
    expect(offsetPage.data).toEqual(items.slice(20));
  });
});
