// Shared helpers for tools/pulsar: cache paths, JDK discovery, locks, process and port utilities.
// Plain Node 24 APIs only (no npm dependencies).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/** The Pulsar release this tool runs (4.0 LTS line). An exact version: no ranges, no "latest". */
export const DEFAULT_PULSAR_VERSION = '4.0.8';
export const MIN_JAVA_MAJOR = 21;
export const STANDALONE_MAIN = 'org.apache.pulsar.PulsarStandaloneStarter';
export const PERF_MAIN = 'org.apache.pulsar.testclient.PulsarPerfTestTool';
export const LOOPBACK = '127.0.0.1';

export type Log = (message: string) => void;

const env = process.env;

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;

/**
 * The Pulsar version to use: `v`, else $PATTERNMESH_PULSAR_VERSION, else DEFAULT_PULSAR_VERSION.
 * Only exact releases (`4.0.8`) are accepted: aliases such as `latest` or `4.0.x` would make the
 * jars depend on what the registry serves that day.
 */
export function pulsarVersion(v?: string): string {
  const version = v || env.PATTERNMESH_PULSAR_VERSION || DEFAULT_PULSAR_VERSION;
  if (!EXACT_VERSION.test(version)) {
    throw new Error(
      `Pulsar version '${version}' is not an exact release (want e.g. ${DEFAULT_PULSAR_VERSION}); ` +
        'version ranges and aliases such as "latest" or "4.0.x" are not supported',
    );
  }
  return version;
}

/** Root of the cache: $PATTERNMESH_PULSAR_CACHE or ${XDG_CACHE_HOME:-~/.cache}/patternmesh/pulsar. */
export function cacheRoot(): string {
  if (env.PATTERNMESH_PULSAR_CACHE) return path.resolve(env.PATTERNMESH_PULSAR_CACHE);
  const xdg = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'patternmesh', 'pulsar');
}

export function versionDir(version?: string): string {
  return path.join(cacheRoot(), pulsarVersion(version));
}

export function defaultDataDir(): string {
  return path.join(cacheRoot(), 'data');
}

export function now(): number {
  return performance.now();
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return '?';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function fmtBytes(b: number | null | undefined): string {
  if (b == null) return '?';
  return `${(b / 1024 / 1024).toFixed(0)} MiB`;
}

/** Default progress logger: stderr, so stdout stays machine-readable (KEY=VALUE lines). */
export function stderrLog(msg: string): void {
  process.stderr.write(`[pulsar] ${msg}\n`);
}

export function noopLog(): void {}

export function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e
    ? String((e as { code: unknown }).code)
    : undefined;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------------------------
// JDK discovery: probe `java -version` of $PATTERNMESH_PULSAR_JAVA, $JAVA_HOME, /usr/lib/jvm/*,
// /opt/java/*, and `java` on PATH; the newest major >= 21 wins.

export interface JavaVersion {
  full: string;
  major: number;
  parts: number[];
}

export interface JavaProbe extends JavaVersion {
  bin: string;
  description: string;
}

export interface JavaInfo extends JavaProbe {
  home: string;
  probed: JavaProbe[];
}

let javaCache: JavaInfo | undefined;

export function parseJavaVersion(text: string): JavaVersion | null {
  const m = /version "([^"]+)"/.exec(text);
  if (!m?.[1]) return null;
  const full = m[1];
  const parts = full.split(/[.+_-]/).map((p) => Number.parseInt(p, 10));
  const major = (parts[0] === 1 ? parts[1] : parts[0]) ?? Number.NaN;
  return { full, major, parts };
}

function probeJava(bin: string): JavaProbe | null {
  try {
    const r = spawnSync(bin, ['-version'], { encoding: 'utf8', timeout: 20_000 });
    if (r.error || r.status !== 0) return null;
    const v = parseJavaVersion(`${r.stderr}\n${r.stdout}`);
    if (!v) return null;
    const firstLine = (`${r.stderr}`.split('\n')[0] ?? '').trim();
    return { bin, ...v, description: firstLine };
  } catch {
    return null;
  }
}

function whichJava(): string | null {
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, 'java');
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

export function javaCandidates(): string[] {
  const out: string[] = [];
  if (env.JAVA_HOME) out.push(path.join(env.JAVA_HOME, 'bin', 'java'));
  for (const root of [
    '/usr/lib/jvm',
    '/opt/java',
    '/usr/java',
    path.join(os.homedir(), '.sdkman/candidates/java'),
  ]) {
    let names: string[];
    try {
      names = fs.readdirSync(root);
    } catch {
      continue;
    }
    for (const n of names.sort()) out.push(path.join(root, n, 'bin', 'java'));
  }
  const onPath = whichJava();
  if (onPath) out.push(onPath);
  return out;
}

/** Newest first, comparing the numeric parts of the version. */
export function compareJavaNewestFirst(a: JavaVersion, b: JavaVersion): number {
  for (let i = 0; i < Math.max(a.parts.length, b.parts.length); i++) {
    const d = (b.parts[i] || 0) - (a.parts[i] || 0);
    if (d) return d;
  }
  return 0;
}

/**
 * Pick the JDK for Pulsar 4 (needs Java 21+). $PATTERNMESH_PULSAR_JAVA (path to a java binary or a
 * JAVA_HOME) forces a choice.
 */
export function findJava(): JavaInfo {
  if (javaCache) return javaCache;
  const forced = env.PATTERNMESH_PULSAR_JAVA;
  if (forced) {
    const bin = fs.existsSync(path.join(forced, 'bin', 'java')) ? path.join(forced, 'bin', 'java') : forced;
    const v = probeJava(bin);
    if (!v) throw new Error(`PATTERNMESH_PULSAR_JAVA=${forced}: cannot run '${bin} -version'`);
    if (v.major < MIN_JAVA_MAJOR) {
      throw new Error(
        `PATTERNMESH_PULSAR_JAVA=${forced} is Java ${v.major}; Pulsar 4 needs Java ${MIN_JAVA_MAJOR}+`,
      );
    }
    javaCache = { ...v, home: path.dirname(path.dirname(fs.realpathSync(bin))), probed: [v] };
    return javaCache;
  }
  const seen = new Set<string>();
  const probed: JavaProbe[] = [];
  for (const c of javaCandidates()) {
    let real: string;
    try {
      real = fs.realpathSync(c);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const v = probeJava(real);
    if (v) probed.push(v);
  }
  const ok = probed.filter((v) => v.major >= MIN_JAVA_MAJOR).sort(compareJavaNewestFirst);
  const best = ok[0];
  if (!best) {
    const list = probed.map((p) => `${p.bin} (${p.full})`).join(', ') || 'none found';
    throw new Error(
      `No Java ${MIN_JAVA_MAJOR}+ found (probed: ${list}). Install a JDK 21+ or set PATTERNMESH_PULSAR_JAVA.`,
    );
  }
  javaCache = { ...best, home: path.dirname(path.dirname(best.bin)), probed };
  return javaCache;
}

/** JVM flags copied from apache/pulsar bin/pulsar, plus quieting flags for JDK 22+. */
export function baseJvmFlags(java: { major: number }): string[] {
  const flags = [
    '--add-opens',
    'java.base/java.io=ALL-UNNAMED',
    '--add-opens',
    'java.base/java.util.zip=ALL-UNNAMED',
    '--add-opens',
    'java.base/java.nio=ALL-UNNAMED',
    '--add-opens',
    'java.base/jdk.internal.misc=ALL-UNNAMED',
    '--add-opens',
    'java.base/sun.net=ALL-UNNAMED',
    '--add-opens',
    'java.management/sun.management=ALL-UNNAMED',
    '--add-opens',
    'jdk.management/com.sun.management.internal=ALL-UNNAMED',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Djava.net.preferIPv4Stack=true',
    '-Djute.maxbuffer=10485760',
    '-Dlog4j2.formatMsgNoLookups=true',
  ];
  // JDK 22+ warns about RocksDB's System.loadLibrary; JDK 24+ warns about Netty's sun.misc.Unsafe use.
  if (java.major >= 22) flags.push('--enable-native-access=ALL-UNNAMED');
  if (java.major >= 24) flags.push('--sun-misc-unsafe-memory-access=allow');
  return flags;
}

export function splitOpts(s: string | undefined): string[] {
  return (s || '').split(/\s+/).filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Locks: an exclusive file created with O_EXCL holding {pid}; a lock whose owner died is stale.

export interface LockOptions {
  timeoutMs?: number;
  log?: Log;
  what?: string;
}

interface LockOwner {
  pid: number;
  host: string;
  at: string;
}

export async function withLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  { timeoutMs = 15 * 60_000, log = noopLog, what = 'lock' }: LockOptions = {},
): Promise<T> {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const t0 = Date.now();
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(
        fd,
        JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString() }),
      );
      fs.closeSync(fd);
      break;
    } catch (e) {
      if (errorCode(e) !== 'EEXIST') throw e;
      let owner: LockOwner | null = null;
      try {
        owner = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockOwner;
      } catch {
        // Being written right now, or garbage: treat garbage older than 10 s as stale.
        try {
          if (Date.now() - fs.statSync(lockPath).mtimeMs > 10_000) fs.rmSync(lockPath, { force: true });
        } catch {
          /* gone */
        }
      }
      if (owner && owner.host === os.hostname() && !isAlive(owner.pid)) {
        fs.rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() - t0 > timeoutMs) {
        throw new Error(`Timed out waiting for ${what} ${lockPath}`, { cause: e });
      }
      if (!announced && owner) {
        log(`waiting for ${what} held by pid ${owner.pid} (${lockPath})`);
        announced = true;
      }
      await sleep(300);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

/** True if pid exists and is not a zombie. */
export function isAlive(pid: number | null | undefined): pid is number {
  if (!pid || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (errorCode(e) !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
  } catch {
    /* no /proc: trust kill(0) */
  }
  return true;
}

export function procCmdline(pid: number): string[] | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

export function rssBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const t0 = Date.now();
  while (isAlive(pid)) {
    if (Date.now() - t0 > timeoutMs) return false;
    await sleep(100);
  }
  return true;
}

export function tailFile(file: string, maxLines = 40): string {
  try {
    const st = fs.statSync(file);
    const len = Math.min(st.size, 64 * 1024);
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, st.size - len);
    fs.closeSync(fd);
    return buf.toString('utf8').split('\n').slice(-maxLines).join('\n');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// Ports (loopback only)

export function isPortFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Ask the kernel for n distinct free loopback ports (held open together so they differ). */
export async function pickFreePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ port: 0, host: LOOPBACK, exclusive: true }, resolve);
      });
      servers.push(srv);
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

export function parsePort(v: string | number | null | undefined, name: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}: invalid port '${v}'`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface HttpOptions {
  token?: string | undefined;
  timeoutMs?: number;
}

export async function httpGet(
  url: string,
  { token, timeoutMs = 3000 }: HttpOptions = {},
): Promise<{ status: number; text: string; json: unknown }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

export async function httpJson(
  method: string,
  url: string,
  body: unknown,
  { token, timeoutMs = 5000 }: HttpOptions = {},
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, text: await res.text() };
}

/** Parsed JSON of a file, or null when it is missing or not JSON. The caller names the shape. */
export function readJsonFile<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function writeFileAtomic(file: string, content: string | Uint8Array, mode?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content, mode ? { mode } : undefined);
  fs.renameSync(tmp, file);
}
