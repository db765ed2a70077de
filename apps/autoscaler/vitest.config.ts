import { kubeProject } from '@patternmesh/kube-tools/vitest';
import { defineConfig } from 'vitest/config';

// `unit` (test/*.test.ts, no cluster) and `kube` (test/*.kube.test.ts, the real kube-apiserver of tools/kube).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 30 * 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['**/*.kube.test.ts'] },
      },
      kubeProject(),
    ],
  },
});
