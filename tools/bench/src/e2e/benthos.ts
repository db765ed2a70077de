/**
 * The peer, Benthos, built from the Go module proxy into a cache outside the repository, keyed by
 * version (`~/.cache/patternmesh/benthos-<version>/benthos`), only when it is missing. `go install
 * …@version` asks the proxy for the module's version list (for deprecations), which the proxy here
 * refuses, so the build goes through a one-line module that pins the version instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BENTHOS_VERSION = '4.60.0';
const MODULE = 'github.com/redpanda-data/benthos/v4';

export function benthosCacheDir(version = BENTHOS_VERSION): string {
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'patternmesh', `benthos-${version}`);
}

/** The path of the benthos binary, built first if missing; throws with go's output when it cannot be. */
export function ensureBenthos(version = BENTHOS_VERSION, log: (line: string) => void = () => {}): string {
  const dir = benthosCacheDir(version);
  const binary = path.join(dir, 'benthos');
  if (existsSync(binary)) return binary;
  const src = path.join(dir, 'src');
  mkdirSync(src, { recursive: true });
  writeFileSync(
    path.join(src, 'go.mod'),
    `module patternmesh.local/benthos-peer\n\ngo 1.25\n\nrequire ${MODULE} v${version}\n`,
  );
  // A tools file keeps the main package in the module graph, so `go mod tidy` records its deps.
  writeFileSync(
    path.join(src, 'tools.go'),
    `//go:build tools\n\npackage tools\n\nimport _ "${MODULE}/cmd/benthos"\n`,
  );
  log(`building Benthos ${version} into ${binary} (first run only; a few minutes)`);
  for (const args of [
    ['mod', 'tidy'],
    ['build', '-o', binary, `${MODULE}/cmd/benthos`],
  ]) {
    const go = spawnSync('go', args, { cwd: src, encoding: 'utf8' });
    if (go.status !== 0) throw new Error(`go ${args.join(' ')} failed: ${go.error ?? ''}${go.stderr}`);
  }
  return binary;
}

/** Starts Benthos on `config` listening on 127.0.0.1:<port> and resolves once it answers /ready. */
export async function startBenthos(binary: string, config: string, port: number): Promise<ChildProcess> {
  const child = spawn(binary, ['-c', config], {
    env: { ...process.env, PEER_ADDRESS: `127.0.0.1:${port}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`benthos exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('benthos not ready after 30 s');
}
