import { pulsarGlobalSetup } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (no broker), and integration tests (`*.broker.test.ts`) that run against
// a real Pulsar broker — PULSAR_URL/PULSAR_ADMIN_URL if set, otherwise one started by the global setup.
// `vitest run --root libs/pulsar` runs both; Nx's `test` target runs every project but `broker`
// (`--project '!broker'`), and `test:broker` runs `--project broker`.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.broker.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'broker',
          include: ['src/**/*.broker.test.ts', 'test/**/*.broker.test.ts'],
          globalSetup: [pulsarGlobalSetup],
          // One broker on a 2-core machine: run files one after another for stable timings.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 360_000,
        },
      },
    ],
  },
});
