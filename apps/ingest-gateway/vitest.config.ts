import { embeddedAndBrokerProjects } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

// The tests on the embedded bus, and `*.broker.test.ts`, which starts a broker of its own.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    projects: embeddedAndBrokerProjects(),
  },
});
