// A Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver (client-certificate and ServiceAccount
// token authentication, RBAC authorization) and a kube-controller-manager running only the controllers
// an API-only cluster needs (namespace deletion, ServiceAccounts and their tokens, garbage collection,
// aggregated ClusterRoles, the root CA ConfigMap). No scheduler and no kubelet: objects are stored,
// validated, admitted, authorized and watched exactly as in a cluster, but no Pod ever runs.
//
//   const cluster = await ensureCluster();   // reuse the one running for the data dir, or start one
//   process.env.KUBECONFIG = cluster.kubeconfig;
//   ...; if (cluster.startedByUs) await cluster.stop();
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import {
  type Log,
  LOOPBACK,
  fmtMs,
  isAlive,
  isPortFree,
  noopLog,
  now,
  pickFreePorts,
  procCmdline,
  readJsonFile,
  sleep,
  tailFile,
  waitForExit,
  withLock,
  writeFileAtomic,
} from '@patternmesh/devkit';
import { type Binaries, ensureBinaries } from './build';
import { writeKubeconfig } from './kubeconfig';
import {
  ADMIN_USER,
  CONTROLLER_MANAGER_USER,
  SERVICE_CLUSTER_IP_RANGE,
  type ClusterPki,
  ensureClusterPki,
} from './pki';
import { defaultDataDir } from './versions';

export const DEFAULT_APISERVER_PORT = 16443;
export const DEFAULT_ETCD_PORT = 12379;
export const DEFAULT_READY_TIMEOUT_MS = 120_000;
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** kube-controller-manager's controllers (see the file comment for why only these). */
export const CONTROLLERS = [
  'namespace-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'garbage-collector-controller',
  'clusterrole-aggregation-controller',
  'root-ca-certificate-publisher-controller',
];
const DATA_MARKER = '.patternmesh-kube-data';

type Component = 'etcd' | 'apiserver' | 'controllerManager';
/** Stopped in this order (the reverse of starting). */
const COMPONENTS: Component[] = ['controllerManager', 'apiserver', 'etcd'];

export interface ClusterPorts {
  apiserver: number;
  etcd: number;
  etcdPeer: number;
  controllerManager: number;
}

export interface ClusterState {
  kubernetesVersion: string;
  etcdVersion: string;
  pids: Record<Component, number>;
  ports: ClusterPorts;
  server: string;
  kubeconfig: string;
  caFile: string;
  startedAt: string;
  startMs: number;
}

export interface ClusterHandle {
  /** `https://127.0.0.1:<port>` */
  server: string;
  /** Admin kubeconfig (user in group system:masters). */
  kubeconfig: string;
  /** The CA that signed the API server's certificate. */
  caFile: string;
  dataDir: string;
  state: ClusterState;
  /** False when the cluster was already running for the data dir. */
  startedByUs: boolean;
  stop(): Promise<void>;
}

export interface EnsureClusterOptions {
  dataDir?: string | undefined;
  /** Delete the data dir's contents first (stops a cluster running for it). */
  wipe?: boolean;
  /** >0: this port; 0: a free port; undefined: the data dir's previous port if free, else the default if free, else a free one. */
  apiserverPort?: number | undefined;
  /** etcd's client port; its peer port and the controller manager's are always free ports. */
  etcdPort?: number | undefined;
  readyTimeoutMs?: number;
  log?: Log;
}

interface DataPaths {
  dataDir: string;
  marker: string;
  state: string;
  lock: string;
  etcdData: string;
  logs: string;
  kubeconfig: string;
  controllerManagerKubeconfig: string;
  controllerManagerCerts: string;
}

function dataPaths(dataDir: string): DataPaths {
  return {
    dataDir,
    marker: path.join(dataDir, DATA_MARKER),
    state: path.join(dataDir, 'cluster.json'),
    lock: path.join(dataDir, '.start.lock'),
    etcdData: path.join(dataDir, 'etcd'),
    logs: path.join(dataDir, 'logs'),
    kubeconfig: path.join(dataDir, 'kubeconfig'),
    controllerManagerKubeconfig: path.join(dataDir, 'controller-manager.kubeconfig'),
    controllerManagerCerts: path.join(dataDir, 'controller-manager'),
  };
}

function logFile(paths: DataPaths, component: Component): string {
  return path.join(paths.logs, `${component}.log`);
}

/** The command-line arguments of each component: pure, so the unit tests can read them. */
export function componentArgs(
  component: Component,
  ctx: { paths: DataPaths; pki: ClusterPki; ports: ClusterPorts },
): string[] {
  const { paths, pki, ports } = ctx;
  const etcdClient = `http://${LOOPBACK}:${ports.etcd}`;
  const etcdPeer = `http://${LOOPBACK}:${ports.etcdPeer}`;
  switch (component) {
    case 'etcd':
      return [
        '--name=patternmesh',
        `--data-dir=${paths.etcdData}`,
        `--listen-client-urls=${etcdClient}`,
        `--advertise-client-urls=${etcdClient}`,
        `--listen-peer-urls=${etcdPeer}`,
        `--initial-advertise-peer-urls=${etcdPeer}`,
        `--initial-cluster=patternmesh=${etcdPeer}`,
        // A throw-away store for tests and development: durability per write is not worth its fsyncs.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ];
    case 'apiserver':
      return [
        `--etcd-servers=${etcdClient}`,
        `--bind-address=${LOOPBACK}`,
        `--advertise-address=${LOOPBACK}`,
        `--secure-port=${ports.apiserver}`,
        `--tls-cert-file=${pki.apiserverCert}`,
        `--tls-private-key-file=${pki.apiserverKey}`,
        `--client-ca-file=${pki.caCert}`,
        '--authorization-mode=RBAC',
        `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
        `--service-account-key-file=${pki.serviceAccountPublicKey}`,
        `--service-account-signing-key-file=${pki.serviceAccountPrivateKey}`,
        `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
        // Endpoints may not hold a loopback address, so the `kubernetes` Service gets none.
        '--endpoint-reconciler-type=none',
        '--profiling=false',
      ];
    case 'controllerManager':
      return [
        `--kubeconfig=${paths.controllerManagerKubeconfig}`,
        `--authentication-kubeconfig=${paths.controllerManagerKubeconfig}`,
        `--authorization-kubeconfig=${paths.controllerManagerKubeconfig}`,
        // Only loopback health checks reach it; the request-header CA it would look up is not set.
        '--authentication-skip-lookup=true',
        `--controllers=${CONTROLLERS.join(',')}`,
        '--leader-elect=false',
        `--service-account-private-key-file=${pki.serviceAccountPrivateKey}`,
        `--root-ca-file=${pki.caCert}`,
        // Each controller acts as its own ServiceAccount (system:controller:<name>), with the bootstrap
        // policy's role for it, as kubeadm runs it: the manager's own user may do far less.
        '--use-service-account-credentials=true',
        `--bind-address=${LOOPBACK}`,
        `--secure-port=${ports.controllerManager}`,
        `--cert-dir=${paths.controllerManagerCerts}`,
        '--profiling=false',
      ];
  }
}

function binaryOf(component: Component, bins: Binaries): string {
  return { etcd: bins.etcd, apiserver: bins.kubeApiserver, controllerManager: bins.kubeControllerManager }[
    component
  ];
}

function spawnDetached(bin: string, args: string[], log: string, cwd: string): number {
  fs.mkdirSync(path.dirname(log), { recursive: true });
  const fd = fs.openSync(log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(bin, args, { cwd, detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  child.unref();
  if (!child.pid) throw new Error(`could not spawn ${bin}`);
  return child.pid;
}

interface TlsRequest {
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  /** Only for the controller manager's self-signed health endpoint, on loopback. */
  insecure?: boolean;
}

function httpsGet(url: string, tls: TlsRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      {
        ca: tls.ca ? fs.readFileSync(tls.ca) : undefined,
        cert: tls.cert ? fs.readFileSync(tls.cert) : undefined,
        key: tls.key ? fs.readFileSync(tls.key) : undefined,
        rejectUnauthorized: !tls.insecure,
        timeout: 3000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function waitUntil(
  what: string,
  pid: number,
  log: string,
  deadline: number,
  ready: () => Promise<boolean>,
): Promise<void> {
  for (;;) {
    if (!isAlive(pid)) throw new Error(`${what} exited during start-up; its log (${log}):\n${tailFile(log)}`);
    try {
      if (await ready()) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline)
      throw new Error(`${what} not ready in time; its log (${log}):\n${tailFile(log)}`);
    await sleep(250);
  }
}

function adminTls(pki: ClusterPki): TlsRequest {
  return { ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey };
}

/** The API server answers /readyz (etcd reachable, RBAC bootstrap policy in place, …). */
export async function apiserverReady(server: string, pki: ClusterPki): Promise<boolean> {
  return (await httpsGet(`${server}/readyz`, adminTls(pki))).status === 200;
}

function ownsPid(pid: number, bin: string): boolean {
  const cmd = procCmdline(pid);
  return isAlive(pid) && !!cmd?.[0] && path.basename(cmd[0]) === path.basename(bin);
}

async function pickPorts(
  opts: EnsureClusterOptions,
  previous: ClusterPorts | undefined,
): Promise<ClusterPorts> {
  const [freeApi, freeEtcd, etcdPeer, controllerManager] = await pickFreePorts(4);
  const choose = async (
    given: number | undefined,
    last: number | undefined,
    fallback: number,
    free: number,
  ) => {
    if (given !== undefined) return given === 0 ? free : given;
    for (const p of [last, fallback]) if (p && (await isPortFree(p))) return p;
    return free;
  };
  return {
    apiserver: await choose(opts.apiserverPort, previous?.apiserver, DEFAULT_APISERVER_PORT, freeApi!),
    etcd: await choose(opts.etcdPort, previous?.etcd, DEFAULT_ETCD_PORT, freeEtcd!),
    etcdPeer: etcdPeer!,
    controllerManager: controllerManager!,
  };
}

function handleFor(paths: DataPaths, state: ClusterState, startedByUs: boolean): ClusterHandle {
  return {
    server: state.server,
    kubeconfig: state.kubeconfig,
    caFile: state.caFile,
    dataDir: paths.dataDir,
    state,
    startedByUs,
    stop: () => stopCluster({ dataDir: paths.dataDir }).then(() => undefined),
  };
}

function prepareDataDir(paths: DataPaths, wipe: boolean): void {
  if (wipe && fs.existsSync(paths.dataDir)) {
    if (fs.readdirSync(paths.dataDir).length > 0 && !fs.existsSync(paths.marker)) {
      throw new Error(
        `refusing to wipe ${paths.dataDir}: it has no ${DATA_MARKER} marker (not made by this tool)`,
      );
    }
    for (const entry of fs.readdirSync(paths.dataDir)) {
      if (entry === '.start.lock') continue;
      fs.rmSync(path.join(paths.dataDir, entry), { recursive: true, force: true });
    }
  }
  fs.mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(paths.marker, 'made by tools/kube; --wipe may delete this directory\n');
}

/** Start the control plane for the data dir, or return the one already running and ready there. */
export async function ensureCluster(opts: EnsureClusterOptions = {}): Promise<ClusterHandle> {
  const log = opts.log ?? noopLog;
  const paths = dataPaths(path.resolve(opts.dataDir ?? defaultDataDir()));
  fs.mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  return withLock(
    paths.lock,
    async () => {
      if (opts.wipe) await stopCluster({ dataDir: paths.dataDir, log });
      const previous = readJsonFile<ClusterState>(paths.state);
      if (previous && !opts.wipe) {
        const running = await runningState(paths, previous);
        if (running) {
          log(
            `reusing the control plane on ${running.server} (pids ${Object.values(running.pids).join(', ')})`,
          );
          return handleFor(paths, running, false);
        }
        // Part of it is gone: start cleanly rather than mix old and new processes.
        await stopCluster({ dataDir: paths.dataDir, log });
      }
      prepareDataDir(paths, !!opts.wipe);
      const bins = await ensureBinaries({ log });
      const t0 = now();
      const pki = ensureClusterPki(paths.dataDir);
      const ports = await pickPorts(opts, previous?.ports);
      const server = `https://${LOOPBACK}:${ports.apiserver}`;
      const ctx = { paths, pki, ports };
      const deadline = Date.now() + (opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
      const pids = {} as Record<Component, number>;
      const start = (c: Component) => {
        pids[c] = spawnDetached(binaryOf(c, bins), componentArgs(c, ctx), logFile(paths, c), paths.dataDir);
        return pids[c];
      };
      try {
        await waitUntil('etcd', start('etcd'), logFile(paths, 'etcd'), deadline, async () => {
          const res = await fetch(`http://${LOOPBACK}:${ports.etcd}/health`, {
            signal: AbortSignal.timeout(2000),
          });
          return res.ok && ((await res.json()) as { health?: string }).health === 'true';
        });
        await waitUntil('kube-apiserver', start('apiserver'), logFile(paths, 'apiserver'), deadline, () =>
          apiserverReady(server, pki),
        );
        writeKubeconfig(paths.kubeconfig, {
          server,
          caFile: pki.caCert,
          user: ADMIN_USER,
          clientCertFile: pki.adminCert,
          clientKeyFile: pki.adminKey,
        });
        writeKubeconfig(paths.controllerManagerKubeconfig, {
          server,
          caFile: pki.caCert,
          user: CONTROLLER_MANAGER_USER,
          clientCertFile: pki.controllerManagerCert,
          clientKeyFile: pki.controllerManagerKey,
        });
        await waitUntil(
          'kube-controller-manager',
          start('controllerManager'),
          logFile(paths, 'controllerManager'),
          deadline,
          // Ready once its ServiceAccount controller has made the default namespace's ServiceAccount.
          async () =>
            (await httpsGet(`${server}/api/v1/namespaces/default/serviceaccounts/default`, adminTls(pki)))
              .status === 200,
        );
      } catch (e) {
        for (const c of COMPONENTS) if (pids[c]) await terminate(pids[c], 10_000);
        throw e;
      }
      const state: ClusterState = {
        kubernetesVersion: bins.versions.kubernetes,
        etcdVersion: bins.versions.etcd,
        pids,
        ports,
        server,
        kubeconfig: paths.kubeconfig,
        caFile: pki.caCert,
        startedAt: new Date().toISOString(),
        startMs: Math.round(now() - t0),
      };
      writeFileAtomic(paths.state, `${JSON.stringify(state, null, 2)}\n`);
      log(`start: ${fmtMs(state.startMs)} to ready; ${server}; pids ${Object.values(pids).join(', ')}`);
      return handleFor(paths, state, true);
    },
    { log, what: 'the control plane start lock', timeoutMs: 60 * 60_000 },
  );
}

/** The state if every component is alive and the API server is ready, else null. */
async function runningState(paths: DataPaths, state: ClusterState): Promise<ClusterState | null> {
  if (!COMPONENTS.every((c) => isAlive(state.pids[c]))) return null;
  try {
    return (await apiserverReady(state.server, ensureClusterPki(paths.dataDir))) ? state : null;
  } catch {
    return null;
  }
}

async function terminate(pid: number, timeoutMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (!(await waitForExit(pid, timeoutMs))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    await waitForExit(pid, 5000);
  }
}

export interface StopResult {
  stopped: Component[];
}

/** Stop every component recorded for the data dir (SIGTERM, then SIGKILL after 20 s). */
export async function stopCluster({
  dataDir,
  log = noopLog,
}: { dataDir?: string | undefined; log?: Log } = {}): Promise<StopResult> {
  const paths = dataPaths(path.resolve(dataDir ?? defaultDataDir()));
  const state = readJsonFile<ClusterState>(paths.state);
  const stopped: Component[] = [];
  if (!state) return { stopped };
  const bins = {
    etcd: 'etcd',
    apiserver: 'kube-apiserver',
    controllerManager: 'kube-controller-manager',
  } as const;
  for (const c of COMPONENTS) {
    const pid = state.pids[c];
    // A recycled pid belongs to someone else: only signal the program we started.
    if (!pid || !ownsPid(pid, bins[c])) continue;
    await terminate(pid, 20_000);
    stopped.push(c);
  }
  if (stopped.length) log(`stopped ${stopped.join(', ')}`);
  return { stopped };
}

export interface ClusterStatus {
  running: boolean;
  dataDir: string;
  state: ClusterState | null;
  alive: Partial<Record<Component, boolean>>;
}

export async function clusterStatus({
  dataDir,
}: { dataDir?: string | undefined } = {}): Promise<ClusterStatus> {
  const paths = dataPaths(path.resolve(dataDir ?? defaultDataDir()));
  const state = readJsonFile<ClusterState>(paths.state);
  const alive: Partial<Record<Component, boolean>> = {};
  if (state) for (const c of COMPONENTS) alive[c] = isAlive(state.pids[c]);
  const running = !!state && (await runningState(paths, state)) !== null;
  return { running, dataDir: paths.dataDir, state, alive };
}
