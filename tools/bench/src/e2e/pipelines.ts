/**
 * The two pipelines under test behind one interface: the all-in-one (one process, embedded bus, the
 * checker inside it) and the distributed services (five processes on Pulsar, the checker here in
 * the bench process on the lane topics).
 */
import { PulsarBus } from '@patternmesh/bus-pulsar';
import { PulsarAdmin } from '@patternmesh/pulsar';
import { launchDistributed } from '@patternmesh/distributed';
import { pipelineTopics } from '@patternmesh/pattern';
import { brokerFromEnvOrLocal, deleteTenants } from '@patternmesh/pulsar-tools';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Checker, type CheckerReport } from './checker';
import { ask, forkModule, nextMessage, repoRoot, stopChild } from './processes';

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
  /**
   * Messages per broker entry on each pipeline topic over the run (`msgInCounter` ÷ the managed
   * ledger's `entriesAddedCounter`, partitions summed): how well producers batched. Pulsar only.
   */
  messagesPerEntry?(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

const SERVICE_OVERRIDES = {
  // The bench measures the pipeline, not the per-tenant quota (10,000/s by default).
  PATTERNMESH_TENANT_RATE_LIMIT: '0',
  PATTERNMESH_LOG_LEVEL: 'warn',
};

/** Where the compiled all-in-one host is built (same depth as dist/; ignored by git). */
const COMPILED_DIR = 'dist-bench';

/**
 * Builds the all-in-one host as the services are built (`tools/scripts/build.mjs`), into its own
 * folder, from the current sources, so a run never measures stale code.
 */
function buildCompiledHost(): string {
  const result = spawnSync(
    process.execPath,
    [
      'tools/scripts/build.mjs',
      COMPILED_DIR,
      '--entry',
      'tools/bench/src/e2e/aio-host.ts=bench/e2e/aio-host',
    ],
    { cwd: repoRoot, stdio: ['ignore', 2, 2] },
  );
  if (result.status !== 0) throw new Error(`building the all-in-one host failed (exit ${result.status})`);
  return path.join(repoRoot, COMPILED_DIR, 'bench/e2e/aio-host.js');
}

export async function startAllInOne(
  options: { cpuProfDir?: string; compiled?: boolean } = {},
): Promise<PipelineUnderTest> {
  const env = { BENCH_E2E_OVERRIDES: JSON.stringify(SERVICE_OVERRIDES), BENCH_E2E_TENANT: BENCH_TENANT };
  const profile = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const host: ChildProcess = options.compiled
    ? // As the image runs it: compiled JavaScript, telemetry registered before the app loads.
      fork(buildCompiledHost(), [], {
        cwd: repoRoot,
        execArgv: [...profile, '--import', `./${COMPILED_DIR}/libs/telemetry/register.js`],
        env: { ...process.env, ...env },
        stdio: ['ignore', 2, 2, 'ipc'],
        serialization: 'advanced',
      })
    : // As `npm start` runs it: tsx, telemetry registered before the app loads.
      forkModule('aio-host.ts', { imports: ['./libs/telemetry/src/register.ts'], execArgv: profile, env });
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
    messagesPerEntry: () => messagesPerEntry(broker.adminUrl, pipelineTopics(topicTenant)),
    stop: async () => {
      await running.stop();
      await checker.stop();
      await bus.close();
      await deleteTenants(broker.adminUrl, [topicTenant]);
    },
  };
}

/** See `PipelineUnderTest.messagesPerEntry`; a topic the admin API cannot read is left out. */
async function messagesPerEntry(
  adminUrl: string,
  topics: ReturnType<typeof pipelineTopics>,
): Promise<Record<string, number>> {
  const admin = new PulsarAdmin({ url: adminUrl });
  const result: Record<string, number> = {};
  for (const [name, topic] of Object.entries({
    raw: topics.raw,
    normalized: topics.normalized,
    classified: topics.classified,
    archive: topics.archive,
  })) {
    try {
      const { partitions } = await admin.getPartitionedMetadata(topic);
      const parts =
        partitions > 0 ? Array.from({ length: partitions }, (_, i) => `${topic}-partition-${i}`) : [topic];
      let messages = 0;
      let entries = 0;
      for (const part of parts) {
        messages += (await admin.topicStats(part)).msgInCounter;
        entries += Number((await admin.internalStats(part)).entriesAddedCounter ?? 0);
      }
      if (entries > 0) result[name] = messages / entries;
    } catch {
      // left out
    }
  }
  return result;
}
