import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { provisionPulsar } from '@patternmesh/bus-pulsar';
import { controlTopics, pipelineTopics, stageInputs } from '@patternmesh/pattern';
import { PulsarAdmin } from '@patternmesh/pulsar';
import { brokerFromEnvOrLocal } from '@patternmesh/pulsar-tools';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SERVICES = ['normalizer', 'classifier', 'router', 'ingest-gateway', 'autoscaler'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface RunningService {
  readonly name: ServiceName;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** The current process (replaced by `crash`). */
  process: ChildProcess;
  readonly env: Record<string, string>;
}

export interface Distributed {
  readonly pulsarUrl: string;
  readonly adminUrl: string;
  readonly services: readonly RunningService[];
  service(name: ServiceName): RunningService;
  /** SIGKILLs a service (no graceful drain) and starts it again on the same ports, waiting until ready. */
  crashAndRestart(name: ServiceName): Promise<void>;
  /**
   * Sends SIGTERM (a graceful stop: not-ready, close listeners, drain, close the bus), waits for the
   * exit, starts the service again on the same ports and waits until ready. Resolves with how the
   * stopped process exited.
   */
  stopAndRestart(name: ServiceName): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /**
   * Use this broker; otherwise PULSAR_URL and PULSAR_ADMIN_URL from the environment, otherwise the
   * local standalone broker, started or reused (tools/pulsar).
   */
  readonly pulsarUrl?: string;
  readonly adminUrl?: string;
  /** `key=tenant,...`; default the development key. */
  readonly apiKeys?: string;
  /**
   * Pulsar tenant of the pipeline topics (`PATTERNMESH_TOPIC_TENANT`); default `patternmesh`. Tests
   * give each run its own, so no other suite's stages share their subscriptions.
   */
  readonly topicTenant?: string;
  /** First port; services get consecutive HTTP/gRPC pairs. 0 picks free ports. */
  readonly basePort?: number;
  readonly env?: Record<string, string>;
  /** Where service output goes: 'inherit' prints it, 'ignore' drops it. */
  readonly stdio?: 'inherit' | 'ignore';
  /**
   * Run the services as production does: build them first (`npm run build`, esbuild, ~1 s) and start
   * `node dist/apps/<name>/main.js`. Default false: tsx runs the TypeScript sources, so an edit needs
   * no build step.
   */
  readonly compiled?: boolean;
}

/** The node arguments that start one service: compiled JavaScript from dist/, or the sources under tsx. */
export function serviceCommand(name: ServiceName, compiled: boolean): string[] {
  return compiled
    ? ['--import', './dist/libs/telemetry/register.js', `dist/apps/${name}/main.js`]
    : ['--import', 'tsx', '--import', './libs/telemetry/src/register.ts', `apps/${name}/src/main.ts`];
}

/** Builds dist/ from the current sources, so a compiled run never starts stale code. */
function buildServices(): void {
  const result = spawnSync(process.execPath, ['tools/scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status ?? result.signal})`);
}

/** A port free on loopback right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

async function brokerUrls(options: LaunchOptions): Promise<{ pulsarUrl: string; adminUrl: string }> {
  if (options.pulsarUrl && options.adminUrl)
    return { pulsarUrl: options.pulsarUrl, adminUrl: options.adminUrl };
  // Like every broker test: a broker named in the environment wins over the local one.
  const broker = await brokerFromEnvOrLocal();
  return { pulsarUrl: broker.serviceUrl, adminUrl: broker.adminUrl };
}

/**
 * Runs the five services as separate processes against Apache Pulsar, the way they run in a
 * cluster: provision tenants, namespaces and stage subscriptions first (so nothing published before
 * a stage subscribes is lost), then start the stages, then the gateway, then the autoscaler polling
 * every service's TelemetryService.
 */
export async function launchDistributed(options: LaunchOptions = {}): Promise<Distributed> {
  const compiled = options.compiled ?? false;
  if (compiled) buildServices();
  const { pulsarUrl, adminUrl } = await brokerUrls(options);
  const apiKeys = options.apiKeys ?? 'pm-dev-key=demo';
  const tenants = [...new Set(apiKeys.split(',').map((pair) => pair.split('=')[1]!.trim()))];
  const topics = pipelineTopics(options.topicTenant);
  await provisionPulsar(new PulsarAdmin({ url: adminUrl }), {
    topics,
    tenants,
    stageSubscriptions: stageInputs(topics),
    controlTopics: Object.values(controlTopics(topics.tenant)),
  });

  const services: RunningService[] = [];
  const start = (name: ServiceName, env: Record<string, string>): ChildProcess =>
    spawn(process.execPath, serviceCommand(name, compiled), {
      cwd: root,
      env,
      stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit'],
    });
  const stop = async (): Promise<void> => {
    await Promise.all(
      [...services].reverse().map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.process.exitCode !== null || s.process.signalCode !== null) return resolve();
            s.process.once('exit', () => resolve());
            s.process.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    let next = options.basePort ?? 0;
    for (const name of SERVICES) {
      const httpPort = next ? next++ : await freePort();
      const grpcPort = next ? next++ : await freePort();
      const env: Record<string, string> = {
        ...(process.env as Record<string, string>),
        ...options.env,
        PATTERNMESH_BUS: 'pulsar',
        PULSAR_URL: pulsarUrl,
        PULSAR_ADMIN_URL: adminUrl,
        PATTERNMESH_HTTP_PORT: String(httpPort),
        PATTERNMESH_GRPC_PORT: String(grpcPort),
        PATTERNMESH_API_KEYS: apiKeys,
        PATTERNMESH_TOPIC_TENANT: topics.tenant,
      };
      if (name === 'autoscaler') {
        env['PATTERNMESH_TELEMETRY_TARGETS'] = services.map((s) => `127.0.0.1:${s.grpcPort}`).join(',');
      }
      const child = start(name, env);
      services.push({ name, httpPort, grpcPort, process: child, env });
      await waitReady(`http://127.0.0.1:${httpPort}/readyz`, child, 60_000);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const restart = async (name: ServiceName, signal: 'SIGKILL' | 'SIGTERM') => {
    const service = services.find((s) => s.name === name)!;
    const exited = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      service.process.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal }));
      service.process.kill(signal);
    });
    service.process = start(name, service.env);
    await waitReady(`http://127.0.0.1:${service.httpPort}/readyz`, service.process, 60_000);
    return exited;
  };
  return {
    pulsarUrl,
    adminUrl,
    services,
    service: (name) => services.find((s) => s.name === name)!,
    crashAndRestart: async (name) => {
      await restart(name, 'SIGKILL');
    },
    stopAndRestart: (name) => restart(name, 'SIGTERM'),
    stop,
  };
}
