import { pulsarGlobalSetup } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    globalSetup: [pulsarGlobalSetup],
  },
});
