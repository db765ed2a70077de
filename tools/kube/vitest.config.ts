import { defineConfig } from 'vitest/config';
import { kubeProjects } from '@patternmesh/kube-tools/vitest';

// `unit`: no API server. `kube`: suites against the real kube-apiserver (the global setup starts it,
// building it the first time, which takes minutes: hence the hook timeout).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 30 * 60_000,
    projects: kubeProjects(),
  },
});
