import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullableNumberArray, plainArray, textArray } from '../../src/db/array-literal.js';
import { openDatabase, type Database } from '../../src/db/client.js';

/** The literals ingestion builds must read back in PostgreSQL as exactly what was given. */
describe('array literals for the ingestion path', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterAll(() => db?.close());

  const roundTrip = async <T>(literal: string, type: string): Promise<T[]> =>
    (await db.query<{ a: T[] }>(`SELECT $1::${type}[] AS a`, [literal]))[0]!.a;

  it('reads any text (quotes, backslashes, braces, commas, NULL-looking words, unicode) back unchanged', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((value) => !value.includes('\u0000'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.oneof(text, fc.constantFrom('NULL', 'null', '{}', '"', '\\', 'a,b', ' ', '')), { nil: null }), {
          maxLength: 30,
        }),
        async (values) => {
          expect(await roundTrip<string | null>(textArray(values), 'text')).toEqual(values);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads numbers and epoch milliseconds back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 30 }),
        fc.array(fc.option(fc.integer({ min: -2_208_988_800_000, max: 4_102_444_800_000 }), { nil: null }), { maxLength: 30 }),
        async (values, times) => {
          const read = await roundTrip<number>(plainArray(values), 'float8');
          expect(read.map((value) => (Object.is(value, -0) ? 0 : value))).toEqual(
            values.map((value) => (Object.is(value, -0) ? 0 : value)),
          );
          const stamps = (
            await db.query<{ a: (Date | null)[] }>('SELECT array(SELECT to_timestamp(x / 1000) FROM unnest($1::float8[]) x) AS a', [
              nullableNumberArray(times),
            ])
          )[0]!.a;
          expect(stamps.map((stamp) => (stamp === null ? null : new Date(stamp).getTime()))).toEqual(times);
        },
      ),
      { numRuns: 100 },
    );
  });
});
