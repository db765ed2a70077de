import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
// Its own output folder (same depth as dist/), so the test never replaces a developer's build.
const outdir = `.dist-check-${process.pid}`;

/** Starts a compiled service on free ports; resolves with its HTTP port once it logs that it listens. */
function startCompiled(app: string): Promise<{ child: ChildProcess; httpPort: number }> {
  const child = spawn(
    process.execPath,
    ['--import', `./${outdir}/libs/telemetry/register.js`, `${outdir}/apps/${app}/main.js`],
    {
      cwd: root,
      env: {
        ...process.env,
        PATTERNMESH_HTTP_PORT: '0',
        PATTERNMESH_GRPC_PORT: '0',
        PATTERNMESH_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /"httpPort":(\d+)/.exec(output)?.[1];
      if (port) resolve({ child, httpPort: Number(port) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening:\n${output}`)));
  });
}

describe('the compiled production build (npm run build)', () => {
  let gateway: { child: ChildProcess; httpPort: number } | undefined;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['tools/scripts/build.mjs', outdir], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(build.status, build.stderr).toBe(0);
    gateway = await startCompiled('ingest-gateway');
  }, 60_000);

  afterAll(async () => {
    if (gateway && gateway.child.exitCode === null) {
      const exited = new Promise((r) => gateway!.child.once('exit', r));
      gateway.child.kill('SIGTERM');
      await exited;
    }
    rmSync(`${root}${outdir}`, { recursive: true, force: true });
  });

  it('emits plain JavaScript for every service and the telemetry bootstrap', () => {
    for (const app of [
      'all-in-one',
      'autoscaler',
      'classifier',
      'cli',
      'ingest-gateway',
      'normalizer',
      'router',
    ]) {
      expect(existsSync(`${root}${outdir}/apps/${app}/main.js`), app).toBe(true);
    }
    expect(existsSync(`${root}${outdir}/libs/telemetry/register.js`)).toBe(true);
  });

  it('runs a service under plain node (no TypeScript loader): ready, and it accepts a pattern', async () => {
    // Ready means the gRPC server was built too, which reads the .proto files through PROTO_ROOT.
    const base = `http://127.0.0.1:${gateway!.httpPort}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const response = await fetch(`${base}/v1/patterns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'pm-dev-key' },
      body: JSON.stringify({ source: 'fraud.cards', entity: 'card-1', payload: { amount: 1 } }),
    });
    expect(response.status).toBe(202);
    expect(((await response.json()) as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
