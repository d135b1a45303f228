import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql@16 ships ESM and CJS builds; Node loads the CJS one for everybody, Vite would hand ESM to some
  // modules and CJS to others ("another module or realm"). Pin the one Node uses.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Servers log every request; tests read responses, not logs.
    env: { LOG_LEVEL: 'silent' },
  },
});
