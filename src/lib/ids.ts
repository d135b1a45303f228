import { monotonicFactory } from 'ulid';

// Monotonic so ids made in the same millisecond still sort in creation order (keyset pages rely on it).
const nextUlid = monotonicFactory();

export function newId(): string {
  return nextUlid();
}

const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isUlid(value: string): boolean {
  return ULID_PATTERN.test(value);
}
