import { pulsarGlobalSetup } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The conformance suite also runs against a real broker, where round trips are slower.
    testTimeout: 60_000,
    hookTimeout: 300_000,
    globalSetup: [pulsarGlobalSetup],
  },
});
