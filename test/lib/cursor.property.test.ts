import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../src/lib/errors.js';
import { decodeCursor, encodeCursor, type Key } from '../../src/lib/pagination.js';
import { thrownBy } from '../helpers/thrown.js';

/** What every refused cursor must raise: the 400 the REST layer turns into `{ statusCode: 400, … }`. */
function expectRefused(list: string, cursor: string): void {
  const error = thrownBy(() => decodeCursor(list, cursor));
  expect(error, JSON.stringify(cursor)).toBeInstanceOf(BadRequest);
  expect((error as BadRequest).status).toBe(400);
}

// Lone surrogates, NULs and any other code unit: list names carry user ids, keys carry whatever a row holds.
const text = fc.string({ unit: 'binary', maxLength: 40 });
// JSON has no -0 (it reads back as 0), and cursor keys are never -0.
const keyPart = fc.oneof(
  text,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => n + 0),
);
const key: fc.Arbitrary<Key> = fc.array(keyPart, { minLength: 1, maxLength: 4 });
const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
const cursorChar = fc.constantFrom(...BASE64URL, '.', '=', '+', '/', ' ', '%', '\u00e9');

/** One edit of a cursor's text: a character replaced, inserted or removed. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: cursorChar }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: cursorChar }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat(), char: fc.constant('') }),
);
function applyEdit(cursor: string, { kind, at, char }: { kind: 'replace' | 'insert' | 'remove'; at: number; char: string }): string {
  const i = at % (cursor.length + (kind === 'insert' ? 1 : 0));
  return cursor.slice(0, i) + char + cursor.slice(kind === 'insert' ? i : i + 1);
}

describe('page cursors', () => {
  it('decode to the key they were made from, for any list name and key', () => {
    fc.assert(
      fc.property(text, key, (list, key) => {
        expect(decodeCursor(list, encodeCursor(list, key))).toEqual(key);
      }),
      { numRuns: 500 },
    );
  });

  it('are refused with a 400 by any other list', () => {
    fc.assert(
      fc.property(text, text, key, (list, other, key) => {
        fc.pre(list !== other);
        expectRefused(other, encodeCursor(list, key));
      }),
      { numRuns: 500 },
    );
  });

  it('refuse any string that is not a cursor the server made with a 400, never another error', () => {
    const anyString = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.base64String(),
      fc.tuple(fc.base64String(), fc.base64String()).map(([a, b]) => `${a}.${b}`.replace(/[+/=]/g, '')),
      // A well-formed payload of this list, with a signature made up.
      fc
        .tuple(key, fc.uint8Array({ minLength: 16, maxLength: 16 }))
        .map(
          ([key, mac]) =>
            `${Buffer.from(JSON.stringify(['users:w1', key])).toString('base64url')}.${Buffer.from(mac).toString('base64url')}`,
        ),
    );
    fc.assert(
      fc.property(anyString, (cursor) => expectRefused('users:w1', cursor)),
      { numRuns: 1000 },
    );
  });

  it('refuse a cursor changed in any one character with a 400', () => {
    fc.assert(
      fc.property(key, edit, (key, change) => {
        const cursor = encodeCursor('users:w1', key);
        const changed = applyEdit(cursor, change);
        fc.pre(changed !== cursor);
        expectRefused('users:w1', changed);
      }),
      { numRuns: 1000 },
    );
  });

  it('take only the exact signature text: not another last character with the same leading bits, nor stray characters', () => {
    // Found by the property above: the signature used to be compared after base64url decoding, which keeps only the
    // leading 2 bits of the 22nd character and skips characters outside the alphabet.
    const cursor = encodeCursor('users:w1', ['01ARZ3NDEKTSV4RRFFQ69G5FAV']);
    const accepted = BASE64URL.map((char) => cursor.slice(0, -1) + char).filter(
      (changed) => thrownBy(() => decodeCursor('users:w1', changed)) === undefined,
    );
    expect(accepted).toEqual([cursor]);
    for (const stray of ['=', '!', ' ', '\n']) expectRefused('users:w1', cursor + stray);
  });
});
