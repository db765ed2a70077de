// The official Python Pulsar client (PyPI `pulsar-client`, which ships its own native libpulsar) in a
// virtualenv cached outside the repo, for interoperability tests: our producers must be readable by
// clients we did not write. Created on first use (python3 -m venv + pip install of pinned versions),
// reused while its marker says it is complete, keyed by the versions so a pin change makes a new one.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { type Log, noopLog, withLock } from './common';

const env = process.env;

const run = promisify(execFile);

/** Pinned: both install as binary wheels for CPython 3.11 on linux x86_64 (and newer CPythons). */
export const PYTHON_PULSAR_CLIENT_VERSION = '3.13.0';
export const PYTHON_PROTOBUF_VERSION = '7.36.2';

/** `${XDG_CACHE_HOME:-~/.cache}/patternmesh/python/pulsar-client-<v>-protobuf-<v>` ($PATTERNMESH_PYTHON_CACHE overrides the parent). */
export function pythonClientDir(): string {
  const parent =
    env.PATTERNMESH_PYTHON_CACHE ||
    path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'patternmesh', 'python');
  return path.join(
    path.resolve(parent),
    `pulsar-client-${PYTHON_PULSAR_CLIENT_VERSION}-protobuf-${PYTHON_PROTOBUF_VERSION}`,
  );
}

/** A committed helper script in tools/pulsar/python. */
export function pythonScript(name: string): string {
  return fileURLToPath(new URL(`../python/${name}`, import.meta.url));
}

export interface PythonClient {
  /** The venv's interpreter, with `pulsar` and `google.protobuf` importable. */
  readonly python: string;
  /** False when the cached venv was reused. */
  readonly created: boolean;
  readonly ms: number;
}

const MARKER = '.complete';

/**
 * The venv, created if missing (pip needs PyPI once; later runs are offline). Concurrent callers wait
 * on a lock; a venv left half-made by a killed run has no marker and is made again.
 */
export async function ensurePythonPulsarClient({ log = noopLog }: { log?: Log } = {}): Promise<PythonClient> {
  const t0 = performance.now();
  const dir = pythonClientDir();
  const python = path.join(dir, 'bin', 'python');
  const ready = () => fs.existsSync(path.join(dir, MARKER)) && fs.existsSync(python);
  if (ready()) return { python, created: false, ms: performance.now() - t0 };
  return withLock(
    `${dir}.lock`,
    async () => {
      if (ready()) return { python, created: false, ms: performance.now() - t0 };
      fs.rmSync(dir, { recursive: true, force: true });
      const base = env.PATTERNMESH_PYTHON || 'python3';
      log(`creating ${dir} (${base} -m venv; pip install pulsar-client==${PYTHON_PULSAR_CLIENT_VERSION})`);
      await run(base, ['-m', 'venv', dir]);
      await run(
        python,
        [
          '-m',
          'pip',
          'install',
          '--disable-pip-version-check',
          '--no-input',
          '--only-binary=:all:',
          `pulsar-client==${PYTHON_PULSAR_CLIENT_VERSION}`,
          `protobuf==${PYTHON_PROTOBUF_VERSION}`,
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      // The native library must load here, not in the middle of a test.
      await run(python, ['-c', 'import pulsar, google.protobuf.message_factory']);
      fs.writeFileSync(path.join(dir, MARKER), `${new Date().toISOString()}\n`);
      return { python, created: true, ms: performance.now() - t0 };
    },
    { log, what: 'the Python client venv', timeoutMs: 10 * 60_000 },
  );
}
