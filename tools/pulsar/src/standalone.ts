// Local Apache Pulsar standalone broker for Patternmesh (`npm run pulsar:standalone`).
// Resolves the broker jars from Maven Central into a cache outside the repo, writes a loopback-only
// standalone.conf into the data dir, starts the broker as a background daemon, waits until it is
// ready and prints PULSAR_URL / PULSAR_ADMIN_URL. See README.md, or run with --help.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  type EnsureBrokerOptions,
  DEFAULT_READY_TIMEOUT_MS,
  brokerStatus,
  ensureBroker,
  startForeground,
  stopBroker,
} from './broker';
import {
  cacheRoot,
  defaultDataDir,
  errorMessage,
  findJava,
  fmtBytes,
  fmtMs,
  now,
  parsePort,
  stderrLog,
} from './common';
import { type ConfValue, dataPaths } from './config';
import { resolvePulsar } from './resolve';

const HELP = `Usage: npm run pulsar:standalone -- [options]      (tsx tools/pulsar/src/standalone.ts [options])

Start (default): resolve jars if needed, start a detached broker on 127.0.0.1, wait until ready,
print PULSAR_URL=… and PULSAR_ADMIN_URL=… on stdout (progress and timings go to stderr), exit 0.
If a broker already runs for the data dir, just print its URLs.

Commands:
  --stop                 stop the broker of the data dir (SIGTERM, wait 30 s, then SIGKILL)
  --status               show state (exit 0 if running, 3 if not); --json for JSON
  --foreground           run attached (Ctrl-C stops it); logs also go to the console
  --resolve              only resolve the broker and pulsar-perf jars into the cache, then exit

Options:
  --port <n>             broker port            (env PULSAR_BROKER_PORT, default 6650; 0 = free port,
                                                 and then every port not given is a free port too)
  --web-port <n>         admin/HTTP port        (env PULSAR_WEB_PORT, default 8080)
  --tls-port <n>         broker TLS port        (env PULSAR_BROKER_TLS_PORT, default 6651; with --tls)
  --web-tls-port <n>     HTTPS port             (env PULSAR_WEB_TLS_PORT, default 8443; with --tls)
  --data-dir <dir>       data dir               (env PULSAR_DATA_DIR, default <cache>/data)
  --wipe                 delete the data dir's contents first (stops a running broker)
  --auth-token           token authentication (HS256); prints PULSAR_TOKEN=… (superuser "admin")
  --tls                  also listen with TLS (self-signed CA in <data-dir>/tls); prints PULSAR_URL_TLS=…
  --conf <key=value>     extra standalone.conf setting (repeatable)
  --pulsar-version <v>   exact Pulsar version (env PATTERNMESH_PULSAR_VERSION, default 4.0.8)
  --timeout <s>          readiness timeout in seconds (default 300)
  --json                 machine-readable output for --status
  -h, --help

Environment: PATTERNMESH_PULSAR_CACHE (cache root), PATTERNMESH_PULSAR_JAVA (force a JDK),
PULSAR_MEM (default "-Xms512m -Xmx1g -XX:MaxDirectMemorySize=1g"), PULSAR_GC, PULSAR_EXTRA_OPTS,
PULSAR_LOG_LEVEL (default info).`;

function fail(msg: string, code = 1): never {
  process.stderr.write(`[pulsar] error: ${msg}\n`);
  process.exit(code);
}

const options = {
  port: { type: 'string' },
  'web-port': { type: 'string' },
  'tls-port': { type: 'string' },
  'web-tls-port': { type: 'string' },
  'data-dir': { type: 'string' },
  wipe: { type: 'boolean' },
  'auth-token': { type: 'boolean' },
  tls: { type: 'boolean' },
  conf: { type: 'string', multiple: true },
  'pulsar-version': { type: 'string' },
  timeout: { type: 'string' },
  stop: { type: 'boolean' },
  status: { type: 'boolean' },
  foreground: { type: 'boolean' },
  resolve: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse() {
  try {
    return parseArgs({ options, allowPositionals: false }).values;
  } catch (e) {
    return fail(`${errorMessage(e)}\n\n${HELP}`, 2);
  }
}

const args = parse();

if (args.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const env = process.env;
const dataDir = args['data-dir'] || env.PULSAR_DATA_DIR || defaultDataDir();
const log = stderrLog;

function ports(): Pick<EnsureBrokerOptions, 'port' | 'webPort' | 'tlsPort' | 'webTlsPort'> {
  const broker = parsePort(args.port ?? env.PULSAR_BROKER_PORT, '--port');
  const anyFree = broker === 0;
  const dflt = (v: number): number => (anyFree ? 0 : v);
  return {
    port: broker ?? 6650,
    webPort: parsePort(args['web-port'] ?? env.PULSAR_WEB_PORT, '--web-port') ?? dflt(8080),
    tlsPort: parsePort(args['tls-port'] ?? env.PULSAR_BROKER_TLS_PORT, '--tls-port') ?? dflt(6651),
    webTlsPort: parsePort(args['web-tls-port'] ?? env.PULSAR_WEB_TLS_PORT, '--web-tls-port') ?? dflt(8443),
  };
}

function extraConf(): Record<string, ConfValue> {
  const out: Record<string, ConfValue> = {};
  for (const kv of args.conf || []) {
    const i = kv.indexOf('=');
    if (i <= 0) fail(`--conf expects key=value, got '${kv}'`, 2);
    out[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
  }
  return out;
}

interface Printable {
  serviceUrl: string;
  adminUrl: string;
  token?: string | undefined;
  serviceUrlTls?: string | undefined;
  adminUrlTls?: string | undefined;
  tlsTrustCertsFilePath?: string | undefined;
  dataDir: string;
}

function printUrls(h: Printable): void {
  const lines = [`PULSAR_URL=${h.serviceUrl}`, `PULSAR_ADMIN_URL=${h.adminUrl}`];
  if (h.token) lines.push(`PULSAR_TOKEN=${h.token}`);
  if (h.serviceUrlTls) {
    lines.push(
      `PULSAR_URL_TLS=${h.serviceUrlTls}`,
      `PULSAR_ADMIN_URL_TLS=${h.adminUrlTls}`,
      `PULSAR_TLS_TRUST_CERTS=${h.tlsTrustCertsFilePath}`,
    );
  }
  lines.push(`PULSAR_DATA_DIR=${h.dataDir}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function cmdStatus(): Promise<never> {
  const s = await brokerStatus({ dataDir });
  if (args.json) {
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
  } else if (s.running) {
    const st = s.state;
    process.stdout.write(
      [
        `running: pid ${s.pid}, ${s.ready ? 'ready' : 'NOT ready'}, RSS ${fmtBytes(s.rssBytes)}`,
        `Pulsar ${st?.version} on ${st?.java?.version ? `Java ${st.java.version}` : 'Java ?'}, started ${st?.startedAt}`,
        `PULSAR_URL=${st?.serviceUrl}`,
        `PULSAR_ADMIN_URL=${st?.adminUrl}`,
        ...(st?.serviceUrlTls
          ? [`PULSAR_URL_TLS=${st.serviceUrlTls}`, `PULSAR_ADMIN_URL_TLS=${st.adminUrlTls}`]
          : []),
        ...(st?.auth ? [`token auth: on (token in ${st.tokenFile})`] : []),
        `data dir: ${s.dataDir}`,
        `log: ${s.logFile}`,
      ].join('\n') + '\n',
    );
  } else {
    process.stdout.write(`not running (data dir ${s.dataDir})\n`);
  }
  process.exit(s.running ? 0 : 3);
}

async function cmdStop(): Promise<void> {
  const r = await stopBroker({ dataDir, log });
  if (r.wasRunning)
    log(`stopped pid ${r.pid} in ${fmtMs(r.ms)}${r.killed ? ' (SIGKILL after timeout)' : ''}`);
  else log(`no broker running for ${dataDir}`);
}

async function cmdResolve(): Promise<void> {
  const java = findJava();
  log(`cache: ${cacheRoot()}; Java ${java.full} (${java.bin})`);
  const r = await resolvePulsar({ version: args['pulsar-version'], testclient: true, log });
  log(
    `resolve: ${fmtMs(r.ms)}${r.cached ? ' (cached)' : ''}; Pulsar ${r.version}: ${r.jarCount} jars in ${r.libDir}; pulsar-perf in ${r.testclientLibDir}`,
  );
  process.stdout.write(
    `PULSAR_VERSION=${r.version}\nPULSAR_LIB=${r.libDir}\nPULSAR_TESTCLIENT_LIB=${r.testclientLibDir}\n`,
  );
}

function timeoutMs(): number {
  if (!args.timeout) return DEFAULT_READY_TIMEOUT_MS;
  const s = Number(args.timeout);
  if (!(s > 0)) fail(`--timeout expects seconds, got '${args.timeout}'`, 2);
  return s * 1000;
}

async function cmdStart(): Promise<void> {
  const java = findJava();
  log(`Java ${java.full} (${java.bin}); cache ${cacheRoot()}`);
  const t0 = now();
  const res = await resolvePulsar({ version: args['pulsar-version'], log });
  log(
    `resolve: ${fmtMs(res.ms)}${res.cached ? ' (cached)' : ''} — Pulsar ${res.version}, ${res.jarCount} jars`,
  );
  const h = await ensureBroker(brokerOptions(res.version, ports()));
  if (h.startedByUs) {
    const s = await brokerStatus({ dataDir: h.dataDir });
    log(
      `start: ${fmtMs(h.startMs)} to ready (total ${fmtMs(now() - t0)}); pid ${h.pid}; RSS ${fmtBytes(s.rssBytes)}; log ${h.logFile}`,
    );
  } else {
    log(`already running: pid ${h.pid} (data dir ${h.dataDir})`);
  }
  printUrls(h);
}

/** The broker options both start commands take from the command line. */
function brokerOptions(version: string, chosenPorts: ReturnType<typeof ports>) {
  return {
    dataDir,
    wipe: !!args.wipe,
    ...chosenPorts,
    auth: !!args['auth-token'],
    tls: !!args.tls,
    extraConf: extraConf(),
    version,
    timeoutMs: timeoutMs(),
    log,
  };
}

async function cmdForeground(): Promise<void> {
  const java = findJava();
  log(`Java ${java.full} (${java.bin}); cache ${cacheRoot()}`);
  const res = await resolvePulsar({ version: args['pulsar-version'], log });
  log(`resolve: ${fmtMs(res.ms)}${res.cached ? ' (cached)' : ''} — Pulsar ${res.version}`);
  const p = ports();
  const paths = dataPaths(path.resolve(dataDir));
  // Set once the broker is spawned; a signal before that only marks the exit as intended.
  const attached: { child?: ChildProcess } = {};
  let stopping = false;
  const forward = (sig: NodeJS.Signals): void => {
    stopping = true;
    const { child } = attached;
    if (child && child.exitCode === null) child.kill(sig);
  };
  process.on('SIGINT', () => forward('SIGTERM'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  const r = await startForeground(brokerOptions(res.version, p));
  const child = r.child;
  attached.child = child;
  log(`start: ${fmtMs(r.readyMs)} to ready; pid ${r.pid} (foreground — Ctrl-C to stop)`);
  printUrls({
    ...r.state,
    token: r.state.auth ? fs.readFileSync(paths.adminToken, 'utf8').trim() : undefined,
  });
  child.on('exit', (code, signal) => {
    fs.rmSync(paths.pid, { force: true });
    log(`broker exited (${signal || code})`);
    process.exit(stopping ? 0 : (code ?? 1));
  });
}

try {
  if (args.status) await cmdStatus();
  else if (args.stop) await cmdStop();
  else if (args.resolve) await cmdResolve();
  else if (args.foreground) await cmdForeground();
  else await cmdStart();
} catch (e) {
  fail(errorMessage(e));
}
