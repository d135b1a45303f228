import { RangeNotSatisfiable } from '../lib/errors.js';
import type { ByteRange } from './storage.js';

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * The byte range a `Range` header asks of a file of `size` bytes, or null to send the whole file. Only one range is
 * served: RFC 9110 §14.2 lets a server ignore a Range it does not support (several ranges, other units, a last byte
 * before the first), and the client then gets the whole file with 200. A range that starts past the end is a 416.
 */
export function requestedRange(header: string | null, size: number): ByteRange | null {
  const match = header ? SINGLE_RANGE.exec(header.trim()) : null;
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  const unsatisfiable = () => new RangeNotSatisfiable(`Range "${header}" lies outside the file's ${size} bytes`, size);
  if (first === '') {
    // A suffix: the last n bytes.
    const length = Number(last);
    if (length === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) throw unsatisfiable();
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}
