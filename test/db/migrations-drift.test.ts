import { describe, expect, it } from 'vitest';
import { diffMigrationsToSchema, isEmptyMigration } from '../../scripts/migration-diff.js';

describe('prisma/migrations', () => {
  // Start-up applies prisma/migrations, not schema.prisma: a schema change without its migration would ship a
  // database that does not match the generated client.
  it('has migrations that produce exactly prisma/schema.prisma', async () => {
    const sql = await diffMigrationsToSchema();
    expect(
      isEmptyMigration(sql) ? '' : sql.trim(),
      'prisma/schema.prisma differs from what prisma/migrations creates. Write the missing migration with\n' +
        '  npm run db:migration -- <name>\nand commit it. Missing SQL',
    ).toBe('');
  }, 30_000);
});
