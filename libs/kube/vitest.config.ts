import { kubeProjects } from '@patternmesh/kube-tools/vitest';
import { defineConfig } from 'vitest/config';

// `unit`: no API server. `kube`: the actuator against the real kube-apiserver of tools/kube.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 30 * 60_000, projects: kubeProjects() },
});
