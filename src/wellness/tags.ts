import { Invalid } from '../lib/errors.js';

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 40;

/** Tags as stored and matched: trimmed, lower-case, each once, in the order given ("Work", " work" are one tag). */
export function normalizeTags(tags: readonly string[] | null | undefined): string[] {
  const unique = [...new Set((tags ?? []).map((tag) => tag.trim().toLowerCase()))];
  if (unique.some((tag) => tag.length === 0 || [...tag].length > MAX_TAG_LENGTH))
    throw new Invalid(`tags must be strings of 1 to ${MAX_TAG_LENGTH} characters other than white space`);
  if (unique.length > MAX_TAGS) throw new Invalid(`tags must hold at most ${MAX_TAGS} different tags`);
  return unique;
}

/** A tag filter of a list: matched as stored (lower-case, trimmed). */
export function tagFilter(tag: string | null | undefined): string | null {
  return tag == null ? null : tag.trim().toLowerCase();
}
