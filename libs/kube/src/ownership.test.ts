import { describe, expect, it } from 'vitest';
import { foreignController } from './ownership';

describe('foreignController', () => {
  it('names the owner of an HPA another controller manages', () => {
    expect(
      foreignController({
        spec: { maxReplicas: 3, scaleTargetRef: { kind: 'Deployment', name: 'x' } },
        metadata: {
          ownerReferences: [
            {
              apiVersion: 'keda.sh/v1alpha1',
              kind: 'ScaledObject',
              name: 'router',
              uid: 'u',
              controller: true,
            },
          ],
        },
      }),
    ).toBe('ScaledObject router (keda.sh/v1alpha1)');
    expect(
      foreignController({
        spec: { maxReplicas: 3, scaleTargetRef: { kind: 'Deployment', name: 'x' } },
        metadata: {
          ownerReferences: [
            {
              apiVersion: 'autoscaling.crane.io/v1alpha1',
              kind: 'EffectiveHorizontalPodAutoscaler',
              name: 'e',
              uid: 'u',
            },
          ],
        },
      }),
    ).toBe('EffectiveHorizontalPodAutoscaler e (autoscaling.crane.io/v1alpha1)');
  });

  it('recognizes KEDA by its labels, and leaves an HPA of our own alone', () => {
    const spec = { maxReplicas: 3, scaleTargetRef: { kind: 'Deployment', name: 'x' } };
    expect(foreignController({ spec, metadata: { labels: { 'scaledobject.keda.sh/name': 'so' } } })).toBe(
      'KEDA ScaledObject so',
    );
    expect(
      foreignController({ spec, metadata: { labels: { 'app.kubernetes.io/managed-by': 'Helm' } } }),
    ).toBeUndefined();
  });
});
