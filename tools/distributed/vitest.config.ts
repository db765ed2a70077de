import { defineConfig } from 'vitest/config';

// Only broker suites here (launchDistributed starts or reuses the local broker itself): the project is
// named `broker`, so Nx's `test:broker` target runs it, and the project has no `test` target.
export default defineConfig({
  test: {
    name: 'broker',
    include: ['test/**/*.broker.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
