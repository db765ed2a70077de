import { kubeProject } from '@patternmesh/kube-tools/vitest';
import { defineConfig } from 'vitest/config';

// The chart's checks need helm and the real API server (both from tools/kube), so they are all in the
// `kube` project: Nx's `test:kube` target runs them, and `npm test` runs that.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 30 * 60_000,
    projects: [kubeProject()],
  },
});
