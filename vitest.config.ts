import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql@16 ships ESM and CJS builds; Node loads the CJS one for everybody, Vite would hand ESM to some
  // modules and CJS to others ("another module or realm"). Pin the one Node uses.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Three files at a time: most suites wait on servers, timers and Temporal rather than compute, and each has its
    // own scratch database, files folder and Temporal task queue, so they do not see each other (vitest's default on
    // a 2-CPU machine is one).
    maxWorkers: 3,
    // A worker process keeps its loaded modules from one file to the next instead of loading the server's modules
    // (about 2 s) for each of them: every suite starts its own servers and no module keeps state a test depends on.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Servers log every request; tests read responses, not logs.
    env: { LOG_LEVEL: 'silent' },
  },
});
