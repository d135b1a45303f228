import { describe, expect, it } from 'vitest';
import { ReadMemo, readOnce } from '../../src/lib/read-memo.js';

describe('a read memo shared by the parts of one computation', () => {
  it('makes a keyed read once and hands every caller the same answer', async () => {
    const memo = new ReadMemo();
    let reads = 0;
    const read = async () => ++reads;
    const answers = await Promise.all([readOnce({ reads: memo }, 'user:a', read), readOnce({ reads: memo }, 'user:a', read)]);
    expect(answers).toEqual([1, 1]);
    expect(await readOnce({ reads: memo }, 'user:b', read)).toBe(2);
    // Without a memo every read goes to its source.
    expect(await readOnce({}, 'user:a', read)).toBe(3);
  });

  it('serves a span of days only from a held read that includes all of it', async () => {
    const memo = new ReadMemo();
    const held = memo.hold('days:u', '2025-03-01', '2025-05-31', Promise.resolve(['held']));
    expect(memo.covering('days:u', '2025-03-01', '2025-05-31')).toBe(held);
    expect(memo.covering('days:u', '2025-04-10', '2025-04-12')).toBe(held);
    expect(memo.covering('days:u', '2025-02-28', '2025-03-05')).toBeUndefined();
    expect(memo.covering('days:u', '2025-05-30', '2025-06-01')).toBeUndefined();
    expect(memo.covering('days:v', '2025-04-10', '2025-04-12')).toBeUndefined();
  });
});
