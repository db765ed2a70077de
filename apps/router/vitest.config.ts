import { pulsarGlobalSetup } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

// Two projects: tests on the embedded bus, and `*.broker.test.ts` on a real Pulsar broker (the global
// setup starts one when PULSAR_URL is not given).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        test: { name: 'embedded', include: ['test/**/*.test.ts'], exclude: ['**/*.broker.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'broker',
          include: ['test/**/*.broker.test.ts'],
          globalSetup: [pulsarGlobalSetup],
        },
      },
    ],
  },
});
