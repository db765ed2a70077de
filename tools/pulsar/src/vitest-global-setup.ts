// Vitest global setup for suites that need Apache Pulsar: the broker named by PULSAR_URL and
// PULSAR_ADMIN_URL, or else the local standalone broker, started (or reused). Tests read the URLs with
// inject('pulsarUrl') / inject('pulsarAdminUrl'). They never skip: without a broker they start one.
//
//   import { pulsarGlobalSetup } from '@patternmesh/pulsar-tools/vitest';
//   export default defineConfig({ test: { globalSetup: [pulsarGlobalSetup] } });
//
// Importing this module (as the config does) also types those keys for the project's tests.
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `pulsar://…` of the broker the global setup chose. */
    pulsarUrl: string;
    /** `http://…` admin URL of that broker. */
    pulsarAdminUrl: string;
  }
}

/** Path of this module, for `test.globalSetup` in a vitest config. */
export const pulsarGlobalSetup: string = fileURLToPath(import.meta.url);

/**
 * `test.projects` for a package with both kinds of suites: `embedded` runs `test/**\/*.test.ts` without
 * a broker; `broker` runs `test/**\/*.broker.test.ts` with this global setup. The name `broker` is what
 * the Nx targets select on: `test` runs `--project '!broker'` (no Java needed), `test:broker` `--project broker`.
 */
export function embeddedAndBrokerProjects() {
  return [
    {
      extends: true,
      test: { name: 'embedded', include: ['test/**/*.test.ts'], exclude: ['**/*.broker.test.ts'] },
    },
    brokerProject(),
  ];
}

/** The `broker` project alone, for a package whose other suites are set up differently. */
export function brokerProject() {
  return {
    extends: true,
    test: { name: 'broker', include: ['test/**/*.broker.test.ts'], globalSetup: [pulsarGlobalSetup] },
  };
}

export default async function setup(project: TestProject): Promise<void> {
  // Imported here, not at the top: a vitest config loads this module with Node's own TypeScript
  // support, which does not resolve the extensionless imports of the rest of the package; by the
  // time the setup runs, vitest's module runner loads it.
  const { brokerFromEnvOrLocal } = await import('./env-broker');
  const broker = await brokerFromEnvOrLocal();
  project.provide('pulsarUrl', broker.serviceUrl);
  project.provide('pulsarAdminUrl', broker.adminUrl);
}
