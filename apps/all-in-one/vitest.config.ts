import { pulsarGlobalSetup } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

// Two projects: the suite on the embedded bus (no broker needed) and the same suite on a real Pulsar
// broker (`*.broker.test.ts`), which the global setup starts when PULSAR_URL is not given.
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
