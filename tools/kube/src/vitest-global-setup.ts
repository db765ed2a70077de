// Vitest global setup for suites that need a Kubernetes API server: the cluster named by
// $PATTERNMESH_KUBECONFIG if set, else the local control plane (tools/kube), started or reused, with
// Istio's CRDs installed. Tests read the kubeconfig path with inject('kubeconfig'). They never skip:
// without a cluster they start one (building the binaries into the cache the first time).
//
//   import { kubeProjects } from '@patternmesh/kube-tools/vitest';
//   export default defineConfig({ test: { projects: kubeProjects() } });
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of an admin kubeconfig for the API server the global setup chose. */
    kubeconfig: string;
  }
}

/** Path of this module, for `test.globalSetup` in a vitest config. */
export const kubeGlobalSetup: string = fileURLToPath(import.meta.url);

/** The vitest project `kube`: `test/**\/*.kube.test.ts` with this global setup. Add it beside a package's others. */
export function kubeProject() {
  return {
    extends: true,
    test: { name: 'kube', include: ['test/**/*.kube.test.ts'], globalSetup: [kubeGlobalSetup] },
  };
}

/**
 * `test.projects` for a package with unit tests and API server suites: `unit` runs `src/**\/*.test.ts`;
 * `kube` runs `test/**\/*.kube.test.ts` with this global setup. Nx's `test` target runs every project but
 * `broker` and `kube`; `test:kube` runs `--project kube`.
 */
export function kubeProjects() {
  return [{ extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } }, kubeProject()];
}

export default async function setup(project: TestProject): Promise<void> {
  // Imported here, not at the top: the config loads this module with Node's own TypeScript support,
  // which does not resolve the package's extensionless imports; vitest's runner does.
  const { ensureCluster } = await import('./cluster');
  const { ensureIstioCrds } = await import('./istio');
  const { sweepOrphanedTestNamespaces } = await import('./namespace');
  const log = (m: string) => process.stderr.write(`[kube] ${m}\n`);
  const given = process.env.PATTERNMESH_KUBECONFIG;
  const kubeconfig = given || (await ensureCluster({ log })).kubeconfig;
  await ensureIstioCrds(kubeconfig, { log });
  const swept = await sweepOrphanedTestNamespaces(kubeconfig);
  if (swept.length) log(`deleted ${swept.length} namespaces left by dead test runs`);
  project.provide('kubeconfig', kubeconfig);
}
