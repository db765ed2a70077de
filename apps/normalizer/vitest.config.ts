import { embeddedAndBrokerProjects } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

// The tests on the embedded bus, and `*.broker.test.ts` on a real broker (started when PULSAR_URL is unset).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    projects: embeddedAndBrokerProjects(),
  },
});
