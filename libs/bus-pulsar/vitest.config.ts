import { pulsarGlobalSetup } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` (no broker) and `broker` (`*.broker.test.ts`, with the global setup that finds or
// starts a Pulsar broker). Nx's `test` target runs every project but `broker`; `test:broker` runs `broker`.
export default defineConfig({
  test: {
    // The conformance suite also runs against a real broker, where round trips are slower.
    testTimeout: 60_000,
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: ['**/*.broker.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'broker', include: ['src/**/*.broker.test.ts'], globalSetup: [pulsarGlobalSetup] },
      },
    ],
  },
});
