import { pulsarGlobalSetup } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

// `unit` (src/, no broker) and `broker` (test/*.broker.test.ts, with a real broker the global setup finds or starts).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'broker', include: ['test/**/*.broker.test.ts'], globalSetup: [pulsarGlobalSetup] },
      },
    ],
  },
});
