import { kubeProject } from '@patternmesh/kube-tools/vitest';
import { brokerProject } from '@patternmesh/pulsar-tools/vitest';
import { defineConfig } from 'vitest/config';

// `unit` (test/*.test.ts, no cluster, the embedded bus), `kube` (test/*.kube.test.ts, the real
// kube-apiserver of tools/kube) and `broker` (test/*.broker.test.ts, a real Pulsar broker).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 30 * 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['**/*.kube.test.ts', '**/*.broker.test.ts'],
        },
      },
      kubeProject(),
      brokerProject(),
    ],
  },
});
