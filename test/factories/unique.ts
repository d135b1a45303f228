let made = 0;

/**
 * A name no other call in this test process returns (`user-7`): external ids, key names and event ids that never
 * collide, so a test can make its own data beside another test's without knowing about it.
 */
export function unique(prefix = 'id'): string {
  made += 1;
  return `${prefix}-${made}`;
}
