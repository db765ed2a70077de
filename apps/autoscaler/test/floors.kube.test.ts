// The autoscaler end to end on the real API server: a stage's load → forecast → planned floor → the
// stage's HPA patched (or, in dry-run, only reported), with the Kubernetes API as the only judge.
import { AutoscalingV2Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { EmbeddedBus } from '@patternmesh/bus';
import { HpaActuator } from '@patternmesh/kube';
import { type TestNamespace, anHpa, createTestNamespace } from '@patternmesh/kube-tools';
import { createLogger, type ServiceModule } from '@patternmesh/service-kit';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAutoscaler } from '../src/app';
import { loadAutoscalerConfig } from '../src/config';
import type { FloorRound } from '../src/floors';
import { LoadHistory } from '../src/history';

const OPT_IN = 'patternmesh.io/predictive-floor';

const hpa = (name: string) => anHpa(name, { labels: { [OPT_IN]: 'enabled' } });

describe('the autoscaler raising a stage’s HPA floor ahead of its load', () => {
  let ns: TestNamespace;
  let autoscaling: AutoscalingV2Api;
  let running: ServiceModule | undefined;

  /**
   * Runs the autoscaler against a steady input of `rate` events/s on the normalize stage until `done`;
   * `backlogGrowth` per round makes the stage look saturated (work piling up).
   */
  async function run(
    env: Record<string, string>,
    rate: number,
    done: (rounds: FloorRound[]) => boolean,
    {
      hpaName = 'normalizer',
      backlogGrowth = 0,
      history,
    }: { hpaName?: string; backlogGrowth?: number; history?: LoadHistory } = {},
  ) {
    const config = loadAutoscalerConfig({
      PATTERNMESH_AUTOSCALER_INTERVAL_MS: '100',
      PATTERNMESH_AUTOSCALER_NAMESPACE: ns.name,
      PATTERNMESH_AUTOSCALER_HPAS: `normalize=${hpaName}`,
      PATTERNMESH_AUTOSCALER_CAPACITY_PER_REPLICA: '100',
      PATTERNMESH_AUTOSCALER_HEADROOM_PERCENT: '20',
      PATTERNMESH_AUTOSCALER_MIN_HISTORY: '3',
      // One forecast step per round, and a lead of five steps, so the test runs in a second.
      PATTERNMESH_AUTOSCALER_STEP_MS: '100',
      PATTERNMESH_AUTOSCALER_LEAD_SECONDS: '1',
      ...env,
    });
    let backlog = 0;
    let finished!: (rounds: FloorRound[]) => void;
    const result = new Promise<FloorRound[]>((r) => (finished = r));
    running = createAutoscaler({
      logger: createLogger('autoscaler-test', { level: 'silent' }),
      config,
      source: async () => {
        backlog += backlogGrowth;
        return [{ stage: 'normalize', inRate: rate, outRate: rate, inFlight: 0, backlog }];
      },
      actuator: new HpaActuator({
        kubeConfig: ns.kubeConfig,
        namespace: ns.name,
        optInLabel: OPT_IN,
        dryRun: config.PATTERNMESH_AUTOSCALER_DRY_RUN,
      }),
      ...(history ? { history } : {}),
      onFloors: (rounds) => {
        if (done(rounds)) finished(rounds);
      },
    });
    await running.start?.();
    const rounds = await result;
    await running.drain?.();
    running = undefined;
    return rounds;
  }

  beforeAll(async () => {
    ns = await createTestNamespace(inject('kubeconfig'), 'autoscaler');
    autoscaling = ns.kubeConfig.makeApiClient(AutoscalingV2Api);
    await autoscaling.createNamespacedHorizontalPodAutoscaler({
      namespace: ns.name,
      body: hpa('normalizer'),
    });
  });
  afterEach(async () => running?.drain?.());
  afterAll(() => ns?.delete());

  const floor = async () =>
    (await autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'normalizer', namespace: ns.name })).spec
      ?.minReplicas;

  it('in dry-run (the default) plans ceil(1000 × 1.2 / 100) = 12 and leaves the HPA as it is', async () => {
    const rounds = await run({}, 1000, (r) => r.some((x) => x.outcome.status === 'dry-run'));
    expect(rounds.find((r) => r.outcome.status === 'dry-run')?.outcome).toEqual({
      status: 'dry-run',
      from: 2,
      to: 12,
    });
    expect(await floor()).toBe(2);
  });

  it('waits for the minimum history, then raises the floor to what the forecast needs', async () => {
    const seen: string[] = [];
    await run({ PATTERNMESH_AUTOSCALER_DRY_RUN: 'false' }, 1000, (rounds) => {
      seen.push(...rounds.map((r) => r.outcome.status));
      return rounds.some((r) => r.outcome.status === 'patched');
    });
    // The first rounds lack history: the original floor stands (unchanged), then the patch.
    expect(seen[0]).toBe('unchanged');
    expect(seen.at(-1)).toBe('patched');
    expect(await floor()).toBe(12);
  });

  it('steps the floor down one replica per round when the load falls', async () => {
    const floors: number[] = [];
    await run({ PATTERNMESH_AUTOSCALER_DRY_RUN: 'false' }, 100, (rounds) => {
      for (const r of rounds) if (r.outcome.status === 'patched') floors.push(r.outcome.to);
      return floors.length >= 3;
    });
    expect(floors.slice(0, 3)).toEqual([11, 10, 9]);
  });

  it('plans with the capacity it learned while the stage was saturated, not the configured default', async () => {
    await autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace: ns.name, body: hpa('saturated') });
    // What the HPA controller would report: 8 replicas running.
    await autoscaling.patchNamespacedHorizontalPodAutoscalerStatus(
      { name: 'saturated', namespace: ns.name, body: { status: { currentReplicas: 8, desiredReplicas: 8 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    // 2400/s out of 8 replicas with work piling up: 300/s per replica, not the configured 100.
    const rounds = await run(
      { PATTERNMESH_AUTOSCALER_DRY_RUN: 'false' },
      2400,
      (r) => r.some((x) => x.outcome.status === 'patched'),
      { hpaName: 'saturated', backlogGrowth: 1000 },
    );
    // ceil(2400 × 1.2 / 300) = 10; with the default it would have been the maximum, 20.
    expect(rounds.find((r) => r.outcome.status === 'patched')?.outcome).toMatchObject({ from: 2, to: 10 });
  });

  it('after a restart, plans from the history it kept instead of waiting for the minimum history again', async () => {
    await autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace: ns.name, body: hpa('restarted') });
    const bus = new EmbeddedBus();
    const history = () =>
      new LoadHistory({
        bus,
        topic: 'persistent://patternmesh/control/autoscaler-history',
        stepMs: 100,
        keepSteps: 1000,
        logger: createLogger('autoscaler-test', { level: 'silent' }),
      });
    const env = { PATTERNMESH_AUTOSCALER_MIN_HISTORY: '10' };
    const firstRun: string[] = [];
    await run(
      env,
      1000,
      (rounds) => {
        firstRun.push(...rounds.map((r) => r.outcome.status));
        return rounds.some((r) => r.outcome.status === 'dry-run');
      },
      { history: history(), hpaName: 'restarted' },
    );
    expect(firstRun[0]).toBe('unchanged'); // it had to learn first

    // The restarted autoscaler's very first round already has a forecast to plan from.
    const restarted = await run(env, 1000, () => true, { history: history(), hpaName: 'restarted' });
    expect(restarted[0]?.outcome).toEqual({ status: 'dry-run', from: 2, to: 12 });
    await bus.close();
  });
});
