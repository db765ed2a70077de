/**
 * The two pipelines under test behind one interface: the all-in-one (one process, embedded bus, the
 * checker inside it) and the distributed services (five processes on Pulsar, the checker here in
 * the bench process on the lane topics).
 */
import { PulsarBus } from '@patternmesh/bus-pulsar';
import { launchDistributed } from '@patternmesh/distributed';
import { pipelineTopics } from '@patternmesh/pattern';
import { brokerFromEnvOrLocal, deleteTenants } from '@patternmesh/pulsar-tools';
import type { ChildProcess } from 'node:child_process';
import { Checker, type CheckerReport } from './checker';
import { ask, forkModule, nextMessage, stopChild } from './processes';

export const BENCH_API_KEY = 'pm-dev-key';
export const BENCH_TENANT = 'demo';

export interface PipelineUnderTest {
  readonly name: 'all-in-one' | 'distributed';
  readonly restUrl: string;
  readonly grpcTarget: string;
  /** The pipeline's own processes, for RSS. */
  processes(): Array<{ name: string; pid: number | undefined }>;
  progress(): Promise<{ arrivals: number; lastArrivalMs: number }>;
  /** Starts a new latency window (ids are kept). */
  reset(): Promise<void>;
  report(): Promise<CheckerReport>;
  stop(): Promise<void>;
}

const SERVICE_OVERRIDES = {
  // The bench measures the pipeline, not the per-tenant quota (10,000/s by default).
  PATTERNMESH_TENANT_RATE_LIMIT: '0',
  PATTERNMESH_LOG_LEVEL: 'warn',
};

export async function startAllInOne(options: { cpuProfDir?: string } = {}): Promise<PipelineUnderTest> {
  const host: ChildProcess = forkModule('aio-host.ts', {
    // As `npm start` runs it: telemetry registered before the app loads.
    imports: ['./libs/telemetry/src/register.ts'],
    execArgv: options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [],
    env: { BENCH_E2E_OVERRIDES: JSON.stringify(SERVICE_OVERRIDES), BENCH_E2E_TENANT: BENCH_TENANT },
  });
  const ready = await nextMessage<{ httpPort: number; grpcPort: number }>(host, 'ready');
  return {
    name: 'all-in-one',
    restUrl: `http://127.0.0.1:${ready.httpPort}`,
    grpcTarget: `127.0.0.1:${ready.grpcPort}`,
    processes: () => [{ name: 'all-in-one', pid: host.pid }],
    progress: () => ask(host, { cmd: 'arrivals' }, 'arrivals'),
    reset: async () => {
      await ask(host, { cmd: 'reset' }, 'reset');
    },
    report: async () => (await ask<{ report: CheckerReport }>(host, { cmd: 'report' }, 'report')).report,
    stop: () => stopChild(host),
  };
}

export async function startDistributed(): Promise<PipelineUnderTest> {
  const broker = await brokerFromEnvOrLocal();
  // A topic tenant of its own per run: fresh stage subscriptions, nothing left from an earlier run.
  const topicTenant = `bench-${Date.now().toString(36)}`;
  const running = await launchDistributed({
    pulsarUrl: broker.serviceUrl,
    adminUrl: broker.adminUrl,
    topicTenant,
    apiKeys: `${BENCH_API_KEY}=${BENCH_TENANT}`,
    env: SERVICE_OVERRIDES,
    // As production runs them (the container images): compiled JavaScript, no TypeScript loader.
    compiled: true,
  });
  const bus = PulsarBus.connect({ serviceUrl: broker.serviceUrl });
  const checker = new Checker();
  try {
    await checker.start(bus, pipelineTopics(topicTenant), BENCH_TENANT, topicTenant);
  } catch (error) {
    await running.stop();
    await bus.close();
    throw error;
  }
  const gateway = running.service('ingest-gateway');
  return {
    name: 'distributed',
    restUrl: `http://127.0.0.1:${gateway.httpPort}`,
    grpcTarget: `127.0.0.1:${gateway.grpcPort}`,
    processes: () => running.services.map((s) => ({ name: s.name, pid: s.process.pid })),
    progress: async () => ({ arrivals: checker.arrivals, lastArrivalMs: checker.lastArrivalMs }),
    reset: async () => checker.resetLatency(),
    report: async () => checker.report(),
    stop: async () => {
      await running.stop();
      await checker.stop();
      await bus.close();
      await deleteTenants(broker.adminUrl, [topicTenant]);
    },
  };
}
