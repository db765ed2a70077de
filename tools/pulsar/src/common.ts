// Shared helpers for tools/pulsar: versions, cache paths, JDK discovery. The generic ones (locks,
// processes, ports, files) come from @patternmesh/devkit and are re-exported so the package's modules
// import from one place.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export * from '@patternmesh/devkit';

/** The Pulsar release this tool runs (4.0 LTS line). An exact version: no ranges, no "latest". */
export const DEFAULT_PULSAR_VERSION = '4.0.8';
export const MIN_JAVA_MAJOR = 21;
export const STANDALONE_MAIN = 'org.apache.pulsar.PulsarStandaloneStarter';
export const PERF_MAIN = 'org.apache.pulsar.testclient.PulsarPerfTestTool';
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

/** Default progress logger: stderr, so stdout stays machine-readable (KEY=VALUE lines). */
export function stderrLog(msg: string): void {
  process.stderr.write(`[pulsar] ${msg}\n`);
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
