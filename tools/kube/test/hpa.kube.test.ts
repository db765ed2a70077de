// What the autoscaler's actuator relies on, judged by the real API server: a JSON merge patch on an
// HPA's spec.minReplicas changes that field alone, and optimistic concurrency refuses a write based on
// a stale resourceVersion with 409 Conflict.
import {
  AppsV1Api,
  AutoscalingV2Api,
  PatchStrategy,
  type V2HorizontalPodAutoscaler,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type TestNamespace, createTestNamespace } from '../src/namespace';
import { deployment, hpa, rejection } from './fixtures';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe('HPA writes on the real API server', () => {
  let ns: TestNamespace;
  let autoscaling: AutoscalingV2Api;

  beforeAll(async () => {
    ns = await createTestNamespace(inject('kubeconfig'), 'hpa');
    autoscaling = ns.kubeConfig.makeApiClient(AutoscalingV2Api);
    const apps = ns.kubeConfig.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment('router') });
    await autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace: ns.name, body: hpa('router', 2) });
  });
  afterAll(() => ns?.delete());

  it('a merge patch of spec.minReplicas changes it and leaves the rest of the spec alone', async () => {
    const before = await autoscaling.readNamespacedHorizontalPodAutoscaler({
      name: 'router',
      namespace: ns.name,
    });
    const patched = await autoscaling.patchNamespacedHorizontalPodAutoscaler(
      {
        name: 'router',
        namespace: ns.name,
        body: {
          spec: { minReplicas: 6 },
          metadata: { annotations: { 'patternmesh.io/original-min-replicas': '2' } },
        },
      },
      mergePatch,
    );
    expect(patched.spec?.minReplicas).toBe(6);
    expect(patched.spec?.maxReplicas).toBe(20);
    expect(patched.spec?.metrics).toEqual(before.spec?.metrics);
    expect(patched.metadata?.annotations?.['patternmesh.io/original-min-replicas']).toBe('2');
    expect(patched.metadata?.resourceVersion).not.toBe(before.metadata?.resourceVersion);
    const reread = await autoscaling.readNamespacedHorizontalPodAutoscaler({
      name: 'router',
      namespace: ns.name,
    });
    expect(reread.spec?.minReplicas).toBe(6);
  });

  it('a merge patch that would break the HPA (minReplicas above maxReplicas) is refused with 422', async () => {
    const refused = await rejection(
      autoscaling.patchNamespacedHorizontalPodAutoscaler(
        { name: 'router', namespace: ns.name, body: { spec: { minReplicas: 50 } } },
        mergePatch,
      ),
    );
    expect(refused.code).toBe(422);
    expect(refused.reason).toBe('Invalid');
    expect(refused.message).toContain('spec.maxReplicas');
  });

  it('a write based on a stale resourceVersion is refused with 409 Conflict, by update and by patch', async () => {
    const stale: V2HorizontalPodAutoscaler = await autoscaling.readNamespacedHorizontalPodAutoscaler({
      name: 'router',
      namespace: ns.name,
    });
    // Someone else writes in between (the HPA controller, a user, another autoscaler replica).
    await autoscaling.patchNamespacedHorizontalPodAutoscaler(
      { name: 'router', namespace: ns.name, body: { spec: { minReplicas: 3 } } },
      mergePatch,
    );
    const update = await rejection(
      autoscaling.replaceNamespacedHorizontalPodAutoscaler({
        name: 'router',
        namespace: ns.name,
        body: { ...stale, spec: { ...stale.spec!, minReplicas: 7 } },
      }),
    );
    expect(update.code).toBe(409);
    expect(update.reason).toBe('Conflict');
    expect(update.message).toContain('the object has been modified');
    // A merge patch that names the resourceVersion it was computed from is a compare-and-swap.
    const patch = await rejection(
      autoscaling.patchNamespacedHorizontalPodAutoscaler(
        {
          name: 'router',
          namespace: ns.name,
          body: { metadata: { resourceVersion: stale.metadata!.resourceVersion }, spec: { minReplicas: 7 } },
        },
        mergePatch,
      ),
    );
    expect(patch.code).toBe(409);
    const now = await autoscaling.readNamespacedHorizontalPodAutoscaler({
      name: 'router',
      namespace: ns.name,
    });
    expect(now.spec?.minReplicas).toBe(3);
  });
});
