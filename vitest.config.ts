import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql@16 ships ESM and CJS builds; Node loads the CJS one for everybody, Vite would hand ESM to some
  // modules and CJS to others ("another module or realm"). Pin the one Node uses.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Suites mostly wait (on servers, timers, Temporal, child processes): two files at a time even on two cores,
    // where vitest's default (cores − 1) would run one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Servers log every request; tests read responses, not logs.
    env: { LOG_LEVEL: 'silent' },
  },
});
