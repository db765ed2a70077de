// The HPA actuator against the real API server, with the least-privilege ServiceAccount the chart gives
// the autoscaler (get/list/watch/patch on HPAs, create on Events): it raises and lowers floors with
// annotations and Events, clamps to the original floor and maxReplicas, retries a lost race, leaves
// KEDA's HPAs and HPAs that did not opt in alone, and is refused anything else.
import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  AUTOSCALER_RULES,
  type TestNamespace,
  anHpa,
  createTestNamespace,
  serviceAccountClient,
} from '@patternmesh/kube-tools';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HpaActuator, type HpaActuatorOptions } from '../src/actuator';
import { FloorAnnotations } from '../src/annotations';

const OPT_IN = 'patternmesh.io/predictive-floor';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

const hpa = (name: string, labels: Record<string, string>) => anHpa(name, { labels });

describe('HpaActuator on the real API server, as the autoscaler’s ServiceAccount', () => {
  let ns: TestNamespace;
  let admin: AutoscalingV2Api;
  let asAutoscaler: KubeConfig;
  const actuator = (overrides: Partial<HpaActuatorOptions> = {}) =>
    new HpaActuator({
      kubeConfig: asAutoscaler,
      namespace: ns.name,
      optInLabel: OPT_IN,
      dryRun: false,
      ...overrides,
    });
  const read = (name: string) => admin.readNamespacedHorizontalPodAutoscaler({ name, namespace: ns.name });

  beforeAll(async () => {
    ns = await createTestNamespace(inject('kubeconfig'), 'actuator');
    admin = ns.kubeConfig.makeApiClient(AutoscalingV2Api);
    for (const body of [
      hpa('router', { [OPT_IN]: 'enabled' }),
      hpa('normalizer', { [OPT_IN]: 'enabled' }),
      hpa('classifier', {}),
      hpa('keda-scaled', { [OPT_IN]: 'enabled', 'scaledobject.keda.sh/name': 'keda-scaled' }),
    ]) {
      await admin.createNamespacedHorizontalPodAutoscaler({ namespace: ns.name, body });
    }
    // The chart's Role for the autoscaler, verbatim.
    asAutoscaler = (await serviceAccountClient(ns.kubeConfig, ns.name, 'autoscaler', AUTOSCALER_RULES))
      .kubeConfig;
  });
  afterAll(() => ns?.delete());

  it('lists the opted-in HPAs, flagging the one KEDA owns', async () => {
    const targets = await actuator().targets();
    expect(targets.map((t) => t.name).sort()).toEqual(['keda-scaled', 'normalizer', 'router']);
    expect(targets.find((t) => t.name === 'keda-scaled')?.foreignController).toBe(
      'KEDA ScaledObject keda-scaled',
    );
    expect(targets.find((t) => t.name === 'router')).toMatchObject({
      minReplicas: 2,
      maxReplicas: 20,
      originalMin: 2,
    });
  });

  it('in dry-run plans the change and writes nothing', async () => {
    const outcome = await actuator({ dryRun: true }).setFloor('router', () => ({
      floor: 6,
      reason: 'forecast',
    }));
    expect(outcome).toEqual({ status: 'dry-run', from: 2, to: 6 });
    expect((await read('router')).spec?.minReplicas).toBe(2);
  });

  it('raises the floor, annotates the HPA and records an Event', async () => {
    const outcome = await actuator().setFloor('router', () => ({
      floor: 6,
      reason: 'forecast',
      forecast: 512.3,
    }));
    expect(outcome).toEqual({ status: 'patched', from: 2, to: 6, attempts: 1 });
    const now = await read('router');
    expect(now.spec?.minReplicas).toBe(6);
    expect(now.spec?.maxReplicas).toBe(20);
    expect(now.metadata?.annotations).toMatchObject({
      [FloorAnnotations.originalMinReplicas]: '2',
      [FloorAnnotations.reason]: 'forecast',
      [FloorAnnotations.forecast]: '512.30',
    });
    const events = await ns.kubeConfig
      .makeApiClient(CoreV1Api)
      .listNamespacedEvent({ namespace: ns.name, fieldSelector: 'involvedObject.name=router' });
    expect(events.items.map((e) => [e.reason, e.message])).toContainEqual([
      'FloorRaised',
      'minReplicas 2 → 6 (forecast, forecast 512.3/s)',
    ]);
  });

  it('clamps to maxReplicas above and to the original floor below, keeping the original on record', async () => {
    expect(await actuator().setFloor('router', () => ({ floor: 100, reason: 'forecast' }))).toMatchObject({
      to: 20,
    });
    expect(await actuator().setFloor('router', () => ({ floor: 0, reason: 'stale-data' }))).toMatchObject({
      from: 20,
      to: 2,
    });
    const now = await read('router');
    expect(now.spec?.minReplicas).toBe(2);
    expect(now.metadata?.annotations?.[FloorAnnotations.originalMinReplicas]).toBe('2');
    expect(
      await actuator().setFloor('router', (t) => ({ floor: t.originalMin, reason: 'forecast' })),
    ).toEqual({
      status: 'unchanged',
      floor: 2,
    });
  });

  it('re-reads and re-plans when another writer got in between (409 Conflict)', async () => {
    let raced = false;
    const seen: number[] = [];
    const racing = actuator({
      afterRead: async () => {
        if (raced) return;
        raced = true;
        // Someone lowers the ceiling between our read and our write.
        await admin.patchNamespacedHorizontalPodAutoscaler(
          { name: 'normalizer', namespace: ns.name, body: { spec: { maxReplicas: 5 } } },
          mergePatch,
        );
      },
    });
    const outcome = await racing.setFloor('normalizer', (t) => {
      seen.push(t.maxReplicas);
      return { floor: 8, reason: 'forecast' };
    });
    expect(outcome).toEqual({ status: 'patched', from: 2, to: 5, attempts: 2 });
    expect(seen).toEqual([20, 5]);
    const now = await read('normalizer');
    expect(now.spec).toMatchObject({ minReplicas: 5, maxReplicas: 5 });
  });

  it('leaves an HPA that KEDA owns, or that did not opt in, alone', async () => {
    expect(await actuator().setFloor('keda-scaled', () => ({ floor: 9, reason: 'forecast' }))).toEqual({
      status: 'skipped',
      why: 'owned by KEDA ScaledObject keda-scaled',
    });
    expect(await actuator().setFloor('classifier', () => ({ floor: 9, reason: 'forecast' }))).toMatchObject({
      status: 'skipped',
    });
    expect((await read('keda-scaled')).spec?.minReplicas).toBe(2);
    expect((await read('classifier')).spec?.minReplicas).toBe(2);
  });

  it('is refused with 403 outside its Role: scaling a Deployment, deleting an HPA', async () => {
    const refusal = async (call: Promise<unknown>) =>
      call.then(
        () => 0,
        (e: { code: number }) => e.code,
      );
    expect(
      await refusal(
        asAutoscaler
          .makeApiClient(AppsV1Api)
          .patchNamespacedDeployment(
            { name: 'router', namespace: ns.name, body: { spec: { replicas: 9 } } },
            mergePatch,
          ),
      ),
    ).toBe(403);
    expect(
      await refusal(
        asAutoscaler
          .makeApiClient(AutoscalingV2Api)
          .deleteNamespacedHorizontalPodAutoscaler({ name: 'router', namespace: ns.name }),
      ),
    ).toBe(403);
  });
});
