import { embeddedAndBrokerProjects } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

// Each test starts the CLI as a child process (tsx compiles on the fly): give it time on 2 cores.
// `*.broker.test.ts` (provision) runs against a real broker, started when PULSAR_URL is unset.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 300_000, projects: embeddedAndBrokerProjects() },
});
