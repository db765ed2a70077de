// Programmatic API for a local Apache Pulsar standalone broker (jars from Maven Central, run on
// 127.0.0.1). Used by the CLI (standalone.ts) and by test setups:
//
//   import { ensureBroker } from '@patternmesh/pulsar-tools';
//   const broker = await ensureBroker();          // reuse the broker of that data dir, or start one
//   process.env.PULSAR_URL = broker.serviceUrl;   // pulsar://127.0.0.1:<port>
//   ...; if (broker.startedByUs) await broker.stop();
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  type JavaInfo,
  type Log,
  LOOPBACK,
  STANDALONE_MAIN,
  baseJvmFlags,
  defaultDataDir,
  findJava,
  fmtMs,
  httpGet,
  httpJson,
  isAlive,
  isPortFree,
  noopLog,
  now,
  pickFreePorts,
  procCmdline,
  readJsonFile,
  rssBytes,
  sleep,
  splitOpts,
  stderrLog,
  tailFile,
  waitForExit,
  withLock,
  writeFileAtomic,
} from './common';
import {
  type ConfValue,
  type DataPaths,
  type Ports,
  clientConf,
  dataPaths,
  ensureAuthMaterial,
  ensureTlsMaterial,
  log4j2Xml,
  signToken,
  standaloneConf,
} from './config';
import { type Pins, type ResolveResult, resolvePulsar } from './resolve';

export const DEFAULT_MEM = '-Xms512m -Xmx1g -XX:MaxDirectMemorySize=1g';
export const DEFAULT_GC = '-XX:+UseG1GC -XX:+PerfDisableSharedMem -XX:+ExitOnOutOfMemoryError';
export const DEFAULT_READY_TIMEOUT_MS = 300_000;
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;

export type BrokerPorts = Ports;

export interface JavaOpts {
  mem?: string;
  gc?: string;
  extra?: string;
}

export interface EnsureBrokerOptions {
  /** Data dir (default `<cache>/data`). One broker per data dir. */
  dataDir?: string | undefined;
  /** Delete the data dir's contents first (stops a broker running for it). */
  wipe?: boolean;
  /** Broker port. >0: exactly this port; 0: any free port; undefined: the data dir's last port if free, else a free one. */
  port?: number | undefined;
  /** Admin/HTTP port; same rules as `port`. */
  webPort?: number | undefined;
  /** TLS broker port (with `tls`); same rules as `port`. */
  tlsPort?: number | undefined;
  /** HTTPS port (with `tls`); same rules as `port`. */
  webTlsPort?: number | undefined;
  /** Token authentication + authorization (superuser role "admin"); the handle carries `token`. */
  auth?: boolean;
  /** Also serve pulsar+ssl:// and https:// with a self-signed CA (handle carries `tlsTrustCertsFilePath`). */
  tls?: boolean;
  /** Extra standalone.conf keys, e.g. `{ brokerDeduplicationEnabled: true }`. */
  extraConf?: Record<string, ConfValue>;
  /** Exact Pulsar version (default 4.0.8 or env PATTERNMESH_PULSAR_VERSION). */
  version?: string | undefined;
  /** JVM options; each defaults to env PULSAR_MEM / PULSAR_GC / PULSAR_EXTRA_OPTS, then the defaults. */
  javaOpts?: JavaOpts;
  /** Readiness timeout (default 300 000 ms). */
  timeoutMs?: number;
  /** Progress messages: a function, or `true` for stderr. */
  log?: Log | boolean;
}

export interface StopResult {
  wasRunning: boolean;
  pid?: number;
  /** True if SIGKILL was needed. */
  killed?: boolean;
  ms?: number;
}

export interface BrokerUrls {
  serviceUrl: string;
  adminUrl: string;
  serviceUrlTls?: string;
  adminUrlTls?: string;
}

/** broker.json: what a start wrote (ports, URLs, Java, timings). */
export interface BrokerState extends BrokerUrls {
  version: string;
  pid: number;
  dataDir: string;
  ports: BrokerPorts;
  auth: boolean;
  tls: boolean;
  extraConf: Record<string, ConfValue>;
  javaOpts: JavaOpts | null;
  tokenFile?: string | undefined;
  tlsTrustCertsFilePath?: string | undefined;
  clientConf: string;
  java: { bin: string; version: string };
  libDir: string;
  pins: Pins;
  logFile: string;
  startedAt: string;
  resolveMs: number;
  readyAt?: string;
  stoppedAt?: string;
  startMs?: number;
  totalMs?: number;
}

export interface BrokerStatus {
  dataDir: string;
  running: boolean;
  ready: boolean;
  pid?: number | undefined;
  rssBytes?: number | null | undefined;
  state?: BrokerState | undefined;
  logFile: string;
}

export interface BrokerHandle {
  /** `pulsar://127.0.0.1:<port>` */
  readonly serviceUrl: string;
  /** `http://127.0.0.1:<webPort>` */
  readonly adminUrl: string;
  /** `pulsar+ssl://127.0.0.1:<tlsPort>` when started with `tls`. */
  readonly serviceUrlTls?: string | undefined;
  /** `https://127.0.0.1:<webTlsPort>` when started with `tls`. */
  readonly adminUrlTls?: string | undefined;
  /** CA certificate (PEM) that signed the broker's certificate, when started with `tls`. */
  readonly tlsTrustCertsFilePath?: string | undefined;
  /** Superuser ("admin") JWT when started with `auth`. */
  readonly token?: string | undefined;
  readonly ports: BrokerPorts;
  readonly dataDir: string;
  readonly version: string;
  /** client.conf for pulsar-admin/pulsar-perf style tools. */
  readonly clientConf: string;
  /** The broker's log4j log file. */
  readonly logFile: string;
  /** Current broker pid (changes after restart()). */
  readonly pid: number;
  /** Milliseconds from spawn to ready of the latest start, if known. */
  readonly startMs?: number | undefined;
  /** True if this call started the broker (so the caller should stop it); false if it reused one. */
  readonly startedByUs: boolean;
  /** Graceful stop: SIGTERM, wait up to timeoutMs (30 s), then SIGKILL. */
  stop(options?: { timeoutMs?: number }): Promise<StopResult>;
  /** SIGKILL the broker (crash tests); resolves once the process is gone. */
  kill9(): Promise<void>;
  /** Start again on the SAME ports and data dir (stopping first if still running) and wait until ready. */
  restart(options?: { timeoutMs?: number }): Promise<{ pid: number; startMs: number }>;
  status(): Promise<BrokerStatus>;
}

interface Settings {
  version?: string | undefined;
  ports: BrokerPorts;
  auth: boolean;
  tls: boolean;
  extraConf: Record<string, ConfValue>;
  javaOpts?: JavaOpts | undefined;
}

function absDataDir(d: string | undefined): string {
  return path.resolve(d || defaultDataDir());
}

function logger(log: Log | boolean | undefined): Log {
  if (log === true) return stderrLog;
  return typeof log === 'function' ? log : noopLog;
}

/** pid of the broker running for this data dir (checked against /proc cmdline), or null. */
function runningPid(paths: DataPaths): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(paths.pid, 'utf8'), 10);
  } catch {
    return null;
  }
  if (!isAlive(pid)) return null;
  const cmd = procCmdline(pid);
  if (cmd && !(cmd.includes(STANDALONE_MAIN) && cmd.includes(paths.conf))) return null; // pid reused
  return pid;
}

function readState(paths: DataPaths): BrokerState | null {
  return readJsonFile<BrokerState>(paths.state);
}

function urlsFor(ports: BrokerPorts, tls: boolean): BrokerUrls {
  return {
    serviceUrl: `pulsar://${LOOPBACK}:${ports.broker}`,
    adminUrl: `http://${LOOPBACK}:${ports.web}`,
    ...(tls
      ? {
          serviceUrlTls: `pulsar+ssl://${LOOPBACK}:${ports.brokerTls}`,
          adminUrlTls: `https://${LOOPBACK}:${ports.webTls}`,
        }
      : {}),
  };
}

function tokenOf(paths: DataPaths, state: { auth?: boolean } | null | undefined): string | undefined {
  if (!state?.auth) return undefined;
  try {
    return fs.readFileSync(paths.adminToken, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Create (or, with wipe, empty) the data dir. Refuses to wipe a directory this tool did not create. */
function prepareDataDir(paths: DataPaths, wipe: boolean, log: Log): void {
  const { dataDir } = paths;
  if (fs.existsSync(dataDir)) {
    const entries = fs.readdirSync(dataDir).filter((e) => e !== '.start.lock');
    if (entries.length && !fs.existsSync(paths.marker)) {
      throw new Error(
        `${dataDir} is not empty and was not created by tools/pulsar (no ${path.basename(paths.marker)}); refusing to use it`,
      );
    }
    if (wipe && entries.length) {
      log(`wiping ${dataDir}`);
      for (const e of entries) fs.rmSync(path.join(dataDir, e), { recursive: true, force: true });
    }
  }
  for (const d of [dataDir, path.dirname(paths.conf), paths.logs, paths.tmp])
    fs.mkdirSync(d, { recursive: true });
  if (!fs.existsSync(paths.marker)) {
    fs.writeFileSync(paths.marker, 'Apache Pulsar standalone data dir managed by patternmesh tools/pulsar\n');
  }
}

type PortKey = keyof BrokerPorts;

/**
 * Decide ports. requested[k]: >0 = exactly that port; 0 = any free port; undefined = the port this
 * data dir used last time if it is free, else any free port.
 */
async function choosePorts({
  requested,
  previous,
  tls,
}: {
  requested: Partial<Record<PortKey, number | undefined>>;
  previous: BrokerPorts | undefined;
  tls: boolean;
}): Promise<BrokerPorts> {
  const keys: PortKey[] = tls ? ['broker', 'web', 'brokerTls', 'webTls'] : ['broker', 'web'];
  const out: Partial<Record<PortKey, number>> = {};
  const need: PortKey[] = [];
  for (const k of keys) {
    const r = requested[k];
    const prev = previous?.[k];
    if (r !== undefined && r > 0) {
      if (!(await isPortFree(r))) {
        throw new Error(`port ${LOOPBACK}:${r} (${k}) is in use; pick another or pass 0 for a free port`);
      }
      out[k] = r;
    } else if (r === undefined && prev && (await isPortFree(prev))) {
      out[k] = prev;
    } else {
      need.push(k);
    }
  }
  if (need.length) {
    const taken = new Set(Object.values(out));
    const free = (await pickFreePorts(need.length + 4)).filter((p) => !taken.has(p));
    for (const k of need) out[k] = free.shift();
  }
  return out as BrokerPorts;
}

/** Poll the admin API until the broker is ready and `public/default` exists. Returns the wait in ms. */
async function waitReady({
  paths,
  pid,
  adminUrl,
  token,
  timeoutMs = DEFAULT_READY_TIMEOUT_MS,
  log = noopLog,
}: {
  paths: DataPaths;
  pid: number | null;
  adminUrl: string;
  token: string | undefined;
  timeoutMs?: number;
  log?: Log;
}): Promise<number> {
  const t0 = now();
  let lastNote = t0;
  let phase: 'broker' | 'cluster' | 'namespace' = 'broker';
  for (;;) {
    if (pid && !isAlive(pid)) {
      const tail = tailFile(paths.log, 30) || tailFile(paths.stdout, 30);
      throw new Error(`Pulsar (pid ${pid}) exited during startup. Logs: ${paths.logs}\n${tail}`);
    }
    if (now() - t0 > timeoutMs) {
      throw new Error(
        `Pulsar not ready after ${fmtMs(timeoutMs)} (waiting for ${phase}); logs: ${paths.logs}`,
      );
    }
    try {
      if (phase === 'broker') {
        const r = await httpGet(`${adminUrl}/admin/v2/brokers/ready`, { token });
        if (r.status === 200) phase = 'cluster';
      }
      if (phase === 'cluster') {
        const r = await httpGet(`${adminUrl}/admin/v2/clusters`, { token });
        if (r.status === 200 && Array.isArray(r.json) && r.json.includes('standalone')) phase = 'namespace';
      }
      if (phase === 'namespace') {
        const r = await httpGet(`${adminUrl}/admin/v2/namespaces/public`, { token });
        if (r.status === 200 && Array.isArray(r.json) && r.json.includes('public/default')) return now() - t0;
      }
    } catch {
      /* not listening yet */
    }
    if (now() - lastNote > 15_000) {
      log(`still starting (${fmtMs(now() - t0)}, waiting for ${phase})…`);
      lastNote = now();
    }
    await sleep(250);
  }
}

interface ClusterData {
  serviceUrl?: string;
  brokerServiceUrl?: string;
  serviceUrlTls?: string;
  brokerServiceUrlTls?: string;
  [key: string]: unknown;
}

/** PulsarStandalone creates the cluster once; keep its URLs in line with the current ports. */
async function syncClusterUrls({
  adminUrl,
  token,
  urls,
}: {
  adminUrl: string;
  token: string | undefined;
  urls: BrokerUrls;
}): Promise<void> {
  try {
    const r = await httpGet(`${adminUrl}/admin/v2/clusters/standalone`, { token });
    if (r.status !== 200 || !r.json) return;
    const current = r.json as ClusterData;
    const want: ClusterData = {
      ...current,
      serviceUrl: urls.adminUrl,
      brokerServiceUrl: urls.serviceUrl,
      serviceUrlTls: urls.adminUrlTls || current.serviceUrlTls,
      brokerServiceUrlTls: urls.serviceUrlTls || current.brokerServiceUrlTls,
    };
    if (want.serviceUrl === current.serviceUrl && want.brokerServiceUrl === current.brokerServiceUrl) {
      if (!urls.serviceUrlTls || want.brokerServiceUrlTls === current.brokerServiceUrlTls) return;
    }
    await httpJson('POST', `${adminUrl}/admin/v2/clusters/standalone`, want, { token });
  } catch {
    /* cosmetic */
  }
}

interface Launched {
  child: ChildProcess;
  pid: number;
  state: BrokerState;
  resolve: ResolveResult;
  java: JavaInfo;
}

/**
 * Write configs and spawn the JVM. Detached (own process group, stdio → logs/stdout.log) unless
 * foreground.
 */
async function launch({
  paths,
  settings,
  foreground = false,
  log = noopLog,
}: {
  paths: DataPaths;
  settings: Settings;
  foreground?: boolean;
  log?: Log;
}): Promise<Launched> {
  const { version, ports, auth, tls, extraConf, javaOpts } = settings;
  const res = await resolvePulsar({ version, log });
  const java = findJava();
  if (auth) ensureAuthMaterial(paths);
  if (tls) ensureTlsMaterial(paths);
  const urls = urlsFor(ports, tls);
  writeFileAtomic(paths.conf, standaloneConf({ paths, ports, auth, tls, extra: extraConf }));
  writeFileAtomic(paths.log4j, log4j2Xml({ logFile: paths.log, console: foreground }));
  writeFileAtomic(
    paths.clientConf,
    clientConf({
      serviceUrl: urls.serviceUrl,
      adminUrl: urls.adminUrl,
      tokenFile: auth ? paths.adminToken : undefined,
    }),
  );
  const args = [
    ...splitOpts(javaOpts?.mem ?? process.env.PULSAR_MEM ?? DEFAULT_MEM),
    ...splitOpts(javaOpts?.gc ?? process.env.PULSAR_GC ?? DEFAULT_GC),
    ...baseJvmFlags(java),
    '-Dbookkeeper.metadata.bookie.drivers=org.apache.pulsar.metadata.bookkeeper.PulsarMetadataBookieDriver',
    '-Dbookkeeper.metadata.client.drivers=org.apache.pulsar.metadata.bookkeeper.PulsarMetadataClientDriver',
    `-Dlog4j.configurationFile=${paths.log4j}`,
    `-Dpulsar.log.dir=${paths.logs}`,
    ...splitOpts(javaOpts?.extra ?? process.env.PULSAR_EXTRA_OPTS ?? ''),
    '-cp',
    `${res.libDir}/*`,
    STANDALONE_MAIN,
    '--config',
    paths.conf,
    '--metadata-dir',
    paths.metadata,
    '--bookkeeper-dir',
    paths.bookkeeper,
    '--no-functions-worker',
    '--no-stream-storage',
  ];
  fs.appendFileSync(
    paths.stdout,
    `\n==== ${new Date().toISOString()} patternmesh tools/pulsar starting Pulsar ${res.version}\n${java.bin} ${args.join(' ')}\n`,
  );
  const env = { ...process.env };
  delete env.PULSAR_STANDALONE_USE_ZOOKEEPER; // always the RocksDB metadata store
  let child: ChildProcess;
  if (foreground) {
    child = spawn(java.bin, args, { cwd: paths.dataDir, stdio: ['ignore', 'inherit', 'inherit'], env });
  } else {
    const fd = fs.openSync(paths.stdout, 'a');
    try {
      child = spawn(java.bin, args, { cwd: paths.dataDir, detached: true, stdio: ['ignore', fd, fd], env });
    } finally {
      fs.closeSync(fd);
    }
    child.unref();
  }
  child.on('error', (e) => log(`java failed to start: ${e.message}`));
  const pid = child.pid;
  if (!pid) throw new Error(`could not spawn ${java.bin}`);
  writeFileAtomic(paths.pid, `${pid}\n`);
  const state: BrokerState = {
    version: res.version,
    pid,
    dataDir: paths.dataDir,
    ports,
    auth: !!auth,
    tls: !!tls,
    extraConf: extraConf || {},
    javaOpts: javaOpts || null,
    ...urls,
    tokenFile: auth ? paths.adminToken : undefined,
    tlsTrustCertsFilePath: tls ? paths.caCert : undefined,
    clientConf: paths.clientConf,
    java: { bin: java.bin, version: java.full },
    libDir: res.libDir,
    pins: res.pins,
    logFile: paths.log,
    startedAt: new Date().toISOString(),
    resolveMs: Math.round(res.ms),
  };
  writeFileAtomic(paths.state, `${JSON.stringify(state, null, 2)}\n`);
  return { child, pid, state, resolve: res, java };
}

export interface StartResult extends Launched {
  readyMs: number;
}

/** Launch + wait until ready; records timings in broker.json. */
async function startAndWait({
  paths,
  settings,
  foreground = false,
  timeoutMs,
  log,
}: {
  paths: DataPaths;
  settings: Settings;
  foreground?: boolean;
  timeoutMs: number;
  log: Log;
}): Promise<StartResult> {
  const t0 = now();
  const l = await launch({ paths, settings, foreground, log });
  const token = tokenOf(paths, l.state);
  log(
    `started Pulsar ${l.state.version} pid ${l.pid} on ${l.state.serviceUrl} (admin ${l.state.adminUrl}) with Java ${l.java.full}; waiting for ready…`,
  );
  let readyMs: number;
  try {
    readyMs = await waitReady({ paths, pid: l.pid, adminUrl: l.state.adminUrl, token, timeoutMs, log });
  } catch (e) {
    if (isAlive(l.pid)) {
      try {
        process.kill(l.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await waitForExit(l.pid, 10_000);
    }
    fs.rmSync(paths.pid, { force: true });
    throw e;
  }
  await syncClusterUrls({ adminUrl: l.state.adminUrl, token, urls: l.state });
  const state: BrokerState = {
    ...l.state,
    readyAt: new Date().toISOString(),
    startMs: Math.round(readyMs),
    totalMs: Math.round(now() - t0),
  };
  writeFileAtomic(paths.state, `${JSON.stringify(state, null, 2)}\n`);
  return { ...l, state, readyMs };
}

function settingsFrom(
  opts: EnsureBrokerOptions,
  previous: BrokerState | null | undefined,
  ports: BrokerPorts,
): Settings {
  return {
    version: opts.version || previous?.version,
    ports,
    auth: !!opts.auth,
    tls: !!opts.tls,
    extraConf: opts.extraConf || {},
    javaOpts: opts.javaOpts,
  };
}

function makeHandle(
  paths: DataPaths,
  state: BrokerState,
  startedByUs: boolean,
  log: Log,
  timeoutMs: number,
): BrokerHandle {
  let current = state;
  return {
    dataDir: paths.dataDir,
    version: state.version,
    serviceUrl: state.serviceUrl,
    adminUrl: state.adminUrl,
    serviceUrlTls: state.serviceUrlTls,
    adminUrlTls: state.adminUrlTls,
    tlsTrustCertsFilePath: state.tlsTrustCertsFilePath,
    token: tokenOf(paths, state),
    ports: { ...state.ports },
    clientConf: paths.clientConf,
    logFile: paths.log,
    startedByUs,
    get pid() {
      return current.pid;
    },
    get startMs() {
      return current.startMs;
    },
    async stop(o = {}) {
      return stopBroker({ dataDir: paths.dataDir, log, ...o });
    },
    async kill9() {
      const pid = current.pid;
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      if (!(await waitForExit(pid, 30_000))) throw new Error(`pid ${pid} survived SIGKILL`);
      fs.rmSync(paths.pid, { force: true });
    },
    async restart(o = {}) {
      return withLock(
        paths.startLock,
        async () => {
          if (runningPid(paths)) await stopBroker({ dataDir: paths.dataDir, log });
          // SAME ports and data dir as before.
          const settings: Settings = {
            version: current.version,
            ports: { ...current.ports },
            auth: current.auth,
            tls: current.tls,
            extraConf: current.extraConf,
            javaOpts: current.javaOpts ?? undefined,
          };
          for (const [k, p] of Object.entries(settings.ports) as [string, number | undefined][]) {
            if (p === undefined) continue;
            // A just-killed broker frees its ports immediately, but be patient with TIME_WAIT quirks.
            const t0 = Date.now();
            while (!(await isPortFree(p))) {
              if (Date.now() - t0 > 30_000) throw new Error(`port ${p} (${k}) still in use; cannot restart`);
              await sleep(200);
            }
          }
          const r = await startAndWait({ paths, settings, timeoutMs: o.timeoutMs ?? timeoutMs, log });
          current = r.state;
          return { pid: r.pid, startMs: r.readyMs };
        },
        { log, what: 'start lock' },
      );
    },
    status() {
      return brokerStatus({ dataDir: paths.dataDir });
    },
  };
}

/**
 * Return the broker for `dataDir`, starting one (free loopback ports unless given) if none runs.
 * Concurrent callers (e.g. parallel test projects) share one broker: starts are serialized by a
 * lock file in the data dir.
 */
export async function ensureBroker(opts: EnsureBrokerOptions = {}): Promise<BrokerHandle> {
  const log = logger(opts.log);
  const paths = dataPaths(absDataDir(opts.dataDir));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  fs.mkdirSync(paths.dataDir, { recursive: true });
  return withLock(
    paths.startLock,
    async () => {
      let pid = runningPid(paths);
      const previous = readState(paths);
      if (pid && opts.wipe) {
        await stopBroker({ dataDir: paths.dataDir, log });
        pid = null;
      }
      if (pid && previous) {
        const diffs: string[] = [];
        if (!!opts.auth !== !!previous.auth) diffs.push(`auth ${!!previous.auth} (wanted ${!!opts.auth})`);
        if (!!opts.tls !== !!previous.tls) diffs.push(`tls ${!!previous.tls} (wanted ${!!opts.tls})`);
        if (diffs.length) {
          throw new Error(
            `A Pulsar broker (pid ${pid}) already runs for ${paths.dataDir} with ${diffs.join(', ')}. ` +
              `Stop it (npm run pulsar:standalone -- --stop --data-dir ${paths.dataDir}) or use another dataDir.`,
          );
        }
        for (const [k, want] of [
          ['broker', opts.port],
          ['web', opts.webPort],
        ] as const) {
          if (want !== undefined && want > 0 && want !== previous.ports[k]) {
            log(
              `note: broker already running on ${k} port ${previous.ports[k]} (requested ${want}); reusing it`,
            );
          }
        }
        await waitReady({
          paths,
          pid,
          adminUrl: previous.adminUrl,
          token: tokenOf(paths, previous),
          timeoutMs,
          log,
        });
        return makeHandle(paths, { ...previous, pid }, false, log, timeoutMs);
      }
      prepareDataDir(paths, !!opts.wipe, log);
      const prevPorts = opts.wipe ? undefined : previous?.ports;
      const ports = await choosePorts({
        requested: { broker: opts.port, web: opts.webPort, brokerTls: opts.tlsPort, webTls: opts.webTlsPort },
        previous: prevPorts,
        tls: !!opts.tls,
      });
      const r = await startAndWait({
        paths,
        settings: settingsFrom(opts, opts.wipe ? undefined : previous, ports),
        foreground: false,
        timeoutMs,
        log,
      });
      log(
        `ready in ${fmtMs(r.readyMs)} (resolve ${fmtMs(r.resolve.ms)}${r.resolve.cached ? ', cached' : ''})`,
      );
      return makeHandle(paths, r.state, true, log, timeoutMs);
    },
    { log, what: 'start lock', timeoutMs: timeoutMs + 120_000 },
  );
}

/**
 * Start attached (foreground): resolves once ready; the caller owns the child process. Used by
 * `pulsar:standalone --foreground`.
 */
export async function startForeground(opts: EnsureBrokerOptions = {}): Promise<StartResult> {
  const log = logger(opts.log);
  const paths = dataPaths(absDataDir(opts.dataDir));
  fs.mkdirSync(paths.dataDir, { recursive: true });
  return withLock(
    paths.startLock,
    async () => {
      const pid = runningPid(paths);
      if (pid) throw new Error(`a broker (pid ${pid}) already runs for ${paths.dataDir}; stop it first`);
      const previous = readState(paths);
      prepareDataDir(paths, !!opts.wipe, log);
      const ports = await choosePorts({
        requested: { broker: opts.port, web: opts.webPort, brokerTls: opts.tlsPort, webTls: opts.webTlsPort },
        previous: opts.wipe ? undefined : previous?.ports,
        tls: !!opts.tls,
      });
      return startAndWait({
        paths,
        settings: settingsFrom(opts, undefined, ports),
        foreground: true,
        timeoutMs: opts.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
        log,
      });
    },
    { log, what: 'start lock' },
  );
}

/** Stop the broker of a data dir: SIGTERM, wait up to timeoutMs, then SIGKILL. */
export async function stopBroker({
  dataDir,
  timeoutMs = DEFAULT_STOP_TIMEOUT_MS,
  log = noopLog,
}: { dataDir?: string | undefined; timeoutMs?: number; log?: Log } = {}): Promise<StopResult> {
  const paths = dataPaths(absDataDir(dataDir));
  const pid = runningPid(paths);
  if (!pid) {
    fs.rmSync(paths.pid, { force: true });
    return { wasRunning: false };
  }
  const t0 = now();
  log(`stopping pid ${pid} (SIGTERM)…`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  let killed = false;
  if (!(await waitForExit(pid, timeoutMs))) {
    log(`pid ${pid} still alive after ${fmtMs(timeoutMs)}; SIGKILL`);
    killed = true;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    await waitForExit(pid, 10_000);
  }
  fs.rmSync(paths.pid, { force: true });
  const st = readState(paths);
  if (st)
    writeFileAtomic(
      paths.state,
      `${JSON.stringify({ ...st, stoppedAt: new Date().toISOString() }, null, 2)}\n`,
    );
  return { wasRunning: true, pid, killed, ms: now() - t0 };
}

/** State of the broker of a data dir (running, ready, pid, RSS, broker.json). */
export async function brokerStatus({
  dataDir,
}: { dataDir?: string | undefined } = {}): Promise<BrokerStatus> {
  const paths = dataPaths(absDataDir(dataDir));
  const state = readState(paths);
  const pid = runningPid(paths);
  let ready = false;
  if (pid && state) {
    try {
      ready =
        (await httpGet(`${state.adminUrl}/admin/v2/brokers/ready`, { token: tokenOf(paths, state) }))
          .status === 200;
    } catch {
      ready = false;
    }
  }
  return {
    dataDir: paths.dataDir,
    running: !!pid,
    ready,
    pid: pid || undefined,
    rssBytes: pid ? rssBytes(pid) : undefined,
    state: state || undefined,
    logFile: paths.log,
  };
}

/** Token for another role, signed with the data dir's secret (broker started with `auth`). */
export function createToken({
  dataDir,
  subject,
  expiresInSeconds,
}: {
  dataDir?: string | undefined;
  subject: string;
  expiresInSeconds?: number;
}): string {
  const paths = dataPaths(absDataDir(dataDir));
  const secret = fs.readFileSync(paths.secretKey);
  return signToken(secret, subject, { expiresInSeconds });
}
