import { embeddedAndBrokerProjects } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

// Two projects: the tests on the embedded bus (no broker needed), and `*.broker.test.ts` on a real
// Pulsar broker, which the global setup starts when PULSAR_URL is not given.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    projects: embeddedAndBrokerProjects(),
  },
});
